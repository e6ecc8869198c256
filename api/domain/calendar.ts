// The working-day calendar as data: which days are official holidays and which weekend days are
// 调休 make-up workdays, for every year, never silently "no holidays".
//
// - An OFFICIAL year is one whose State Council notice (国务院办公厅关于某年部分节假日安排的通知)
//   is loaded: its days off and make-up workdays, exactly. At start the runtime stores the years
//   chinese-days ships (2004–2026) in the database; `admin calendar load` adds new ones.
// - Any other year is PROVISIONAL: the statutory holidays of 《全国年节及纪念日放假办法》
//   (db/seed/provisional-holidays.json, generated for 2025–2099), weekends as usual, no 调休.
//   Beyond the generated years only the fixed-date holidays (元旦, 劳动节, 国庆节) are known.
//
// A WorkCalendar is a plain value built from that data (no I/O): the clock functions take one,
// and default to the process-wide active calendar (set once by the runtime after loading from the
// database; chinese-days' data plus the provisional years until then, so pure tests need none).
import officialData from "chinese-days/dist/chinese-days.json" with { type: "json" };
import chineseDaysPackage from "chinese-days/package.json" with { type: "json" };
import provisionalData from "../../db/seed/provisional-holidays.json" with { type: "json" };

export const DAY_KINDS = ["holiday", "workday"] as const;
export type DayKind = (typeof DAY_KINDS)[number];
export const YEAR_STATUSES = ["official", "provisional"] as const;
export type YearStatus = (typeof YEAR_STATUSES)[number];

export interface CalendarDay {
  /** `YYYY-MM-DD` (Asia/Shanghai). */
  date: string;
  kind: DayKind;
  /** 元旦, 春节, 国庆节调休 … as the notice names it. */
  name: string;
}

/** One year's State Council notice. Its days may include late December of the year before (元旦). */
export interface OfficialYear {
  year: number;
  source: string;
  days: CalendarDay[];
}

const PROVISIONAL_YEARS = (provisionalData as { years: Record<string, Record<string, string>> }).years;

/** 元旦, 劳动节 and 国庆节 fall on fixed dates: what is known of a year with no derived data. */
function fixedDateHolidays(year: number): Map<string, string> {
  const y = String(year).padStart(4, "0");
  return new Map([
    [`${y}-01-01`, "元旦"],
    [`${y}-05-01`, "劳动节"],
    [`${y}-05-02`, "劳动节"],
    [`${y}-10-01`, "国庆节"],
    [`${y}-10-02`, "国庆节"],
    [`${y}-10-03`, "国庆节"],
  ]);
}

/** The statutory holidays of a year not officially loaded (provisional), by date. */
export function provisionalHolidays(year: number): Map<string, string> {
  const derived = PROVISIONAL_YEARS[String(year)];
  return derived ? new Map(Object.entries(derived)) : fixedDateHolidays(year);
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export interface DayInfo {
  working: boolean;
  /** The holiday or make-up day's name; undefined for an ordinary weekday or weekend. */
  name?: string;
  /** Where the answer comes from: the year's notice, or the statutory holidays only. */
  status: YearStatus;
}

export class WorkCalendar {
  private readonly official = new Map<number, { source: string }>();
  private readonly days = new Map<string, { kind: DayKind; name: string }>();
  private readonly provisional = new Map<number, Map<string, string>>();

  constructor(years: OfficialYear[]) {
    for (const y of years) {
      this.official.set(y.year, { source: y.source });
      for (const d of y.days) this.days.set(d.date, { kind: d.kind, name: d.name });
    }
  }

  /** Official when the year's notice is loaded, else provisional. */
  status(year: number): YearStatus {
    return this.official.has(year) ? "official" : "provisional";
  }

  source(year: number): string | undefined {
    return this.official.get(year)?.source;
  }

  officialYears(): number[] {
    return [...this.official.keys()].sort((a, b) => a - b);
  }

  private provisionalOf(year: number): Map<string, string> {
    let m = this.provisional.get(year);
    if (!m) {
      m = provisionalHolidays(year);
      this.provisional.set(year, m);
    }
    return m;
  }

  /**
   * A day named in a loaded notice is what the notice says; otherwise in an official year an
   * ordinary weekday or weekend, and in a provisional year a statutory holiday is off.
   */
  day(date: string): DayInfo {
    const year = yearOf(date);
    const status = this.status(year);
    const listed = this.days.get(date);
    if (listed) return { working: listed.kind === "workday", name: listed.name, status };
    if (status === "provisional") {
      const name = this.provisionalOf(year).get(date);
      if (name) return { working: false, name, status };
    }
    const w = weekdayOf(date);
    return { working: w >= 1 && w <= 5, status };
  }

  isWorkingDay(date: string): boolean {
    return this.day(date).working;
  }

  /** The years of the days from `from` through `to` (inclusive) that are only provisional. */
  provisionalYearsBetween(from: string, to: string): number[] {
    const out: number[] = [];
    for (let y = yearOf(from); y <= yearOf(to); y++) if (this.status(y) === "provisional") out.push(y);
    return out;
  }

  /** Every listed or derived special day of a year, by date: what `calendar show` prints. */
  daysOfYear(year: number): CalendarDay[] {
    const out = new Map<string, CalendarDay>();
    if (this.status(year) === "provisional") {
      for (const [date, name] of this.provisionalOf(year)) out.set(date, { date, kind: "holiday", name });
    }
    for (const [date, d] of this.days) if (yearOf(date) === year) out.set(date, { date, ...d });
    return [...out.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  }
}

/** chinese-days names days "English,中文,n": the Chinese name is what staff read. */
function chineseName(s: string): string {
  return s.split(",")[1] ?? s;
}

/**
 * The notices chinese-days ships, by notice year. A 元旦 day in December belongs to the next
 * year's notice (e.g. 2018-12-29 worked and 2018-12-30/31 off were in the 2019 notice).
 */
export function chineseDaysOfficialYears(): OfficialYear[] {
  const byYear = new Map<number, CalendarDay[]>();
  const add = (date: string, kind: DayKind, raw: string) => {
    const name = chineseName(raw);
    const year = date.slice(5, 7) === "12" && name === "元旦" ? yearOf(date) + 1 : yearOf(date);
    const list = byYear.get(year) ?? [];
    list.push({ date, kind, name });
    byYear.set(year, list);
  };
  const data = officialData as { holidays: Record<string, string>; workdays: Record<string, string> };
  for (const [date, name] of Object.entries(data.holidays)) add(date, "holiday", name);
  for (const [date, name] of Object.entries(data.workdays)) add(date, "workday", name);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, days]) => ({
      year,
      source: `chinese-days ${CHINESE_DAYS_VERSION}（国务院办公厅${year}年部分节假日安排的通知）`,
      days: days.sort((a, b) => (a.date < b.date ? -1 : 1)),
    }));
}

/** The chinese-days release the built-in official years come from. */
export const CHINESE_DAYS_VERSION: string = chineseDaysPackage.version;

/** The calendar before anything is loaded from the database: chinese-days' years, provisional after. */
export function builtInCalendar(): WorkCalendar {
  return new WorkCalendar(chineseDaysOfficialYears());
}
