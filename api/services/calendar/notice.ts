import type { Actor } from "../../context";
import type { WorkCalendar } from "../../domain/calendar";
import { activeCalendar, addCalendarDays, shanghaiDate } from "../../domain/clock";

/** How far ahead (calendar days, Asia/Shanghai) a provisional year is announced. */
export const PROVISIONAL_WARNING_DAYS = 60;

/** The provisional years among the days from `today` through `today + days`. */
export function provisionalYearsAhead(
  calendar: WorkCalendar,
  today: string,
  days: number = PROVISIONAL_WARNING_DAYS,
): number[] {
  return calendar.provisionalYearsBetween(today, addCalendarDays(today, days));
}

/**
 * The years the staff console's notice names (admins and supervisors only: they load the notice
 * or chase whoever does); empty when every day of the next 60 is in an official year.
 */
export function calendarNoticeFor(
  actor: Actor,
  now: Date,
  calendar: WorkCalendar = activeCalendar(),
): number[] {
  if (actor.kind !== "staff" || !actor.roles.some((r) => r === "admin" || r === "supervisor")) return [];
  return provisionalYearsAhead(calendar, shanghaiDate(now));
}
