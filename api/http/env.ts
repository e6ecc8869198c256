import type { Ctx, Deps, StaffActor } from "../context";

/** Hono variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    deps: Deps;
    staff?: StaffActor;
  };
}

export function reporterCtx(deps: Deps, requestId: string): Ctx {
  return { deps, requestId, actor: { kind: "reporter" } };
}
