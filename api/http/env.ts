import type { Deps, StaffActor } from "../context";

/** Hono variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    deps: Deps;
    staff?: StaffActor;
  };
}
