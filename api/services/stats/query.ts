import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { type Period, splitPeriod } from "../../domain/stats";
import { ACTIVE_STAGES } from "../../domain/workflow";

// The statistics' two statements (docs/notes-stats.md). Every value is a bound parameter.
//
// 1. Counts: whole months from the summary (case_stats_monthly, primary key led by office and
//    month), the partial months at the period's edges from the cases themselves through the same
//    qf_case_stat_facts the summary is kept with (index cases_register_received_idx: office,
//    received_on), summed per (dimension, value), per office and per month in one GROUPING SETS.
// 2. 超期: counted live — it changes with the date, not with a write — over the cases still being
//    handled (partial index cases_stats_overdue_idx).

export interface CountRow {
  kind: "dim" | "office" | "month";
  dim: string | null;
  value: string | null;
  officeCode: string | null;
  month: string | null;
  n: number;
}

async function rowsOf<T>(db: DbOrTx, q: SQL): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The counting statement of one period over `offices` (exported for the EXPLAIN test and the bench). */
export function countsStatement(offices: readonly string[], period: Period, today: string): SQL {
  const { wholeMonths, edges } = splitPeriod(period, today);
  const parts: SQL[] = [];
  if (wholeMonths.length > 0) {
    // Only the first and last months of a period can be partial: the whole ones are contiguous.
    parts.push(sql`select s.office_code, s.month, s.dim, s.value, s.n from case_stats_monthly s
      where s.office_code in (${list(offices)})
        and s.month between ${wholeMonths[0]}::date and ${wholeMonths.at(-1)}::date`);
  }
  if (edges.length > 0) {
    const ranges = sql.join(
      edges.map((e) => sql`(c.received_on between ${e.from}::date and ${e.to}::date)`),
      sql` or `,
    );
    parts.push(sql`select c.office_code, date_trunc('month', c.received_on)::date, f.dim, f.value, 1
      from cases c cross join lateral qf_case_stat_facts(c) f
      where c.office_code in (${list(offices)}) and (${ranges})`);
  }
  const src = sql.join(parts, sql` union all `);
  return sql`with src (office_code, month, dim, value, n) as (${src})
    select case when grouping(dim, value) = 0 then 'dim'
                when grouping(office_code) = 0 then 'office' else 'month' end as kind,
      dim, value, office_code as "officeCode", to_char(month, 'YYYY-MM-DD') as month,
      (case when grouping(dim, value) = 0 then sum(n) else sum(n) filter (where dim = 'all') end)::int as n
    from src
    group by grouping sets ((dim, value), (office_code), (month))`;
}

/** Counts of one period over `offices`: per (dimension, value), per office and per month. */
export async function countRows(
  db: DbOrTx,
  offices: readonly string[],
  period: Period,
  today: string,
): Promise<CountRow[]> {
  const rows = await rowsOf<CountRow>(db, countsStatement(offices, period, today));
  return rows.map((r) => ({ ...r, n: Number(r.n ?? 0) }));
}

/** The live 超期 statement: cases received in `period`, still being handled, past a deadline. */
export function overdueStatement(offices: readonly string[], period: Period, today: string): SQL {
  return sql`select c.office_code as "officeCode", count(*)::int as n from cases c
    where c.office_code in (${list(offices)})
      and c.received_on between ${period.from}::date and ${period.to}::date
      and c.stage in (${sql.raw(ACTIVE_STAGES.map((s) => `'${s}'`).join(", "))})
      and c.next_due_on < ${today}::date
    group by c.office_code`;
}

/** 超期 per office (offices with none are left out). */
export async function overdueRows(
  db: DbOrTx,
  offices: readonly string[],
  period: Period,
  today: string,
): Promise<Map<string, number>> {
  const rows = await rowsOf<{ officeCode: string; n: number }>(db, overdueStatement(offices, period, today));
  return new Map(rows.map((r) => [r.officeCode, Number(r.n)]));
}
