import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { type Period, splitPeriod } from "../../domain/stats";
import { ACTIVE_STAGES } from "../../domain/workflow";

// The statistics' two statements (docs/notes-stats.md). Every value is a bound parameter.
//
// 1. Counts: whole months from the summary (case_stats_monthly, primary key office, scope,
//    month, …): per (dimension, value) and per month from the viewed office's 'subtree' rows
//    alone (rolled up by the triggers, so a province reads as few rows as a county), per office
//    from each office's 'own' ('all', 'all') rows; the partial months at the period's edges from
//    the cases themselves through the same qf_case_stat_facts the summary is kept with (index
//    cases_register_received_idx: office, received_on), read once and added to both.
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

/**
 * The counting statement of one period at `office`, whose subtree is `offices` (the office and
 * every office below it: the subtree rows count exactly those). Exported for the EXPLAIN test and
 * the bench.
 */
export function countsStatement(
  office: string,
  offices: readonly string[],
  period: Period,
  today: string,
): SQL {
  const { wholeMonths, edges } = splitPeriod(period, today);
  const tree: SQL[] = [];
  const own: SQL[] = [];
  if (wholeMonths.length > 0) {
    // Only the first and last months of a period can be partial: the whole ones are contiguous.
    const months = sql`s.month between ${wholeMonths[0]}::date and ${wholeMonths.at(-1)}::date`;
    tree.push(sql`select s.month, s.dim, s.value, s.n from case_stats_monthly s
      where s.office_code = ${office} and s.scope = 'subtree' and ${months}`);
    own.push(sql`select s.office_code, s.n from case_stats_monthly s
      where s.office_code in (${list(offices)}) and s.scope = 'own' and ${months}
        and s.dim = 'all' and s.value = 'all'`);
  }
  let edge = sql``;
  if (edges.length > 0) {
    const ranges = sql.join(
      edges.map((e) => sql`(c.received_on between ${e.from}::date and ${e.to}::date)`),
      sql` or `,
    );
    edge = sql`edge as materialized (
      select c.office_code, date_trunc('month', c.received_on)::date as month, f.dim, f.value
      from cases c cross join lateral qf_case_stat_facts(c) f
      where c.office_code in (${list(offices)}) and (${ranges})), `;
    tree.push(sql`select e.month, e.dim, e.value, 1 from edge e`);
    own.push(sql`select e.office_code, 1 from edge e where e.dim = 'all'`);
  }
  return sql`with ${edge}tree (month, dim, value, n) as (${sql.join(tree, sql` union all `)}),
    own (office_code, n) as (${sql.join(own, sql` union all `)})
    select 'dim' as kind, dim, value, null as "officeCode", null as month, sum(n)::int as n
      from tree group by dim, value
    union all
    select 'month', null, null, null, to_char(month, 'YYYY-MM-DD'), (sum(n) filter (where dim = 'all'))::int
      from tree group by month
    union all
    select 'office', null, null, office_code, null, sum(n)::int from own group by office_code`;
}

/** Counts of one period over `offices`: per (dimension, value), per office and per month. */
export async function countRows(
  db: DbOrTx,
  office: string,
  offices: readonly string[],
  period: Period,
  today: string,
): Promise<CountRow[]> {
  const rows = await rowsOf<CountRow>(db, countsStatement(office, offices, period, today));
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
