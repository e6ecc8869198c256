// 形势分析 (issue 12 §1): the pure parts — periods, the year before, which months the summary
// answers whole and which edges are read from the cases, medians from day histograms, rates.
// Dates are Asia/Shanghai calendar dates (YYYY-MM-DD), compared as strings.

/** The dimensions the summary counts (migration 0012, qf_case_stat_facts), in the page's order. */
export const STAT_DIMENSIONS = [
  "channel",
  "type",
  "category",
  "level",
  "stage",
  "disposition",
  "finding",
] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

/** Histogram dimensions: calendar days from the day received to the first 受理, to the latest 办结. */
export const DAY_DIMENSIONS = ["days_register", "days_conclude"] as const;
export type DayDimension = (typeof DAY_DIMENSIONS)[number];

/** The summary's histograms stop here: 999 means "999 days or more". */
export const DAYS_CAP = 999;

/** Earliest and latest dates a period may name (the year before must still be a date). */
export const STATS_FIRST_DAY = "2000-01-01";
export const STATS_LAST_DAY = "2099-12-31";

export interface Period {
  from: string;
  to: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function parts(day: string): [number, number, number] {
  const [y, m, d] = day.split("-").map(Number);
  return [y, m, d];
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The first day of the month of `day`. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The last day of the month that starts on `month`. */
export function monthEnd(month: string): string {
  const [y, m] = parts(month);
  return `${y}-${pad(m)}-${pad(daysInMonth(y, m))}`;
}

/** The first day of the month after `month`. */
export function nextMonth(month: string): string {
  const [y, m] = parts(month);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
}

/** Every month (its first day) that `p` touches, in order. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  for (let m = monthOf(p.from); m <= p.to; m = nextMonth(m)) out.push(m);
  return out;
}

/** The same day a year earlier; 29 February becomes 28 February. */
export function yearBefore(day: string): string {
  const [y, m, d] = parts(day);
  return `${pad(y - 1, 4)}-${pad(m)}-${pad(Math.min(d, daysInMonth(y - 1, m)))}`;
}

/** The same period a year earlier (同期). */
export function periodYearBefore(p: Period): Period {
  return { from: yearBefore(p.from), to: yearBefore(p.to) };
}

/** The default period: 1 January of this year to today (本年累计). */
export function defaultPeriod(today: string): Period {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/**
 * How a period is read. Whole months come from the summary; the days of a month the period only
 * partly covers are counted from the cases themselves (at most two such edges). A month counts as
 * whole when the period covers it from its first day to its last day, or to today: no case is
 * received after today (intake stamps today; staff intake refuses a future date), so the summary's
 * current month already holds exactly the cases up to today.
 */
export function splitPeriod(p: Period, today: string): { wholeMonths: string[]; edges: Period[] } {
  const wholeMonths: string[] = [];
  const edges: Period[] = [];
  for (const m of monthsOf(p)) {
    const end = monthEnd(m);
    const from = [p.from, m].sort()[1];
    const to = [p.to, end].sort()[0];
    const coversStart = from === m;
    const coversEnd = to === end || (to >= today && today <= end);
    if (coversStart && coversEnd) wholeMonths.push(m);
    else {
      const last = edges.at(-1);
      // Adjacent partial ranges (a period within one month is one edge) read as one range.
      if (last && nextDay(last.to) === from) last.to = to;
      else edges.push({ from, to });
    }
  }
  return { wholeMonths, edges };
}

function nextDay(day: string): string {
  const [y, m, d] = parts(day);
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/**
 * The median of a histogram of whole days ({ days: count }): the lower median for an even count
 * (a day that some case actually took). Null when the histogram is empty.
 */
export function medianDays(histogram: ReadonlyMap<number, number>): number | null {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total <= 0) return null;
  const rank = Math.ceil(total / 2);
  let seen = 0;
  for (const days of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(days) ?? 0;
    if (seen >= rank) return days;
  }
  return null;
}

/** part / whole, or null when there is no whole (shown as —, never as 0 %). */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Change against the year before as a ratio (+0.25 = 增长25%); null when last year had none. */
export function change(now: number, before: number): number | null {
  return before > 0 ? (now - before) / before : null;
}
