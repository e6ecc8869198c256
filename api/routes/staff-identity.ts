import { Hono } from "hono";
import { problems } from "../errors";
import { readJson } from "../http/body";
import { clientSource } from "../http/client-source";
import type { AppEnv } from "../http/env";
import { staffAuth } from "../http/staff-auth";
import { unsealIdentity } from "../services/identity/unseal";
import { staffCtx } from "./staff-session";

/** POST /api/v1/staff/cases/:id/identity — the custodian's 启封 (issue 3 part 8). */
export function staffIdentityRoutes() {
  const r = new Hono<AppEnv>();
  r.post("/cases/:id/identity", staffAuth(), async (c) => {
    c.header("Cache-Control", "no-store");
    const body = (await readJson(c, 8 * 1024)) as { passphrase?: unknown; reason?: unknown } | null;
    if (!body || typeof body !== "object") throw problems.malformed();
    const out = await unsealIdentity({
      ctx: staffCtx(c),
      input: {
        caseId: c.req.param("id"),
        passphrase: body.passphrase,
        reason: body.reason,
        source: clientSource(c),
      },
    });
    return c.json(out);
  });
  return r;
}
