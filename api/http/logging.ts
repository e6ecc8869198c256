import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import type { AppEnv } from "./env";

/**
 * The one request line, for API requests (requestLog below) and page requests
 * (site/middleware/request-log.ts): id, method, route, status, duration. The route is the
 * matched pattern (`/api/v1/staff/cases/:id/actions`, `/staff/cases/[id]`), never the path as
 * sent: no query string, nothing a client typed. Never the body, an IP, a user agent, a cookie or
 * a tracking code.
 */
export interface RequestLine {
  reqId: string;
  method: string;
  route: string;
  status: number;
  ms: number;
}

/** Builds and writes the line. `start` is `performance.now()` when the request came in. */
export function logRequest(
  log: Logger,
  o: { requestId: string; method: string; route: string | undefined; status: number; start: number },
): void {
  const line: RequestLine = {
    reqId: o.requestId,
    method: o.method,
    route: o.route || "(unmatched)",
    status: o.status,
    ms: Math.round((performance.now() - o.start) * 10) / 10,
  };
  log.info(line, "request");
}

/**
 * The API's line. Behind the Astro bridge the request already has the edge's id
 * (`c.env.requestId`, site/pages/api/[...path].ts), so the id in the API's answer and log is the
 * one the edge gave the request; in-process callers (tests, `app.request()`) get a fresh one.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    const requestId = edgeRequestId(c.env) ?? crypto.randomUUID();
    c.set("requestId", requestId);
    await next();
    c.header("X-Request-Id", requestId);
    let route = "";
    try {
      route = routePath(c);
    } catch {
      route = "";
    }
    logRequest(c.get("deps").log, {
      requestId,
      method: c.req.method,
      route: route === "/*" ? undefined : route,
      status: c.res.status,
      start,
    });
  };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function edgeRequestId(env: unknown): string | undefined {
  try {
    const id = (env as { requestId?: unknown } | undefined)?.requestId;
    return typeof id === "string" && UUID_RE.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
