import { Hono } from "hono";
import { readJson } from "../http/body";
import type { AppEnv } from "../http/env";
import { staffAuth } from "../http/staff-auth";
import { actOnCase } from "../services/cases/act";
import { listMyCases } from "../services/cases/list-mine";
import { listOverdue } from "../services/cases/list-overdue";
import { getStaffCase } from "../services/cases/view";
import { claimCase, claimNext } from "../services/queue/claim";
import { queueCounts } from "../services/queue/counts";
import { staffCtx } from "./staff-session";

/**
 * The queue, the case workflow and the overdue list (DESIGN.md staff API). Mounted under
 * /api/v1/staff beside the session routes; app.ts adds the CSRF check and no-store to all of
 * /staff/*, and each route here requires a staff session (401 otherwise).
 */
export function staffCaseRoutes() {
  const r = new Hono<AppEnv>();

  r.get("/queue", staffAuth(), async (c) => c.json(await queueCounts({ ctx: staffCtx(c), input: {} })));

  r.post("/queue/claim", staffAuth(), async (c) => {
    const claim = await claimNext({ ctx: staffCtx(c), input: {} });
    return claim ? c.json(claim) : c.body(null, 204);
  });

  r.get("/overdue", staffAuth(), async (c) => {
    const limit = Number(c.req.query("limit") ?? "500");
    return c.json(
      await listOverdue({ ctx: staffCtx(c), input: { limit: Number.isFinite(limit) ? limit : 500 } }),
    );
  });

  // Registered before /cases/:id so "mine" is never read as a case id.
  r.get("/cases/mine", staffAuth(), async (c) => c.json(await listMyCases({ ctx: staffCtx(c), input: {} })));

  r.get("/cases/:id", staffAuth(), async (c) =>
    c.json(await getStaffCase({ ctx: staffCtx(c), input: { caseId: c.req.param("id") } })),
  );

  r.post("/cases/:id/claim", staffAuth(), async (c) =>
    c.json(await claimCase({ ctx: staffCtx(c), input: { caseId: c.req.param("id") } })),
  );

  r.post("/cases/:id/actions", staffAuth(), async (c) => {
    const body = await readJson(c, 64 * 1024);
    return c.json(await actOnCase({ ctx: staffCtx(c), input: { caseId: c.req.param("id"), body } }));
  });

  return r;
}
