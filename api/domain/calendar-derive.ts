// The statutory holidays of any year, derived from the rules themselves: 《全国年节及纪念日放假办法》
// (2024 revision, in force from 2025-01-01), Art. 2:
//   元旦 1 day (1 January); 春节 4 days (除夕, the last day of the 12th lunar month, and 正月初一至初三);
//   清明节 1 day (the day of the solar term 清明); 劳动节 2 days (1–2 May); 端午节 1 day (五月初五);
//   中秋节 1 day (八月十五); 国庆节 3 days (1–3 October).
// The State Council's yearly notice moves days around (调休) and adds make-up workdays; that cannot
// be derived, so a derived year is only PROVISIONAL (see api/domain/calendar.ts).
//
// chinese-days' lunar and solar-term functions build Date objects in the process's local zone:
// under TZ=America/Los_Angeles, getSolarDateFromLunar("2027-01-01") answers 2027-02-07 (the right
// answer is 2027-02-06). So this module refuses to run unless the process's zone is UTC for the
// whole year: the generator (db/seed/generate-provisional-holidays.ts) sets TZ=UTC first, and the
// server never calls it (it reads the generated JSON).
import cd from "chinese-days";

export interface DerivedHoliday {
  date: string;
  name: string;
}

/** The first and last year the 2024 rules apply to and chinese-days' lunar tables cover. */
export const DERIVED_FIRST_YEAR = 2025;
export const DERIVED_LAST_YEAR = 2099;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function utcDate(s: string): string {
  return s.slice(0, 10);
}

function dayBefore(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function assertUtc(year: number): void {
  const jan = new Date(year, 0, 1).getTimezoneOffset();
  const jul = new Date(year, 6, 1).getTimezoneOffset();
  if (jan !== 0 || jul !== 0) {
    throw new Error(
      "deriveStatutoryHolidays needs the process time zone to be UTC (set process.env.TZ = 'UTC' first): chinese-days' lunar functions depend on it",
    );
  }
}

/** The 13 statutory holiday days of `year` (2025–2099), sorted by date. Requires TZ=UTC. */
export function deriveStatutoryHolidays(year: number): DerivedHoliday[] {
  if (!Number.isInteger(year) || year < DERIVED_FIRST_YEAR || year > DERIVED_LAST_YEAR) {
    throw new RangeError(
      `provisional holidays are derived for ${DERIVED_FIRST_YEAR}–${DERIVED_LAST_YEAR}: ${year}`,
    );
  }
  assertUtc(year);
  const y = String(year);
  const out: DerivedHoliday[] = [{ date: `${y}-01-01`, name: "元旦" }];

  const chuyi = utcDate(cd.getSolarDateFromLunar(`${y}-01-01`).date);
  // 除夕 is the day before 正月初一, whether the 12th month has 29 or 30 days.
  const chuxi = dayBefore(chuyi);
  const springCheck = cd.getLunarDate(chuxi);
  if (springCheck.lunarMon !== 12 || springCheck.isLeap)
    throw new Error(`${y}: ${chuxi} is not in the 12th lunar month`);
  out.push({ date: chuxi, name: "春节" });
  let d = chuyi;
  for (let i = 0; i < 3; i++) {
    out.push({ date: d, name: "春节" });
    d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }

  out.push({ date: utcDate(cd.getSolarTermDate(year, 4, "pure_brightness")), name: "清明" });
  out.push({ date: `${y}-05-01`, name: "劳动节" }, { date: `${y}-05-02`, name: "劳动节" });
  // A leap fifth or eighth month does not move the festival: it is in the ordinary month (`date`,
  // not `leapMonthDate`).
  out.push({ date: utcDate(cd.getSolarDateFromLunar(`${y}-05-05`).date), name: "端午" });
  out.push({ date: utcDate(cd.getSolarDateFromLunar(`${y}-08-15`).date), name: "中秋" });
  for (let day = 1; day <= 3; day++) out.push({ date: `${y}-10-${pad(day)}`, name: "国庆节" });

  for (const h of out) {
    if (!h.date.startsWith(`${y}-`))
      throw new Error(`${y}: derived ${h.name} on ${h.date}, outside the year`);
  }
  // 中秋 can fall on 1–3 October (2028-10-03, 2031-10-01): then it is one holiday day less.
  const seen = new Map<string, DerivedHoliday>();
  for (const h of out) if (!seen.has(h.date)) seen.set(h.date, h);
  return [...seen.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
