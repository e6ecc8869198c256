import { Hono } from "hono";
import { problems } from "../errors";
import { readJson } from "../http/body";
import type { AppEnv } from "../http/env";
import { staffAuth } from "../http/staff-auth";
import { decideIdentityRequest } from "../services/identity/decide";
import { listMyIdentityRequests } from "../services/identity/list-my-requests";
import { listIdentityRequests } from "../services/identity/list-requests";
import { requestIdentity } from "../services/identity/request";
import { viewContact } from "../services/identity/view-contact";
import { staffCtx } from "./staff-session";

type Body = Record<string, unknown>;

/**
 * Dual control for a reporter's contact details (DESIGN.md): request, the custodians' list,
 * decision, and the requester's view. Mounted under /api/v1/staff (CSRF check and no-store from
 * app.ts); every route needs a staff session.
 */
export function staffIdentityRequestRoutes() {
  const r = new Hono<AppEnv>();

  r.post("/cases/:id/identity-requests", staffAuth(), async (c) => {
    const body = (await readJson(c, 8 * 1024)) as Body | null;
    if (!body || typeof body !== "object") throw problems.malformed();
    const request = await requestIdentity({
      ctx: staffCtx(c),
      input: { caseId: c.req.param("id"), purpose: body.purpose },
    });
    return c.json({ request }, 201);
  });

  r.get("/cases/:id/identity-requests", staffAuth(), async (c) =>
    c.json(await listMyIdentityRequests({ ctx: staffCtx(c), input: { caseId: c.req.param("id") } })),
  );

  r.get("/identity-requests", staffAuth(), async (c) =>
    c.json(await listIdentityRequests({ ctx: staffCtx(c), input: { status: c.req.query("status") } })),
  );

  r.post("/identity-requests/:id/decision", staffAuth(), async (c) => {
    const body = (await readJson(c, 8 * 1024)) as Body | null;
    if (!body || typeof body !== "object") throw problems.malformed();
    const out = await decideIdentityRequest({
      ctx: staffCtx(c),
      input: {
        requestId: c.req.param("id"),
        decision: body.decision,
        reason: body.reason,
        passphrase: body.passphrase,
      },
    });
    return c.json(out);
  });

  r.get("/identity-requests/:id/contact", staffAuth(), async (c) => {
    const out = await viewContact({ ctx: staffCtx(c), input: { requestId: c.req.param("id") } });
    return c.json({ contact: out.contact, expiresAt: out.expiresAt });
  });

  return r;
}
