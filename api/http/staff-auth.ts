import type { MiddlewareHandler } from "hono";
import type { Role } from "../context";
import { Problem, problems } from "../errors";
import { isSecureRequest, readSessionCookie } from "../services/staff/cookie";
import { resolveSession } from "../services/staff/session";
import type { AppEnv } from "./env";

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

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const csrfProblem = () => new Problem(403, "csrf", { detail: "session.cross_site" });

/** The origins this request may legitimately come from: its own URL, and https when a proxy says so. */
export function ownOrigins(request: Request): string[] {
  const url = new URL(request.url);
  const out = [url.origin];
  const xfp = (request.headers.get("x-forwarded-proto") ?? "").split(",")[0].trim().toLowerCase();
  if ((xfp === "https" || xfp === "http") && `${xfp}:` !== url.protocol) out.push(`${xfp}://${url.host}`);
  return out;
}

/** True when a state-changing request is same-origin: an Origin equal to ours, else Sec-Fetch-Site. */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return ownOrigins(request).includes(origin.toLowerCase());
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/**
 * CSRF for the staff API: every POST/PUT/PATCH/DELETE carries an Origin equal to the request's
 * own origin (or, from a browser that sends no Origin, Sec-Fetch-Site: same-origin); 403
 * otherwise. Applies to the login POST too (login CSRF). SameSite=Strict is the second fence.
 */
export function csrfGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (UNSAFE.has(c.req.method) && !isSameOriginRequest(c.req.raw)) throw csrfProblem();
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
