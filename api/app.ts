import { Hono } from "hono";
import type { Deps } from "./context";
import { Problem, problems } from "./errors";
import type { AppEnv } from "./http/env";
import { requestLog } from "./http/logging";
import { publicRoutes } from "./routes/public";

/** Builds the Hono app for one set of dependencies. Mounted at /api by site/pages/api/[...path].ts. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLog());

  const v1 = new Hono<AppEnv>();
  v1.route("/", publicRoutes());
  app.route("/api/v1", v1);

  app.notFound((c) => {
    const p = problems.notFound();
    return c.json(p.toBody(c.get("requestId")), 404, { "Content-Type": "application/problem+json" });
  });

  app.onError((err, c) => {
    const requestId = c.get("requestId");
    if (err instanceof Problem) {
      return c.json(err.toBody(requestId), err.status as 400, {
        "Content-Type": "application/problem+json",
        ...err.headers,
      });
    }
    // Never log or send a raw error: a database error carries SQL and parameters (report content).
    const e = err as { name?: string; code?: string };
    c.get("deps").log.error({ reqId: requestId, err: { name: e?.name, code: e?.code } }, "unhandled error");
    const body = new Problem(500, "internal", "服务器内部错误 Internal error", {
      detail: `请稍后再试；如问题持续，请提供编号 ${requestId}。Please try again later; quote ${requestId} if it persists.`,
    }).toBody(requestId);
    return c.json(body, 500, { "Content-Type": "application/problem+json" });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
