import { ownOrigins } from "./staff-auth";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site refusal for every state-changing request, pages and API alike (site/middleware.ts).
 *
 * This replaces Astro's `security.checkOrigin`, which runs before the middleware: its 403 carried
 * none of the security headers, was plain text on the API (DESIGN.md promises problem+json), and
 * it refused every non-browser multipart client of POST /api/v1/reports that sends no Origin.
 *
 * - an Origin header must be this request's own origin (behind a proxy, also its https origin);
 * - `Origin: null` (sandboxed frames, some privacy settings) passes only with
 *   `Sec-Fetch-Site: same-origin`, which a page cannot forge;
 * - no Origin: browsers send one on every cross-site POST, so this is a non-browser client —
 *   allowed unless Sec-Fetch-Site says another site sent it.
 */
export function isCrossSiteRequest(request: Request): boolean {
  if (SAFE.has(request.method)) return false;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (origin !== null && origin !== "null") return !ownOrigins(request).includes(origin.toLowerCase());
  if (origin === "null") return site !== "same-origin";
  if (site !== null) return site !== "same-origin" && site !== "none";
  return false;
}
