import type { Logger } from "pino";
import type { DbHandle } from "../db/client";
import { createApp } from "./app";
import { type Config, parseConfig } from "./config";
import type { Deps } from "./context";
import { createDeps } from "./deps";

export interface Runtime {
  config: Config;
  deps: Deps;
  handle: DbHandle;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/**
 * Opens the database, migrates (or checks) it, loads the keys and starts the server's background
 * work (api/deps.ts, `serving`); once per process.
 */
export async function startRuntime(config: Config = parseConfig(), log?: Logger): Promise<Runtime> {
  const { deps, handle, close } = await createDeps({
    config,
    log,
    schema: "at-start",
    keys: "files",
    serving: true,
  });
  return { config, deps, handle, app: createApp(deps, { edge: true }), close };
}

let current: Promise<Runtime> | undefined;

/** The process-wide runtime, shared by the API bridge and the pages (one database handle). */
export function getRuntime(): Promise<Runtime> {
  current ??= startRuntime().catch((e) => {
    current = undefined;
    throw e;
  });
  return current;
}

/** The runtime if it was started and opened, without starting it (undefined if it failed). */
export async function peekRuntime(): Promise<Runtime | undefined> {
  return current?.catch(() => undefined);
}
