/**
 * Cross-site request refusal for state-changing requests, pages and API alike.
 *
 * Why not Astro's `security.checkOrigin` alone: every answer carries `Referrer-Policy:
 * no-referrer`, and under that policy browsers send `Origin: null` on a same-origin form POST,
 * which Astro's check (Origin must equal the page's origin) refuses. Fetch Metadata settles it:
 * the browser also sends `Sec-Fetch-Site`, which no page can forge.
 *
 * - a real Origin must be this origin;
 * - `Origin: null` passes only with `Sec-Fetch-Site: same-origin`;
 * - no Origin: a browser POST always has one, so this is a non-browser client (curl, an
 *   integration) — allowed unless Sec-Fetch-Site says the request came from another site.
 */
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function isCrossSiteRequest(request: Request, origin: string): boolean {
  if (SAFE.has(request.method)) return false;
  const sent = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (sent && sent !== "null") return sent !== origin;
  if (sent === "null") return site !== "same-origin";
  if (site) return site !== "same-origin" && site !== "none";
  return false;
}

export function crossSiteRefusal(): Response {
  return new Response("跨站提交已被拒绝。Cross-site form submissions are refused.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
