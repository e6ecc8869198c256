import type { MiddlewareHandler } from "hono";
import type { Role } from "../context";
import { Problem, problems } from "../errors";
import { isSecureRequest, readSessionCookie } from "../services/staff/cookie";
import { resolveSession } from "../services/staff/session";
import type { AppEnv } from "./env";
import { isSameOriginRequest } from "./origin-check";

/**
 * Staff session: reads the qf_staff cookie, checks it against staff_sessions (idle timeout,
 * disabled account) and sets c.get("staff"); 401 problem+json otherwise.
 */
export function staffAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = await resolveSession(
      c.get("deps"),
      readSessionCookie(c.req.header("cookie"), isSecureRequest(c.get("deps").config, c.req.raw)),
    );
    if (!session) throw problems.unauthorized();
    c.set("staff", session.actor);
    await next();
  };
}

/** 403 unless the signed-in staff member holds one of the roles. Use after staffAuth(). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get("staff");
    if (!actor) throw problems.unauthorized();
    if (!actor.roles.some((r) => roles.includes(r))) throw problems.forbidden();
    await next();
  };
}

export const csrfProblem = () => new Problem(403, "csrf", { detail: "session.cross_site" });

/**
 * CSRF for the staff API: every state-changing request passes the `staff` origin rule
 * (origin-check.ts), the same one the staff pages' forms pass; 403 otherwise.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isSameOriginRequest(c.req.raw, "staff")) throw csrfProblem();
    await next();
  };
}

/** Staff answers never go into a shared or browser cache. */
export function noStore(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  };
}
