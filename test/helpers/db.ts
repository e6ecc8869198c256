import fs from "node:fs";
import path from "node:path";
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

let templateDump: Blob | undefined;
/** The migrated empty PGlite the global setup dumped (test/global-setup.ts), read once per worker. */
function pgliteTemplate(): Blob | undefined {
  const file = process.env.QF_PGLITE_TEMPLATE;
  if (!file || !fs.existsSync(file)) return undefined;
  templateDump ??= new Blob([fs.readFileSync(file)]);
  return templateDump;
}

/**
 * Fills `dataDir`/pglite (the embedded database `npm start` keeps there) with the migrated template
 * when the folder has no database yet, so a server started on it finds every migration applied
 * instead of running initdb and the whole history (seconds per page test). False when there is
 * no template (a run without the global setup) or the folder already holds a database.
 */
export async function restorePgliteTemplate(dataDir: string): Promise<boolean> {
  const template = pgliteTemplate();
  const dir = path.join(dataDir, "pglite");
  if (!template || fs.existsSync(path.join(dir, "PG_VERSION"))) return false;
  fs.mkdirSync(dir, { recursive: true });
  const handle = await openDb({ pgliteDir: dir, pgliteDump: template });
  await handle.close();
  return true;
}

/**
 * Makes the migrated templates every test database starts from, so a test file pays for a copy
 * instead of PGlite's initdb and the whole migration history: a PGlite dump in `dir` and, with
 * TEST_DATABASE_URL, a PostgreSQL template database. Sets the variables createTestDb reads (the
 * test workers inherit them) and answers the cleanup.
 */
export async function makeTemplates(dir: string): Promise<() => Promise<void>> {
  const pg = await openDb({});
  await migrateDb(pg);
  const client = (pg.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
  const file = path.join(dir, "pglite-template.tar");
  fs.writeFileSync(file, Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer()));
  await pg.close();
  process.env.QF_PGLITE_TEMPLATE = file;
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return async () => {};
  const name = `qf_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const handle = await openDb({ url: u.toString(), max: 1 });
  await migrateDb(handle);
  await handle.close();
  process.env.QF_PG_TEMPLATE = name;
  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}

/** A fresh, migrated database of its own for each test file: order and parallelism never matter. */
export async function createTestDb(
  kind: DbKind,
  opts: { max?: number; migrationsFolder?: string } = {},
): Promise<TestDb> {
  if (kind === "pglite") {
    const template = opts.migrationsFolder === undefined ? pgliteTemplate() : undefined;
    const handle = await openDb(template ? { pgliteDump: template } : {});
    // From the template this finds every migration applied: one query.
    await migrateDb(handle, opts.migrationsFolder);
    return { ...handle, destroy: () => handle.close() };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `qf_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const template = opts.migrationsFolder === undefined ? process.env.QF_PG_TEMPLATE : undefined;
  await admin.unsafe(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
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
