import type { StaffActor, VerbArgs } from "../../context";
import { CATEGORY_CODES, REPORT_TYPES } from "../../domain/categories";
import { CHANNELS } from "../../domain/channels";
import { shanghaiDate } from "../../domain/clock";
import { MANAGEMENT_LEVELS } from "../../domain/routing";
import {
  DAYS_CAP,
  defaultPeriod,
  medianDays,
  monthsOf,
  type Period,
  periodYearBefore,
  ratio,
  type StatDimension,
} from "../../domain/stats";
import { ACTIVE_STAGES, DISPOSITIONS, FINDINGS, STAGES } from "../../domain/workflow";
import { fieldError, problems } from "../../errors";
import { officesInView, readsBelow, staffOf } from "../cases/scope";
import { type CountRow, countRows, overdueRows } from "./query";
import type { StatsFiguresOut, StatsQueryInput, StatsReportOut } from "./schemas";

/** The codes each dimension lists, zeros included, in the order the forms list them. */
const CODES: Record<StatDimension, readonly string[]> = {
  channel: CHANNELS,
  type: REPORT_TYPES,
  category: CATEGORY_CODES,
  level: [...MANAGEMENT_LEVELS, "none"],
  stage: STAGES,
  disposition: [...DISPOSITIONS, "none"],
  finding: [...FINDINGS, "none"],
};

/** Who may read the statistics: supervisors (and leaders, who read the offices below too). */
export function readsStats(actor: StaffActor): boolean {
  return readsBelow(actor.roles);
}

/**
 * The offices a request counts and the period, after the checks only the server can make: the
 * office must be the caller's or one below it (its subtree is counted); from ≤ to. 422 otherwise.
 */
export function statsScope(
  ctx: VerbArgs<unknown>["ctx"],
  actor: StaffActor,
  input: Pick<StatsQueryInput, "from" | "to" | "office">,
): { office: string; offices: string[]; period: Period } {
  const { offices } = ctx.deps;
  const view = officesInView(offices, actor);
  const errors = [];
  const office = input.office ?? actor.officeCode;
  if (!view.includes(office)) errors.push(fieldError("office", "register.office"));
  const fallback = defaultPeriod(shanghaiDate(ctx.deps.now()));
  const period = { from: input.from ?? fallback.from, to: input.to ?? fallback.to };
  if (period.from > period.to) errors.push(fieldError("to", "register.date_range"));
  if (errors.length > 0) throw problems.invalid(errors);
  const subtree = [office, ...offices.descendantsOf(office).map((o) => o.code)];
  return { office, offices: subtree.filter((c) => view.includes(c)), period };
}

/**
 * GET /api/v1/staff/stats — 形势分析: what the cases received in a period at the caller's office
 * (or one below) and every office below it add up to, beside the same period a year earlier.
 * Reads only; a handler or intake officer without the supervisor role is refused (403).
 */
export async function statsReport({ ctx, input }: VerbArgs<StatsQueryInput>): Promise<StatsReportOut> {
  const actor = staffOf(ctx);
  if (!readsStats(actor)) throw problems.forbidden("stats.forbidden");
  const { office, offices, period } = statsScope(ctx, actor, input);
  const comparison = periodYearBefore(period);
  const today = shanghaiDate(ctx.deps.now());
  const db = ctx.deps.db;
  const [now, before, lateNow, lateBefore] = await Promise.all([
    countRows(db, office, offices, period, today),
    countRows(db, office, offices, comparison, today),
    overdueRows(db, offices, period, today),
    overdueRows(db, offices, comparison, today),
  ]);
  return {
    office: { code: office, name: ctx.deps.offices.get(office)?.name ?? office },
    period,
    comparison,
    current: figures(ctx.deps.offices, offices, period, now, lateNow),
    previous: figures(ctx.deps.offices, offices, comparison, before, lateBefore),
  };
}

function figures(
  directory: VerbArgs<unknown>["ctx"]["deps"]["offices"],
  offices: string[],
  period: Period,
  rows: CountRow[],
  overdue: Map<string, number>,
): StatsFiguresOut {
  const dims = new Map<string, Map<string, number>>();
  const byOffice = new Map<string, number>();
  const byMonth = new Map<string, number>();
  for (const r of rows) {
    if (r.kind === "dim" && r.dim !== null && r.value !== null) {
      const m = dims.get(r.dim) ?? new Map<string, number>();
      dims.set(r.dim, m);
      m.set(r.value, (m.get(r.value) ?? 0) + r.n);
    } else if (r.kind === "office" && r.officeCode !== null) byOffice.set(r.officeCode, r.n);
    else if (r.kind === "month" && r.month !== null) byMonth.set(r.month.slice(0, 7), r.n);
  }
  const of = (dim: string, value: string) => dims.get(dim)?.get(value) ?? 0;
  const buckets = (dim: StatDimension) => {
    const seen = dims.get(dim) ?? new Map<string, number>();
    const codes = [...CODES[dim], ...[...seen.keys()].filter((k) => !CODES[dim].includes(k)).sort()];
    return codes.map((code) => ({ code, n: seen.get(code) ?? 0 }));
  };
  const histogram = (dim: string) => {
    const h = new Map<number, number>();
    for (const [value, n] of dims.get(dim) ?? []) h.set(Math.min(Number(value), DAYS_CAP), n);
    return h;
  };
  const sum = (h: Map<number, number>) => [...h.values()].reduce((a, b) => a + b, 0);
  const total = of("all", "all");
  const active = ACTIVE_STAGES.reduce((a, s) => a + of("stage", s), 0);
  const late = [...overdue.values()].reduce((a, b) => a + b, 0);
  const findings = {
    substantiated: of("finding", "substantiated"),
    partly: of("finding", "partly"),
    unsubstantiated: of("finding", "unsubstantiated"),
  };
  const found = findings.substantiated + findings.partly + findings.unsubstantiated;
  const toRegister = histogram("days_register");
  const toConclude = histogram("days_conclude");
  return {
    total,
    realName: of("real_name", "yes"),
    realNameShare: ratio(of("real_name", "yes"), total),
    repeats: of("repeat", "yes"),
    repeatShare: ratio(of("repeat", "yes"), total),
    active,
    overdue: late,
    overdueRate: ratio(late, total),
    findings,
    substantiatedRate: ratio(findings.substantiated + findings.partly, found),
    registered: sum(toRegister),
    medianDaysToRegister: medianDays(toRegister),
    concluded: sum(toConclude),
    medianDaysToConclude: medianDays(toConclude),
    byMonth: monthsOf(period).map((m) => ({ month: m.slice(0, 7), n: byMonth.get(m.slice(0, 7)) ?? 0 })),
    channel: buckets("channel"),
    type: buckets("type"),
    category: buckets("category"),
    level: buckets("level"),
    stage: buckets("stage"),
    disposition: buckets("disposition"),
    finding: buckets("finding"),
    byOffice: offices.map((code) => {
      const o = directory.get(code);
      return {
        code,
        name: o?.name ?? code,
        level: o?.level ?? "county",
        parent: o?.parentCode ?? null,
        n: byOffice.get(code) ?? 0,
        overdue: overdue.get(code) ?? 0,
      };
    }),
  };
}
