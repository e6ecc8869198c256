import { defineMiddleware } from "astro:middleware";
import { logRequest } from "../../api/http/logging";
import { withHeaders } from "../../api/http/security-headers";
import { getRuntime } from "../../api/runtime";

/**
 * Outermost: gives the request its id and, once the answer is made (error pages, refusals and
 * security headers included), writes its one line with the API's own code (api/http/logging.ts).
 * The route is Astro's matched pattern (`/staff/cases/[id]`), never the path as sent. An /api
 * request handed to the Hono app is logged there, under the same id. Static assets are served
 * by the adapter before any middleware and are not logged.
 */
export const requestLog = defineMiddleware(async (context, next) => {
  // A rewrite (the role gate's /404) runs the middleware again for the same request: one line.
  if (context.locals.requestId) return next();
  const start = performance.now();
  const requestId = crypto.randomUUID();
  context.locals.requestId = requestId;
  let status = 500;
  try {
    const res = await next();
    status = res.status;
    return withHeaders(res, { "X-Request-Id": requestId });
  } finally {
    // Without a runtime there is no logger (and the request has failed already).
    const rt = context.locals.apiLogged ? undefined : await getRuntime().catch(() => undefined);
    if (rt) {
      logRequest(rt.deps.log, {
        requestId,
        method: context.request.method,
        route: context.routePattern,
        status,
        start,
      });
    }
  }
});
