import { z } from "zod";
import { type CalendarFieldCode, isCalendarFieldCode } from "../../../messages/staff-fields";
import type { CalendarDay } from "../../domain/calendar";
import { isIsoDate, weekday } from "../../domain/clock";
import { calendarFieldError, type FieldError, withFacts } from "../../errors";

// The file `admin calendar load` reads: one State Council notice (docs/calendar.md).
//   { "year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知 国办发明电〔2026〕N号",
//     "holidays": [{ "date": "2027-01-01", "name": "元旦" }, …],
//     "workdays": [{ "date": "2027-02-14", "name": "春节调休" }] }

const entry = z.strictObject({
  date: z.string().refine(isIsoDate, { message: "calendar.date" }),
  name: z.string().trim().min(1, { message: "calendar.name" }).max(40, { message: "calendar.name" }),
});

const noticeSchema = z.strictObject({
  year: z
    .number({ message: "calendar.year" })
    .int({ message: "calendar.year" })
    .min(2000, { message: "calendar.year" })
    .max(2099, { message: "calendar.year" }),
  source: z
    .string({ message: "calendar.source" })
    .trim()
    .min(4, { message: "calendar.source" })
    .max(300, { message: "calendar.source" }),
  holidays: z.array(entry, { message: "calendar.no_holidays" }).min(1, { message: "calendar.no_holidays" }),
  workdays: z.array(entry).default([]),
});

export interface Notice {
  year: number;
  source: string;
  /** The holidays, then the workdays, each in the file's order (error paths index them). */
  days: CalendarDay[];
}

/**
 * A notice's own dates: the year itself, and from 20 December of the year before, where a 元旦
 * bridge may fall (the 2019 notice: 2018-12-29 worked, 2018-12-30 and 31 off).
 */
export function inNoticeWindow(year: number, date: string): boolean {
  return date.startsWith(`${year}-`) || (date.startsWith(`${year - 1}-12-`) && date >= `${year - 1}-12-20`);
}

/** Parses and checks a notice file's JSON; every problem comes back with its path, none stored. */
export function parseNotice(
  raw: unknown,
): { ok: true; notice: Notice } | { ok: false; errors: FieldError[] } {
  const r = noticeSchema.safeParse(raw);
  if (!r.success) {
    return {
      ok: false,
      errors: r.error.issues.map((i) => {
        const path = i.path.map(String).join(".") || "(file)";
        if (i.code === "unrecognized_keys")
          return withFacts(
            calendarFieldError(path, "calendar.unknown_field"),
            `: ${(i as { keys: string[] }).keys.join(", ")}`,
          );
        // The schema puts a code in each issue's message; anything else zod says is invalid.
        const code: CalendarFieldCode = isCalendarFieldCode(i.message) ? i.message : "calendar.invalid";
        return calendarFieldError(path, code);
      }),
    };
  }
  const n = r.data;
  const errors: FieldError[] = [];
  const seen = new Map<string, "holidays" | "workdays">();
  const days: CalendarDay[] = [];
  for (const list of ["holidays", "workdays"] as const) {
    n[list].forEach((d, i) => {
      const path = `${list}.${i}.date`;
      if (!inNoticeWindow(n.year, d.date)) errors.push(calendarFieldError(path, "calendar.outside_year"));
      else if (seen.has(d.date))
        errors.push(
          calendarFieldError(path, seen.get(d.date) === list ? "calendar.duplicate" : "calendar.both"),
        );
      else if (list === "workdays" && weekday(d.date) !== 0 && weekday(d.date) !== 6)
        errors.push(calendarFieldError(path, "calendar.workday_weekday"));
      seen.set(d.date, list);
      days.push({ date: d.date, kind: list === "holidays" ? "holiday" : "workday", name: d.name });
    });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, notice: { year: n.year, source: n.source, days } };
}

/** The field error for a date another year's notice already holds (found inside the load). */
export function takenDateError(notice: Notice, date: string): FieldError {
  const hIdx = notice.days.filter((d) => d.kind === "holiday").findIndex((d) => d.date === date);
  const path =
    hIdx >= 0
      ? `holidays.${hIdx}.date`
      : `workdays.${notice.days.filter((d) => d.kind === "workday").findIndex((d) => d.date === date)}.date`;
  return withFacts(calendarFieldError(path, "calendar.taken"), ` (${date})`);
}
