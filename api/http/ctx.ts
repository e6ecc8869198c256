import type { Context } from "hono";
import type { Ctx, Deps } from "../context";
import { problems } from "../errors";
import type { AppEnv } from "./env";

/** A verb's ctx for the citizen's API: the actor is the (anonymous) reporter. */
export function reporterCtx(deps: Deps, requestId: string): Ctx {
  return { deps, requestId, actor: { kind: "reporter" } };
}

/** A verb's ctx for a staff route: the member staffAuth() found; 401 when there is none. */
export function staffCtx(c: Context<AppEnv, string, object>): Ctx {
  const actor = c.get("staff");
  if (!actor) throw problems.unauthorized();
  return { deps: c.get("deps"), requestId: c.get("requestId"), actor };
}
