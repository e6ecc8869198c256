/** Path tests shared by the edge's middlewares. */

/** The path without trailing slashes ("/" stays "/"). */
export const cleanPath = (path: string) => path.replace(/\/+$/, "") || "/";

/** True when `path` is one of `prefixes` or below one. */
export const under = (path: string, prefixes: readonly string[]) => {
  const p = cleanPath(path);
  return prefixes.some((x) => p === x || p.startsWith(`${x}/`));
};

/** The Hono API (site/pages/api/[...path].ts): it answers, limits and logs for itself. */
export const isApiPath = (path: string) => under(path, ["/api"]);

/** Pages a public process does not have. */
export const STAFF_PAGES = ["/staff", "/en/staff"];
/** Pages a staff process does not have: the citizen's forms. */
export const CITIZEN_FORM_PAGES = ["/report", "/track", "/en/report", "/en/track"];
