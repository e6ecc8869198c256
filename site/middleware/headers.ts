import { defineMiddleware } from "astro:middleware";
import { API_CSP, BASE_HEADERS, pageHeaders, withHeaders } from "../../api/http/security-headers";
import { getRuntime } from "../../api/runtime";
import { isApiPath } from "./paths";

/**
 * The security headers (api/http/security-headers.ts) on every answer, including the ones the
 * edge makes itself (refusals, error pages). A page's CSP merges the hashes Astro computed for it.
 */
export const headers = defineMiddleware(async (context, next) => {
  const path = context.url.pathname;
  const res = await next();
  if (isApiPath(path)) {
    // The Hono app set its headers; this covers answers made here or by Astro itself.
    return withHeaders(
      res,
      { ...BASE_HEADERS, "Content-Security-Policy": API_CSP, "Cache-Control": "no-store" },
      [...Object.keys(BASE_HEADERS), "Content-Security-Policy", "Cache-Control"],
    );
  }
  const rt = await getRuntime().catch(() => undefined);
  return withHeaders(
    res,
    pageHeaders(path, res.headers.get("content-security-policy"), {
      hcaptcha: rt?.config.captcha.provider === "hcaptcha",
    }),
  );
});
