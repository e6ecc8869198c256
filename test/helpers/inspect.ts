import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

async function rows<T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

export async function tableNames(db: Db): Promise<string[]> {
  const r = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  return r.map((x) => x.table_name);
}

/** Row count of every table: a rejected request must leave all of them unchanged. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await tableNames(db)) {
    const [r] = await rows<{ n: string | number }>(db, sql.raw(`select count(*) as n from "${t}"`));
    out[t] = Number(r.n);
  }
  return out;
}

/**
 * Every value of every text, varchar, jsonb, array and bytea column of every table, as text
 * (bytea decoded as UTF-8 and as latin1, so a plain string inside binary is found too).
 */
export async function allStoredText(db: Db): Promise<string[]> {
  const cols = await rows<{ table_name: string; column_name: string; data_type: string }>(
    db,
    sql`select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and data_type in ('text','character varying','jsonb','json','bytea','ARRAY')`,
  );
  const out: string[] = [];
  for (const c of cols) {
    const expr = c.data_type === "bytea" ? `"${c.column_name}"` : `"${c.column_name}"::text`;
    const vals = await rows<{ v: unknown }>(db, sql.raw(`select ${expr} as v from "${c.table_name}"`));
    for (const { v } of vals) {
      if (v === null || v === undefined) continue;
      if (v instanceof Uint8Array) {
        out.push(Buffer.from(v).toString("utf8"), Buffer.from(v).toString("latin1"));
      } else out.push(String(v));
    }
  }
  return out;
}

/** Returns which of `needles` appear anywhere in the stored data. */
export async function findInDatabase(db: Db, needles: string[]): Promise<string[]> {
  const hay = (await allStoredText(db)).join("\n");
  return needles.filter((n) => hay.includes(n));
}
