import { type SQL, sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../../db/client";
import { type Period, splitPeriod } from "../../domain/stats";
import { ACTIVE_STAGES } from "../../domain/workflow";

// The statistics' two statements (docs/notes-stats.md). Every value is a bound parameter.
//
// 1. Counts: whole months from the summary (case_stats_monthly, primary key office, scope,
//    month, …, plus the changes case_stats_delta holds until they are folded in: migration
//    0019): per (dimension, value) and per month from the viewed office's 'subtree' rows
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
    // The summary and the changes not folded into it yet (migration 0019), read in one snapshot.
    for (const table of [sql`case_stats_monthly`, sql`case_stats_delta`]) {
      tree.push(sql`select s.month, s.dim, s.value, s.n from ${table} s
        where s.office_code = ${office} and s.scope = 'subtree' and ${months}`);
      own.push(sql`select s.office_code, s.n from ${table} s
        where s.office_code in (${list(offices)}) and s.scope = 'own' and ${months}
          and s.dim = 'all' and s.value = 'all'`);
    }
  }
  let edge = sql``;
  if (edges.length > 0) {
    edge = sql`${edgeCounts(offices, edges)}, `;
    tree.push(sql`select e.month, e.dim, e.value, e.n from edge e`);
    own.push(sql`select e.office_code, e.n from edge e where e.dim = 'all'`);
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

/**
 * The facts of qf_case_stat_facts (migration 0012), one column each, in the order of EDGE_DIMS.
 * The partial months are counted from these columns by one grouping-sets aggregate instead of
 * unnesting ~12 fact rows per case and grouping those (bench/RESULTS.md "stats": the edges of a
 * province period are ~33,000 cases). test/integration/stats.test.ts checks that both count the
 * same on every dimension.
 */
const EDGE_DIMS: readonly (readonly [dim: string, expr: string])[] = [
  ["channel", "c.channel"],
  ["type", "c.type"],
  ["category", "c.category"],
  ["level", "coalesce(c.subject_level, 'none')"],
  ["real_name", "case when c.real_name then 'yes' else 'no' end"],
  ["repeat", "case when c.merged_into is not null or c.stage in ('merged', 'kept') then 'yes' else 'no' end"],
  ["stage", "c.stage"],
  ["disposition", "coalesce(c.disposition, 'none')"],
  ["finding", "coalesce(c.finding, 'none')"],
  [
    "days_register",
    "case when c.registered_on is not null then least(greatest(c.registered_on - c.received_on, 0), 999)::text end",
  ],
  [
    "days_conclude",
    "case when c.concluded_on is not null then least(greatest(c.concluded_on - c.received_on, 0), 999)::text end",
  ],
];

/**
 * `edge (office_code, month, dim, value, n)`: the facts of the cases of `offices` received within
 * `ranges`, counted per month and (dimension, value); the ('all', 'all') rows per office. A CTE
 * (the text after `with`). Exported for the test that checks it against qf_case_stat_facts.
 */
export function edgeCounts(offices: readonly string[], ranges: readonly Period[]): SQL {
  const within = sql.join(
    ranges.map((e) => sql`(c.received_on between ${e.from}::date and ${e.to}::date)`),
    sql` or `,
  );
  const cols = EDGE_DIMS.map(([, expr], i) => `${expr} as d${i}`).join(", ");
  const names = EDGE_DIMS.map((_, i) => `d${i}`);
  // grouping(o, d0 … d10): bit 11 is o's, bit (10 − i) d_i's; a bit is 0 only in the sets grouping by it.
  const all = (1 << (names.length + 1)) - 1;
  const sets = [`(o, m)`, ...names.map((d) => `(m, ${d})`)].join(", ");
  const unpivot = EDGE_DIMS.map(
    ([dim], i) => `('${dim}', a.d${i}, ${all - (1 << (names.length - 1 - i))})`,
  ).join(", ");
  return sql`edge as materialized (
    with a as (
      select f.o, f.m, ${sql.raw(names.join(", "))}, grouping(f.o, ${sql.raw(names.join(", "))}) as g, count(*)::int as n
      from (select c.office_code as o, date_trunc('month', c.received_on)::date as m, ${sql.raw(cols)}
        from cases c where c.office_code in (${list(offices)}) and (${within})) f
      group by grouping sets (${sql.raw(sets)}))
    select a.o as office_code, a.m as month, 'all' as dim, 'all' as value, a.n from a
      where a.g = ${sql.raw(String(all - (1 << names.length)))}
    union all
    select null, a.m, v.dim, v.value, a.n from a
      cross join lateral (values ${sql.raw(unpivot)}) as v(dim, value, g)
      where a.g = v.g and v.value is not null)`;
}

/** Counts of one period over `offices`: per (dimension, value), per office and per month. */
export async function countRows(
  db: DbOrTx,
  office: string,
  offices: readonly string[],
  period: Period,
  today: string,
): Promise<CountRow[]> {
  const statement = countsStatement(office, offices, period, today);
  // The partial months' grouping sets: the planner overestimates their groups (~100,000 where a
  // province period has a few hundred) and, within the default 4 MB, sorts the cases once per set
  // instead of hashing them in one pass: 90 → 45 ms at 1,000,000 cases (bench/RESULTS.md "stats").
  // The hash tables this allows are a few hundred rows each; the setting ends with the transaction.
  const rows = splitPeriod(period, today).edges.length
    ? await db.transaction(async (tx) => {
        await tx.execute(sql`set local work_mem = '64MB'`);
        return rowsOf<CountRow>(tx, statement);
      })
    : await rowsOf<CountRow>(db, statement);
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
