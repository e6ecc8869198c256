import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env";

/**
 * Security headers, for the Hono API (apiSecurityHeaders) and for the Astro pages
 * (site/middleware/headers.ts calls pageHeaders). One source, so the two cannot drift apart.
 */

/** On every answer, page or API. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "X-DNS-Prefetch-Control": "off",
  // A reporting form has no use for any device or sensor; a page that asked would be an attack.
  "Permissions-Policy": [
    "accelerometer=()",
    "autoplay=()",
    "browsing-topics=()",
    "camera=()",
    "display-capture=()",
    "geolocation=()",
    "gyroscope=()",
    "hid=()",
    "magnetometer=()",
    "microphone=()",
    "midi=()",
    "payment=()",
    "screen-wake-lock=()",
    "serial=()",
    "usb=()",
    "xr-spatial-tracking=()",
  ].join(", "),
};

/** API answers are data, never documents: nothing may load, run or frame them. */
export const API_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

/** A downloaded attachment: a hostile file must not run even if a browser renders it. */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'";

type Directives = Map<string, string[]>;

/**
 * The pages' policy. Scripts and styles come only from this origin (Astro's bundles under
 * /_astro/) plus the hashes Astro computes for anything it inlines (security.csp in
 * astro.config.mjs) — never 'unsafe-inline'. With the default configuration nothing on any
 * other origin is allowed, so a citizen's browser talks to this server alone.
 */
export const PAGE_DIRECTIVES: ReadonlyArray<readonly [string, string[]]> = [
  ["default-src", ["'self'"]],
  ["script-src", ["'self'"]],
  ["style-src", ["'self'"]],
  ["img-src", ["'self'", "data:"]],
  ["font-src", ["'self'"]],
  ["connect-src", ["'self'"]],
  ["worker-src", ["'self'"]],
  ["frame-src", ["'none'"]],
  ["manifest-src", ["'self'"]],
  ["media-src", ["'self'"]],
  ["object-src", ["'none'"]],
  ["base-uri", ["'none'"]],
  ["frame-ancestors", ["'none'"]],
  ["form-action", ["'self'"]],
];

/** hCaptcha's documented CSP needs, granted only to pages that show the captcha. */
export const HCAPTCHA_SOURCES = ["https://hcaptcha.com", "https://*.hcaptcha.com"];
const HCAPTCHA_DIRECTIVES = ["script-src", "frame-src", "style-src", "connect-src"];

/** Pages that show the captcha widget (the report form). */
export const CAPTCHA_PAGES = ["/report", "/en/report"];

/** Directives whose sources Astro computes (hashes of what it inlines); merged, not replaced. */
const ASTRO_DIRECTIVES = new Set([
  "script-src",
  "script-src-elem",
  "script-src-attr",
  "style-src",
  "style-src-elem",
  "style-src-attr",
]);

export function parseCsp(csp: string | null | undefined): Directives {
  const out: Directives = new Map();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), values);
  }
  return out;
}

export function serializeCsp(d: Directives): string {
  return [...d].map(([k, v]) => (v.length ? `${k} ${v.join(" ")}` : k)).join("; ");
}

function addSources(d: Directives, name: string, sources: string[]): void {
  const current = (d.get(name) ?? []).filter((s) => s !== "'none'");
  d.set(name, [...new Set([...current, ...sources])]);
}

/**
 * The page CSP: our directives, plus the script and style hashes from the policy Astro put on
 * the response (security.csp), plus hCaptcha's origins when asked. 'unsafe-inline' is dropped
 * from scripts whatever its source.
 */
export function pageCsp(astroCsp: string | null | undefined, opts: { hcaptcha?: boolean } = {}): string {
  const d: Directives = new Map(PAGE_DIRECTIVES.map(([k, v]) => [k, [...v]]));
  for (const [name, values] of parseCsp(astroCsp)) {
    if (!ASTRO_DIRECTIVES.has(name)) continue;
    addSources(
      d,
      name,
      values.filter((v) => /^'(self|sha(256|384|512)-[A-Za-z0-9+/=]+|none)'$/.test(v)),
    );
    // A specific directive (script-src-elem) overrides the general one; it keeps 'self'.
    if (name.endsWith("-elem")) addSources(d, name, ["'self'"]);
  }
  if (opts.hcaptcha) {
    for (const name of HCAPTCHA_DIRECTIVES) {
      addSources(d, name, HCAPTCHA_SOURCES);
      const elem = `${name}-elem`;
      if (d.has(elem)) addSources(d, elem, HCAPTCHA_SOURCES);
    }
  }
  for (const name of ["script-src", "script-src-elem", "script-src-attr"]) {
    const v = d.get(name);
    if (v)
      d.set(
        name,
        v.filter((s) => s !== "'unsafe-inline'" && s !== "'unsafe-eval'"),
      );
  }
  return serializeCsp(d);
}

function matchesPrefix(path: string, prefixes: string[]): boolean {
  const p = path.replace(/\/+$/, "") || "/";
  return prefixes.some((x) => p === x || p.startsWith(`${x}/`));
}

/** Pages whose answers carry a tracking code, identity or case content: never cached. */
export const NO_STORE_PAGES = ["/report", "/track", "/staff", "/en/report", "/en/track", "/en/staff"];

export function isNoStorePage(path: string): boolean {
  return matchesPrefix(path, NO_STORE_PAGES);
}

export function isCaptchaPage(path: string): boolean {
  return matchesPrefix(path, CAPTCHA_PAGES);
}

/** Headers for a page answer. `astroCsp` is the policy Astro computed for it, if any. */
export function pageHeaders(
  path: string,
  astroCsp: string | null,
  opts: { hcaptcha?: boolean } = {},
): Record<string, string> {
  return {
    ...BASE_HEADERS,
    "Content-Security-Policy": pageCsp(astroCsp, { hcaptcha: opts.hcaptcha && isCaptchaPage(path) }),
    ...(isNoStorePage(path) ? { "Cache-Control": "no-store" } : {}),
  };
}

/** Sets `values` on a response, copying it first when its headers are immutable. */
export function withHeaders(
  res: Response,
  values: Record<string, string>,
  keepExisting: string[] = [],
): Response {
  let out = res;
  try {
    for (const [k, v] of Object.entries(values))
      if (!keepExisting.includes(k) || !res.headers.has(k)) res.headers.set(k, v);
  } catch {
    out = new Response(res.body, res);
    for (const [k, v] of Object.entries(values))
      if (!keepExisting.includes(k) || !out.headers.has(k)) out.headers.set(k, v);
  }
  return out;
}

/**
 * API answers: the base headers, a CSP that forbids everything, and no-store unless the route
 * chose otherwise — reports, track and staff answers carry codes, identity or case content, and
 * the rest (reference lists, errors) lose nothing by not being cached. A route's own CSP
 * (attachment downloads) is kept.
 */
export function apiSecurityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const out = withHeaders(
      c.res,
      { ...BASE_HEADERS, "Content-Security-Policy": API_CSP, "Cache-Control": "no-store" },
      ["Content-Security-Policy", "Cache-Control"],
    );
    if (out !== c.res) c.res = out;
  };
}
