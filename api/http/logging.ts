import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "./env";

/**
 * One pino line per request: id, method, matched route pattern, status, duration.
 * Never the body, the query string, an IP, a user agent, a cookie or a tracking code.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    await next();
    c.header("X-Request-Id", requestId);
    const deps = c.get("deps");
    let route = "";
    try {
      route = routePath(c);
    } catch {
      route = "";
    }
    deps.log.info(
      {
        reqId: requestId,
        method: c.req.method,
        route: route && route !== "/*" ? route : "(unmatched)",
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
      },
      "request",
    );
  };
}
