import { Hono } from "hono";
import type { Deps } from "./context";
import { isDatabaseUnavailable, Problem, problems } from "./errors";
import type { AppEnv } from "./http/env";
import { requestLog } from "./http/logging";
import { apiSecurityHeaders } from "./http/security-headers";
import { csrfGuard, noStore } from "./http/staff-auth";
import { staffAttachmentRoutes } from "./routes/attachments";
import { openApiRoutes } from "./routes/openapi";
import { publicRoutes } from "./routes/public";
import { staffCaseRoutes } from "./routes/staff-cases";
import { staffIdentityRoutes } from "./routes/staff-identity";
import { staffIdentityRequestRoutes } from "./routes/staff-identity-requests";
import { staffSessionRoutes } from "./routes/staff-session";

/** Builds the Hono app for one set of dependencies. Mounted at /api by site/pages/api/[...path].ts. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLog());
  app.use("*", apiSecurityHeaders());

  const v1 = new Hono<AppEnv>();
  // APP_ROLE=staff: the citizen's API (reports, track, messages, captcha) is not mounted; the
  // health check and the reference lists (divisions, categories) stay for the staff console.
  v1.route("/", publicRoutes({ citizen: deps.config.role !== "staff" }));
  v1.route("/", openApiRoutes());
  // Staff routes exist only outside APP_ROLE=public; every one passes the CSRF check and is no-store.
  if (deps.config.role !== "public") {
    v1.use("/staff/*", noStore(), csrfGuard());
    v1.route("/staff", staffSessionRoutes());
    v1.route("/staff", staffIdentityRoutes());
    v1.route("/staff", staffIdentityRequestRoutes());
    v1.route("/staff", staffCaseRoutes());
    v1.route("/staff", staffAttachmentRoutes());
  }
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
    if (isDatabaseUnavailable(err)) {
      c.get("deps").log.warn(
        { reqId: requestId, err: { name: e?.name, code: e?.code } },
        "database unavailable",
      );
      const p = problems.unavailable();
      return c.json(p.toBody(requestId), 503, { "Content-Type": "application/problem+json", ...p.headers });
    }
    c.get("deps").log.error({ reqId: requestId, err: { name: e?.name, code: e?.code } }, "unhandled error");
    const body = new Problem(500, "internal", "服务器内部错误 Internal error", {
      detail: `请稍后再试；如问题持续，请提供编号 ${requestId}。Please try again later; quote ${requestId} if it persists.`,
    }).toBody(requestId);
    return c.json(body, 500, { "Content-Type": "application/problem+json" });
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
