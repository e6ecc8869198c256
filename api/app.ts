import type { Deps } from "./context";
import { requestLog } from "./http/logging";
import { routeGroup } from "./http/openapi";
import { crossSiteApiResponse, isSameOriginRequest } from "./http/origin-check";
import { errorResponse, notFoundResponse } from "./http/problem-response";
import { apiSecurityHeaders } from "./http/security-headers";
import { csrfGuard, noStore } from "./http/staff-auth";
import { staffAttachmentRoutes } from "./routes/attachments";
import { DOCUMENT_INFO, documentRoutes, SESSION_SCHEME } from "./routes/document";
import { publicRoutes } from "./routes/public";
import { staffBatchRoutes } from "./routes/staff-batch";
import { staffCaseRoutes } from "./routes/staff-cases";
import { staffIdentityRoutes } from "./routes/staff-identity";
import { staffIdentityRequestRoutes } from "./routes/staff-identity-requests";
import { staffIntakeRoutes } from "./routes/staff-intake";
import { staffLeaderRoutes } from "./routes/staff-leaders";
import { staffLedgerRoutes } from "./routes/staff-ledgers";
import { staffPersonRoutes } from "./routes/staff-persons";
import { staffReconciliationRoutes } from "./routes/staff-reconciliation";
import { staffRegisterRoutes } from "./routes/staff-register";
import { staffSessionRoutes } from "./routes/staff-session";
import { staffStatsRoutes } from "./routes/staff-stats";

export interface AppOptions {
  /**
   * Served by the production edge (api/http/edge-server.ts), with no Astro middleware in front:
   * the app then refuses cross-site writes itself, by the same `public` rule and with the same
   * answer as the page edge (site/middleware/cross-site.ts) gives them on the Astro bridge.
   */
  edge?: boolean;
}

/**
 * Builds the Hono app for one set of dependencies. Served at /api by the production edge
 * (api/http/edge-server.ts), and by site/pages/api/[...path].ts under `astro dev`.
 */
export function createApp(deps: Deps, opts: AppOptions = {}) {
  const app = routeGroup();

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLog());
  app.use("*", apiSecurityHeaders());
  if (opts.edge) {
    app.use("*", async (c, next) => {
      if (!isSameOriginRequest(c.req.raw, "public")) return crossSiteApiResponse();
      await next();
    });
  }

  const v1 = routeGroup();
  // APP_ROLE=staff: the citizen's API (reports, track, messages, captcha) is not mounted; the
  // health check and the reference lists (divisions, categories) stay for the staff console.
  v1.route("/", publicRoutes({ citizen: deps.config.role !== "staff" }));
  // Staff routes exist only outside APP_ROLE=public; every one passes the CSRF check and is no-store.
  if (deps.config.role !== "public") {
    v1.use("/staff/*", noStore(), csrfGuard());
    v1.route("/staff", staffSessionRoutes());
    v1.route("/staff", staffIdentityRoutes());
    v1.route("/staff", staffIdentityRequestRoutes());
    v1.route("/staff", staffBatchRoutes());
    v1.route("/staff", staffCaseRoutes());
    v1.route("/staff", staffIntakeRoutes());
    v1.route("/staff", staffRegisterRoutes());
    v1.route("/staff", staffStatsRoutes());
    v1.route("/staff", staffLedgerRoutes());
    v1.route("/staff", staffReconciliationRoutes());
    v1.route("/staff", staffLeaderRoutes());
    v1.route("/staff", staffPersonRoutes());
    v1.route("/staff", staffAttachmentRoutes());
  }
  // The document describes what is mounted above, so it shows exactly this role's routes; it is
  // built once, on first request, after every route (itself included) is registered.
  let document: Record<string, unknown> | undefined;
  v1.route(
    "/",
    documentRoutes(() => {
      document ??= app.getOpenAPI31Document(DOCUMENT_INFO) as unknown as Record<string, unknown>;
      return document;
    }),
  );
  app.route("/api/v1", v1);
  if (deps.config.role !== "public") {
    app.openAPIRegistry.registerComponent("securitySchemes", "session", SESSION_SCHEME);
  }

  app.notFound(notFoundResponse);
  app.onError(errorResponse);

  return app;
}

export type App = ReturnType<typeof createApp>;
