import type { AstroGlobal } from "astro";
import type { StaffActor } from "../../api/context";
import { astroClientSource } from "../../api/http/client-source";
import { isSameOriginRequest } from "../../api/http/staff-auth";
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

/** The session behind the request's qf_staff cookie (same validation as the API middleware). */
export async function getStaffSession(Astro: AstroLike): Promise<StaffSession | undefined> {
  const { deps } = await getRuntime();
  if (deps.config.role === "public") return undefined;
  return resolveSession(
    deps,
    readSessionCookie(Astro.request.headers.get("cookie"), isSecureRequest(deps.config, Astro.request)),
  );
}

export async function getStaffFromAstro(Astro: AstroLike): Promise<StaffActor | undefined> {
  return (await getStaffSession(Astro))?.actor;
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
  const actor = await getStaffFromAstro(Astro);
  if (!actor) return Astro.redirect("/staff/login", 303);
  return actor;
}

/** A staff form POST must come from our own pages (the API's CSRF rule; Astro's origin check is the first fence). */
export function isSameOriginPost(Astro: AstroLike): boolean {
  return isSameOriginRequest(Astro.request);
}

/**
 * The client source as a rate-limit key only (never stored or logged): the one the middleware
 * resolved (api/http/client-source.ts, honouring TRUST_PROXY), or the same function again.
 */
export function clientAddressOf(Astro: AstroGlobal, trustProxy: number): string {
  const resolved = (Astro.locals as Record<string, unknown>).clientSource;
  if (typeof resolved === "string" && resolved) return resolved;
  return astroClientSource(Astro, trustProxy);
}
