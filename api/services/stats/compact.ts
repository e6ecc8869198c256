import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";

/** How often the staff server folds the 形势分析 summary's waiting changes in (migration 0019). */
export const STATS_COMPACT_MS = 5_000;

/**
 * Folds the committed changes of case_stats_delta into case_stats_monthly (one caller at a time;
 * another returns 0 at once). Changes no figure a reader sees: readers add both tables. Returns
 * the number of summary rows changed.
 */
export function compactStats(db: DbOrTx): Promise<number> {
  return countOf(db, sql`select qf_case_stats_compact() as n`);
}

/** The `n` a one-row statement answers, on postgres.js and PGlite alike. */
async function countOf(db: DbOrTx, statement: ReturnType<typeof sql>): Promise<number> {
  const r = (await db.execute(statement)) as unknown as
    | { n: number | string }[]
    | { rows: { n: number | string }[] };
  const rows = Array.isArray(r) ? r : r.rows;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Folds the committed changes of case_queue_delta into case_queue_counts (migration 0018), as
 * compactStats does for the summary. Returns the number of count rows changed.
 */
export function compactQueueCounts(db: DbOrTx): Promise<number> {
  return countOf(db, sql`select qf_case_queue_compact() as n`);
}
