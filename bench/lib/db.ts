import postgres, { type Sql } from "postgres";
import { type DbHandle, migrateDb, openDb } from "../../db/client";

/** Admin connection used only to create and drop the benchmark's own database. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDb {
  name: string;
  url: string;
  /** Drops the database (with FORCE, so a leftover connection cannot keep it alive). */
  drop(): Promise<void>;
}

/** A fresh, empty database `qf_bench_<random>` next to the admin database. */
export async function createBenchDb(prefix = "qf_bench"): Promise<BenchDb> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: u.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Opens the app's own handle (postgres.js through db/client.ts) and applies the committed migrations. */
export async function openMigrated(url: string, max?: number): Promise<DbHandle> {
  const handle = await openDb({ url, max });
  await migrateDb(handle);
  return handle;
}

/**
 * Drops the database even when the run is interrupted (Ctrl-C) or fails, and ends a run that
 * overstays `maxSeconds` (BENCH_MAX_SECONDS overrides): a benchmark always stops by itself.
 */
export function dropOnExit(db: BenchDb, maxSeconds = 600): void {
  const limit = Number(process.env.BENCH_MAX_SECONDS ?? maxSeconds);
  setTimeout(() => {
    console.error(`benchmark still running after ${limit} s: stopping`);
    db.drop()
      .catch(() => {})
      .finally(() => process.exit(2));
  }, limit * 1000).unref();
  const onSignal = (sig: NodeJS.Signals) => {
    db.drop()
      .catch(() => {})
      .finally(() => process.kill(process.pid, sig));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

/** The postgres.js client under the app's drizzle handle (drizzle() returns it as $client). */
export function rawClient(handle: DbHandle): Sql {
  if (handle.kind !== "postgres") throw new Error("rawClient: postgres.js only");
  return (handle.db as unknown as { $client: Sql }).$client;
}
