import { defineMiddleware } from "astro:middleware";
import { crossSiteApiResponse, isSameOriginRequest } from "../../api/http/origin-check";
import { crossSitePage } from "../lib/edge-page";
import { isApiPath } from "./paths";

/**
 * Refuses a state-changing request another site sent, pages and API alike, by the `public`
 * origin rule (api/http/origin-check.ts). The staff pages and the staff API apply the stricter
 * `staff` rule on top (site/lib/staff-session.ts, csrfGuard).
 */
export const crossSite = defineMiddleware((context, next) => {
  if (isSameOriginRequest(context.request, "public")) return next();
  if (isApiPath(context.url.pathname)) return crossSiteApiResponse();
  return crossSitePage(context.locals.lang);
});
