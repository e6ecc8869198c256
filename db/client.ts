import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type ColumnsSelection, type SQL, sql, type WithSubquery } from "drizzle-orm";
import { QueryBuilder, type WithSubqueryWithSelection } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import postgres from "postgres";
import * as schema from "./schema/index";

export { schema };

/** Both drivers expose the same query builder; we type against postgres.js and use it for both. */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** The rows of a raw statement, on either driver (postgres.js answers an array, PGlite `{ rows }`). */
export async function rowsOf<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

export interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The committed migrations folder, found from source (tsx, vitest) or from the Astro build. */
export function migrationsFolder(): string {
  const candidates = [
    path.join(here, "migrations"),
    path.resolve(process.cwd(), "db/migrations"),
    path.resolve(here, "../../db/migrations"),
    path.resolve(here, "../../../db/migrations"),
  ];
  for (const c of candidates) if (fs.existsSync(path.join(c, "meta/_journal.json"))) return c;
  throw new Error("db/migrations not found");
}

export interface OpenOptions {
  /** postgres:// URL; when absent, PGlite at pgliteDir (or in memory when pgliteDir is undefined). */
  url?: string;
  pgliteDir?: string;
  max?: number;
  /** PGlite starts from this dump (PGlite's dumpDataDir) instead of an empty cluster (a folder: only when it is empty). */
  pgliteDump?: Blob;
}

/** The embedded database's buffer cache (PostgreSQL's shared_buffers). */
export const PGLITE_SHARED_BUFFERS = "32MB";

export async function openDb(opts: OpenOptions): Promise<DbHandle> {
  if (opts.url) {
    const client = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      // Never let the driver print query parameters: they may be report content.
      debug: false,
      // No JIT compilation: this is short statements for people waiting on a page. A statistics
      // statement over ~17,000 cases spent 44 of its 156 ms compiling (bench/RESULTS.md "stats").
      connection: { jit: "off" },
    });
    const db = drizzlePostgres({ client, schema });
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  if (opts.pgliteDir) {
    // The embedded database's files are written with the process umask (often 0666 in
    // containers): the directory alone keeps other local users out of every page and WAL file.
    fs.mkdirSync(opts.pgliteDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(opts.pgliteDir, 0o700);
  }
  // pg_trgm: the register's search (migration 0009) indexes Chinese text by trigrams; btree_gin
  // puts the office in front of the trigrams in the same GIN index.
  const extensions = { pg_trgm, btree_gin };
  // PostgreSQL's default shared_buffers (128 MB, which PGlite's initdb writes) sits inside the
  // WebAssembly memory, which never shrinks: most of it is touched at start. The embedded
  // database's files are cached by the OS anyway; 32 MB holds the hot pages of a portal of this
  // size (bench/RESULTS.md "memory").
  const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
  const from = opts.pgliteDump ? { loadDataDir: opts.pgliteDump } : {};
  const client = opts.pgliteDir
    ? new PGlite(opts.pgliteDir, { extensions, startParams, ...from })
    : new PGlite({ extensions, startParams, ...from });
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}

/** Applies the committed migrations (`folder`: another journal, for tests of an upgrade). */
export async function migrateDb(handle: DbHandle, folder = migrationsFolder()): Promise<void> {
  if (handle.kind === "postgres") {
    await migratePostgres(handle.db, { migrationsFolder: folder });
  } else {
    // biome-ignore lint/suspicious/noExplicitAny: the PGlite drizzle instance behind the shared type
    await migratePglite(handle.db as any, { migrationsFolder: folder });
  }
}

/**
 * How many committed migrations the database has not applied (drizzle's journal against
 * db/migrations). An app started with MIGRATE=off refuses to run on an older schema.
 */
export async function pendingMigrations(handle: DbHandle): Promise<number> {
  const folder = migrationsFolder();
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta/_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  const res = (await handle.db.execute(
    sql`select case when to_regclass('drizzle.__drizzle_migrations') is null then 0
        else (select count(*)::int from drizzle.__drizzle_migrations) end as n`,
  )) as unknown as { n: number }[] | { rows: { n: number }[] };
  const n = Number((Array.isArray(res) ? res : res.rows)[0]?.n ?? 0);
  return Math.max(0, journal.entries.length - n);
}

// Prepared statements. On postgres.js a named drizzle query runs with `prepare: true`: each
// connection parses the statement once and afterwards sends only Bind/Execute (one round-trip
// instead of two: an unnamed statement waits for Parse/Describe before it can bind). PGlite runs
// in process and ignores the name. Both take the same SQL.

const preparedCache = new WeakMap<object, Map<string, unknown>>();

/**
 * The query `build` makes for `handle`, built once per handle and name and reused: a hot
 * query is neither rebuilt (drizzle's SQL assembly) nor re-described (postgres.js). Build it with
 * `.prepare(name)` and `sql.placeholder` for every value that varies; a transaction handle gets
 * its own (short-lived) copy.
 */
export function preparedOn<T>(handle: DbOrTx, name: string, build: (h: DbOrTx) => T): T {
  let byName = preparedCache.get(handle);
  if (!byName) {
    byName = new Map();
    preparedCache.set(handle, byName);
  }
  let q = byName.get(name) as T | undefined;
  if (q === undefined) {
    q = build(handle);
    byName.set(name, q);
  }
  return q;
}

const cteBuilder = new QueryBuilder();

/**
 * A common table expression of raw SQL (e.g. one data-modifying statement) named `alias`, whose
 * rows have the columns `fields` (in that order, as its RETURNING lists them); none when the
 * statement only writes.
 */
export function cte<F extends ColumnsSelection = Record<never, never>>(
  alias: string,
  body: SQL,
  fields: F = {} as F,
): WithSubqueryWithSelection<F, string> {
  return cteBuilder.$with(alias, fields).as(body);
}

/** One statement: the CTEs in order, answering with the rows of `from` (one of them). */
export interface CteStatement<F extends ColumnsSelection> {
  with: WithSubquery[];
  from: WithSubqueryWithSelection<F, string>;
}

/**
 * Runs a statement of CTEs (e.g. data-modifying ones hanging off a conditional UPDATE) as a
 * prepared statement, through drizzle's public `with(…).select().from(…).prepare()`: `build` runs
 * once per handle and `key` and must put every varying value in a `sql.placeholder`, whose values
 * come in `values`; later calls only bind. `key` must change whenever the SQL text would: derive
 * it from the data `build` reads. The rows come back decoded as drizzle decodes a select (dates,
 * bytea), the same on postgres.js and PGlite and inside a transaction.
 */
export async function executePrepared<F extends ColumnsSelection>(
  handle: DbOrTx,
  key: string,
  build: () => CteStatement<F>,
  values: Record<string, unknown>,
): Promise<SelectResultFields<F>[]> {
  const q = preparedOn(handle, `cte:${key}`, (h) => {
    const s = build();
    // The row type comes from F; drizzle cannot check a generic selection for emptiness.
    const from = s.from as WithSubqueryWithSelection<ColumnsSelection, string>;
    return h
      .with(...s.with)
      .select()
      .from(from)
      .prepare(key);
  });
  return (await q.execute(values)) as SelectResultFields<F>[];
}

/** A unique violation of the named constraint or index, also when drizzle wrapped the driver's error. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  if (err?.cause && isUniqueViolation(err.cause, constraint)) return true;
  return err?.code === "23505" && (err.constraint_name ?? err.constraint ?? "").includes(constraint);
}
