const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * How much proof of same-origin a state-changing request must carry.
 *
 * - `public` (citizen pages and the public API): refuse what is evidently cross-site. Browsers
 *   send an Origin on every cross-site POST, so a request without one is a non-browser client
 *   (a multipart POST /api/v1/reports from a script) and passes unless Sec-Fetch-Site says
 *   another site sent it. `Origin: null` (the citizen pages are no-referrer, so their own form
 *   posts carry it) passes only with `Sec-Fetch-Site: same-origin`, which a page cannot forge.
 * - `staff` (staff pages and the staff API): accept only proof. An Origin equal to ours, or,
 *   from a browser that sends none, `Sec-Fetch-Site: same-origin`; `Origin: null` is refused
 *   (the staff pages send a same-origin referrer so their posts carry a real Origin), and so is
 *   a request with neither header. Applies to the login POST too (login CSRF); SameSite=Strict
 *   is the second fence.
 */
export type OriginRule = "public" | "staff";

/** The origins this request may legitimately come from: its own URL, and https when a proxy says so. */
export function ownOrigins(request: Request): string[] {
  const url = new URL(request.url);
  const out = [url.origin];
  const xfp = (request.headers.get("x-forwarded-proto") ?? "").split(",")[0].trim().toLowerCase();
  if ((xfp === "https" || xfp === "http") && `${xfp}:` !== url.protocol) out.push(`${xfp}://${url.host}`);
  return out;
}

/**
 * The one cross-site check, for the page edge (site/middleware/cross-site.ts), the staff API
 * (csrfGuard in staff-auth.ts) and the staff pages' own forms. Reads pass whatever their origin.
 *
 * The pages' check replaces Astro's `security.checkOrigin`, which runs before the middleware:
 * its 403 carried none of the security headers, was plain text on the API (DESIGN.md promises
 * problem+json), and it refused every non-browser multipart client of POST /api/v1/reports.
 */
export function isSameOriginRequest(request: Request, rule: OriginRule): boolean {
  if (SAFE.has(request.method)) return true;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (origin !== null && origin !== "null") return ownOrigins(request).includes(origin.toLowerCase());
  if (rule === "staff") return origin === null && site === "same-origin";
  if (origin === "null") return site === "same-origin";
  return site === null || site === "same-origin" || site === "none";
}

/** The answer to a cross-site write to the API, from the Hono app or the page edge alike. */
export function crossSiteApiResponse(): Response {
  return new Response(
    JSON.stringify({
      type: "https://qingfeng.invalid/problems/forbidden",
      title: "无权操作 Forbidden",
      status: 403,
      detail: "跨站请求已被拒绝。Cross-site requests are refused.",
    }),
    { status: 403, headers: { "Content-Type": "application/problem+json" } },
  );
}
