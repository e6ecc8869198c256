import postgres from "postgres";
import { type DbHandle, migrateDb, openDb } from "../../db/client";

export type DbKind = "pglite" | "postgres";

/** PGlite always; real PostgreSQL too when TEST_DATABASE_URL is set (as .ci/run sets it). */
export function dbKinds(): DbKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** Why a test needs PostgreSQL, as `onPostgres` says it. */
export const NEEDS_POSTGRES = {
  cli: "the admin CLI opens the database itself and the test's PGlite lives in memory",
  twoConnections: "PGlite is one connection in one process",
} as const;

/**
 * Whether a test that needs PostgreSQL itself runs in this `kind`'s pass (every pass when `kind`
 * is not given). When it runs nowhere in this run (no TEST_DATABASE_URL), one line says what is
 * skipped and why, so a fresh `npm test` tells what it did not test.
 */
export function onPostgres(what: string, why: string, kind?: DbKind): boolean {
  const postgres = dbKinds().includes("postgres");
  if (!postgres)
    console.warn(`Skipped: ${what}, because ${why}. Set TEST_DATABASE_URL to run it on PostgreSQL.`);
  return kind === undefined ? postgres : kind === "postgres";
}

export interface TestDb extends DbHandle {
  url?: string;
  /** Closes the handle and drops the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database of its own for each test file: order and parallelism never matter. */
export async function createTestDb(
  kind: DbKind,
  opts: { max?: number; migrationsFolder?: string } = {},
): Promise<TestDb> {
  if (kind === "pglite") {
    const handle = await openDb({});
    await migrateDb(handle, opts.migrationsFolder);
    return { ...handle, destroy: () => handle.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `qf_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = await openDb({ url, max: opts.max ?? 10 });
  await migrateDb(handle, opts.migrationsFolder);
  return {
    ...handle,
    url,
    destroy: async () => {
      await handle.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
