import { defineMiddleware } from "astro:middleware";
import { isSameOriginRequest } from "../../api/http/origin-check";
import { crossSitePage } from "../lib/edge-page";
import { isApiPath } from "./paths";

/**
 * Refuses a state-changing request another site sent, pages and API alike, by the `public`
 * origin rule (api/http/origin-check.ts). The staff pages and the staff API apply the stricter
 * `staff` rule on top (site/lib/staff-session.ts, csrfGuard).
 */
export const crossSite = defineMiddleware((context, next) => {
  if (isSameOriginRequest(context.request, "public")) return next();
  if (isApiPath(context.url.pathname)) {
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
  return crossSitePage(context.locals.lang);
});
