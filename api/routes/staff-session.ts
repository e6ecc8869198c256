import type { Context } from "hono";
import { Hono } from "hono";
import type { Ctx } from "../context";
import { problems } from "../errors";
import { readJson } from "../http/body";
import { clientSource } from "../http/client-source";
import type { AppEnv } from "../http/env";
import { staffAuth } from "../http/staff-auth";
import {
  clearedSessionCookie,
  isSecureRequest,
  readSessionCookie,
  sessionCookie,
} from "../services/staff/cookie";
import { login } from "../services/staff/login";
import { deleteSession } from "../services/staff/session";
import { beginTotpEnrolment, confirmTotpEnrolment, resetOwnTotp } from "../services/staff/totp";
import { staffView } from "../services/staff/view";

export function staffCtx(c: Context<AppEnv>): Ctx {
  const actor = c.get("staff");
  if (!actor) throw problems.unauthorized();
  return { deps: c.get("deps"), requestId: c.get("requestId"), actor };
}

/** /api/v1/staff/session and the signed-in person's own account (TOTP enrolment). */
export function staffSessionRoutes() {
  const r = new Hono<AppEnv>();

  r.post("/session", async (c) => {
    const deps = c.get("deps");
    const body = (await readJson(c, 8 * 1024)) as Record<string, unknown> | null;
    if (!body || typeof body !== "object") throw problems.malformed();
    const res = await login({
      ctx: { deps, requestId: c.get("requestId"), actor: { kind: "system", name: "login" } },
      input: { username: body.username, password: body.password, totp: body.totp, source: clientSource(c) },
    });
    c.header("Set-Cookie", sessionCookie(res.token, isSecureRequest(deps.config, c.req.raw)));
    c.header("Cache-Control", "no-store");
    return c.json({ staff: res.staff });
  });

  r.get("/session", staffAuth(), (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ staff: staffView(c.get("deps"), c.get("staff")!) });
  });

  // Logging out works with any cookie, even an expired one: the answer is always 204.
  r.delete("/session", async (c) => {
    const deps = c.get("deps");
    await deleteSession(
      deps,
      readSessionCookie(c.req.header("cookie"), isSecureRequest(deps.config, c.req.raw)),
    );
    c.header("Set-Cookie", clearedSessionCookie(isSecureRequest(deps.config, c.req.raw)));
    c.header("Cache-Control", "no-store");
    return c.body(null, 204);
  });

  // TOTP changes need the current password (api/services/staff/reauth.ts), not just the cookie.
  r.post("/account/totp", staffAuth(), async (c) => {
    const body = (await readJson(c, 4096)) as { password?: unknown } | null;
    const out = await beginTotpEnrolment({ ctx: staffCtx(c), input: { password: body?.password } });
    c.header("Cache-Control", "no-store");
    return c.json(out);
  });

  r.post("/account/totp/confirm", staffAuth(), async (c) => {
    const body = (await readJson(c, 4096)) as { code?: unknown; password?: unknown } | null;
    await confirmTotpEnrolment({ ctx: staffCtx(c), input: { code: body?.code, password: body?.password } });
    c.header("Cache-Control", "no-store");
    return c.json({ enabled: true });
  });

  r.post("/account/totp/reset", staffAuth(), async (c) => {
    const body = (await readJson(c, 4096)) as { code?: unknown; password?: unknown } | null;
    await resetOwnTotp({ ctx: staffCtx(c), input: { code: body?.code, password: body?.password } });
    c.header("Cache-Control", "no-store");
    return c.json({ enabled: false });
  });

  return r;
}
