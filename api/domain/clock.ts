// The working-day clock: pure date arithmetic on Asia/Shanghai calendar dates (`YYYY-MM-DD`).
//
// Which days are holidays and which weekend days are 调休 make-up workdays comes from a
// WorkCalendar (api/domain/calendar.ts): the State Council's notices for the years loaded
// (official), the statutory holidays for any other year (provisional) — never "no holidays".
// Every function takes the calendar as its last argument and defaults to the process-wide active
// one, which the runtime sets once after loading the calendar from the database.
//
// We read data, not chinese-days' isWorkday()/findWorkday() helpers: those parse a date string as
// UTC midnight and format it with the process's local time zone, so on a server west of UTC they
// answer for the day before (checked: under TZ=America/Los_Angeles, isWorkday("2025-09-27"), a
// Saturday, is true).
import { builtInCalendar, type WorkCalendar } from "./calendar";

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export type IsoDate = string;

let active: WorkCalendar = builtInCalendar();

/** The calendar the clock functions use when none is passed. */
export function activeCalendar(): WorkCalendar {
  return active;
}

/** Installs the calendar loaded from the database (runtime start, and after a new year is loaded). */
export function setActiveCalendar(calendar: WorkCalendar): void {
  active = calendar;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
// China has kept UTC+8 all year since 1991 (no daylight saving), so Shanghai's date is the UTC
// date of the instant plus eight hours, whatever the server's own zone.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function toUtcDay(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function fromUtcDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDate(at: Date): IsoDate {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  return fromUtcDay(toUtcDay(date) + n);
}

/** Day of week, 0 = Sunday, of a calendar date. */
export function weekday(date: IsoDate): number {
  return new Date(toUtcDay(date) * DAY_MS).getUTCDay();
}

/** A 调休 make-up day is worked; an official (or statutory) holiday is not; otherwise Monday to Friday. */
export function isWorkingDay(date: IsoDate, calendar: WorkCalendar = active): boolean {
  if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return calendar.isWorkingDay(date);
}

/** Why a day is or is not worked, for the console ("国庆节", "春节"); undefined for an ordinary day. */
export function dayNote(date: IsoDate, calendar: WorkCalendar = active): string | undefined {
  return calendar.day(date).name;
}

/**
 * The date `n` working days after `start`. The start day itself is not counted ("自收到之日起
 * N 个工作日内" counts from the next working day), so a report received on a Saturday and one
 * received the Monday after have the same due date.
 */
export function addWorkingDays(start: IsoDate, n: number, calendar: WorkCalendar = active): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
  let day = toUtcDay(start);
  let counted = 0;
  while (counted < n) {
    day += 1;
    if (calendar.isWorkingDay(fromUtcDay(day))) counted += 1;
  }
  return fromUtcDay(day);
}

/** Working days in (from, to]: 0 when to ≤ from. */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkCalendar = active): number {
  let day = toUtcDay(from);
  const end = toUtcDay(to);
  let n = 0;
  while (day < end) {
    day += 1;
    if (calendar.isWorkingDay(fromUtcDay(day))) n += 1;
  }
  return n;
}

export interface ClockStatus {
  /** Working days left until the due date (0 on the due date itself); negative once overdue. */
  daysLeft: number;
  /** True from the day after the due date. */
  overdue: boolean;
}

/** Where a running clock stands on `today` (both Asia/Shanghai dates). */
export function clockStatus(dueOn: IsoDate, today: IsoDate, calendar: WorkCalendar = active): ClockStatus {
  if (today <= dueOn) return { daysLeft: workingDaysBetween(today, dueOn, calendar), overdue: false };
  return { daysLeft: -Math.max(1, workingDaysBetween(dueOn, today, calendar)), overdue: true };
}
