import type { AstroGlobal } from "astro";
import type { StaffActor } from "../../api/context";
import { isSameOriginRequest } from "../../api/http/origin-check";
import { getRuntime } from "../../api/runtime";
import { isSecureRequest, readSessionCookie } from "../../api/services/staff/cookie";
import { resolveSession, type StaffSession } from "../../api/services/staff/session";

type AstroLike = Pick<AstroGlobal, "request">;

/** Staff pages do not exist in an APP_ROLE=public process. */
export async function staffPagesEnabled(): Promise<boolean> {
  return (await getRuntime()).deps.config.role !== "public";
}

export function notFoundResponse(): Response {
  return new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The session behind the request's qf_staff cookie (same validation as the API middleware).
 * The edge resolves it once per staff page request (site/middleware/staff-actor.ts, into
 * Astro.locals.staff); a page reads it again only when its own POST changed it (TOTP enrolment).
 */
export async function getStaffSession({ request }: { request: Request }): Promise<StaffSession | undefined> {
  const { deps } = await getRuntime();
  if (deps.config.role === "public") return undefined;
  return resolveSession(
    deps,
    readSessionCookie(request.headers.get("cookie"), isSecureRequest(deps.config, request)),
  );
}

/**
 * For the top of every staff page: the signed-in actor, or a Response to return at once —
 * 404 in a public-role process, else a 303 to /staff/login. Also sets Cache-Control: no-store.
 *
 *   const who = await requireStaffPage(Astro);
 *   if (who instanceof Response) return who;
 */
export async function requireStaffPage(Astro: AstroGlobal): Promise<StaffActor | Response> {
  if (!(await staffPagesEnabled())) return notFoundResponse();
  Astro.response.headers.set("Cache-Control", "no-store");
  const actor = Astro.locals.staff;
  if (!actor) return Astro.redirect("/staff/login", 303);
  return actor;
}

/**
 * A staff form POST must come from our own pages: the `staff` origin rule, the one the staff API
 * applies (api/http/origin-check.ts); the edge's `public` rule has already run.
 */
export function isSameOriginPost(Astro: AstroLike): boolean {
  return isSameOriginRequest(Astro.request, "staff");
}
