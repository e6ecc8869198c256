import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema/index";

export { schema };

/** Both drivers expose the same query builder; we type against postgres.js and use it for both. */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

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
}

export async function openDb(opts: OpenOptions): Promise<DbHandle> {
  if (opts.url) {
    const client = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      // Never let the driver print query parameters: they may be report content.
      debug: false,
    });
    const db = drizzlePostgres({ client, schema });
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  if (opts.pgliteDir) fs.mkdirSync(opts.pgliteDir, { recursive: true });
  const client = opts.pgliteDir ? new PGlite(opts.pgliteDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return { db, kind: "pglite", close: () => client.close() };
}

export async function migrateDb(handle: DbHandle): Promise<void> {
  const folder = migrationsFolder();
  if (handle.kind === "postgres") {
    await migratePostgres(handle.db, { migrationsFolder: folder });
  } else {
    // biome-ignore lint/suspicious/noExplicitAny: the PGlite drizzle instance behind the shared type
    await migratePglite(handle.db as any, { migrationsFolder: folder });
  }
}
