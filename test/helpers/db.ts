import postgres from "postgres";
import { type DbHandle, migrateDb, openDb } from "../../db/client";

export type DbKind = "pglite" | "postgres";

/** PGlite always; real PostgreSQL too when TEST_DATABASE_URL is set (as .ci/run sets it). */
export function dbKinds(): DbKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
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
