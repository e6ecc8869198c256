import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  DISPOSITION_LABELS,
  FINDING_LABELS,
  LEVEL_LABELS,
  REPORT_TYPE_LABELS,
  STAGE_LABELS,
} from "../../../messages/labels";
import {
  STATS_COLUMNS,
  STATS_FIGURES,
  STATS_NONE,
  STATS_TABLE_TITLES,
  type StatsTableKey,
} from "../../../messages/stats";
import type { Lang, Text } from "../../../messages/text";
import { change, ratio, STAT_DIMENSIONS, type StatDimension } from "../../domain/stats";
import type { StatsFiguresOut, StatsReportOut } from "./schemas";

// Every table of the statistics page, built once from the report: the page shows them (each
// beside its chart, the table being what a screen reader reads), the CSV and XLSX exports write
// them. A cell is text, a count, a ratio (shown as a percentage) or empty (—).

export type StatsCell = string | number | { ratio: number } | null;

export interface StatsTable {
  key: StatsTableKey;
  title: string;
  columns: string[];
  rows: StatsCell[][];
}

const pct = (r: number | null): StatsCell => (r === null ? null : { ratio: r });

const LABELS: Record<StatDimension, Record<string, Text>> = {
  channel: CHANNEL_LABELS,
  type: REPORT_TYPE_LABELS,
  category: CATEGORY_LABELS,
  level: { ...LEVEL_LABELS, none: STATS_NONE.level },
  stage: STAGE_LABELS,
  disposition: { ...DISPOSITION_LABELS, none: STATS_NONE.disposition },
  finding: { ...FINDING_LABELS, none: STATS_NONE.finding },
};

/** The words of a dimension's value (its code when the catalogue has none: an old or unknown code). */
export function bucketLabel(dim: StatDimension, code: string, lang: Lang): string {
  return LABELS[dim][code]?.[lang] ?? code;
}

/** A city's counties: the offices of the report whose parent is `city`. */
function countiesOf(f: StatsFiguresOut, city: string) {
  return f.byOffice.filter((o) => o.parent === city);
}

/**
 * The bars of the city chart. For a province view: the cities, each as its own office and the
 * counties below it; for a city: its own office and each county; for a county: itself.
 */
export function cityBars(
  r: StatsReportOut,
): { label: string; own: number; counties: number; previous: number }[] {
  const cur = r.current;
  const prev = new Map(r.previous.byOffice.map((o) => [o.code, o.n]));
  const top = cur.byOffice.find((o) => o.code === r.office.code);
  if (top?.level === "province") {
    return cur.byOffice
      .filter((o) => o.level === "city")
      .map((city) => {
        const counties = countiesOf(cur, city.code);
        const sum = (xs: { n: number }[]) => xs.reduce((a, o) => a + o.n, 0);
        const prevSum = [city, ...counties].reduce((a, o) => a + (prev.get(o.code) ?? 0), 0);
        return { label: city.name, own: city.n, counties: sum(counties), previous: prevSum };
      });
  }
  return cur.byOffice.map((o) => ({ label: o.name, own: o.n, counties: 0, previous: prev.get(o.code) ?? 0 }));
}

/** Every table of a report, in the page's order, in `lang`. */
export function statsTables(r: StatsReportOut, lang: Lang): StatsTable[] {
  const c = (k: keyof typeof STATS_COLUMNS) => STATS_COLUMNS[k][lang];
  const cur = r.current;
  const prev = r.previous;
  const tables: StatsTable[] = [];
  const title = (k: StatsTableKey) => STATS_TABLE_TITLES[k][lang];

  const fig = (k: keyof typeof STATS_FIGURES) => STATS_FIGURES[k][lang];
  const counted = (k: "total" | "realName" | "repeats" | "active" | "overdue"): StatsCell[] => [
    fig(k),
    cur[k],
    prev[k],
    pct(change(cur[k], prev[k])),
  ];
  const rate = (k: "realNameShare" | "repeatShare" | "overdueRate" | "substantiatedRate"): StatsCell[] => [
    fig(k),
    pct(cur[k]),
    pct(prev[k]),
    null,
  ];
  const days = (k: "medianDaysToRegister" | "medianDaysToConclude"): StatsCell[] => [
    fig(k),
    cur[k],
    prev[k],
    null,
  ];
  tables.push({
    key: "summary",
    title: title("summary"),
    columns: [c("figure"), c("current"), c("previous"), c("change")],
    rows: [
      counted("total"),
      counted("realName"),
      rate("realNameShare"),
      counted("repeats"),
      rate("repeatShare"),
      counted("active"),
      counted("overdue"),
      rate("overdueRate"),
      rate("substantiatedRate"),
      days("medianDaysToRegister"),
      days("medianDaysToConclude"),
    ],
  });

  tables.push({
    key: "month",
    title: title("month"),
    columns: [c("month"), c("current"), c("previous"), c("change")],
    // The same shift of a year: the i-th month of the period beside the i-th of the year before.
    rows: cur.byMonth.map((m, i) => {
      const before = prev.byMonth[i]?.n ?? 0;
      return [m.month, m.n, before, pct(change(m.n, before))];
    }),
  });

  for (const dim of STAT_DIMENSIONS) {
    const before = new Map(prev[dim].map((b) => [b.code, b.n]));
    tables.push({
      key: dim,
      title: title(dim),
      columns: [c("item"), c("current"), c("share"), c("previous"), c("change")],
      rows: cur[dim].map((b) => {
        const p = before.get(b.code) ?? 0;
        return [bucketLabel(dim, b.code, lang), b.n, pct(ratio(b.n, cur.total)), p, pct(change(b.n, p))];
      }),
    });
  }

  const bars = cityBars(r);
  const province = cur.byOffice.find((o) => o.code === r.office.code)?.level === "province";
  tables.push({
    key: "city",
    title: title("city"),
    columns: province
      ? [c("city"), c("cityOwn"), c("counties"), c("total"), c("previous"), c("change")]
      : [c("office"), c("current"), c("previous"), c("change")],
    rows: bars.map((b) =>
      province
        ? [
            b.label,
            b.own,
            b.counties,
            b.own + b.counties,
            b.previous,
            pct(change(b.own + b.counties, b.previous)),
          ]
        : [b.label, b.own, b.previous, pct(change(b.own, b.previous))],
    ),
  });

  const before = new Map(prev.byOffice.map((o) => [o.code, o.n]));
  const nameOf = new Map(cur.byOffice.map((o) => [o.code, o.name]));
  tables.push({
    key: "office",
    title: title("office"),
    columns: [c("office"), c("parent"), c("current"), c("overdue"), c("previous"), c("change")],
    rows: cur.byOffice.map((o) => {
      const p = before.get(o.code) ?? 0;
      return [o.name, o.parent ? (nameOf.get(o.parent) ?? "") : "", o.n, o.overdue, p, pct(change(o.n, p))];
    }),
  });
  return tables;
}

/** A cell as text: a count as is, a ratio as a percentage with one decimal, empty as —. */
export function cellText(cell: StatsCell): string {
  if (cell === null) return "—";
  if (typeof cell === "object") {
    return `${(cell.ratio * 100).toFixed(1)}%`;
  }
  return String(cell);
}
