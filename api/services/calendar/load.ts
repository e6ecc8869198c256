import { and, eq, inArray, ne } from "drizzle-orm";
import { calendarDays, calendarYears } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import type { YearStatus } from "../../domain/calendar";
import { setActiveCalendar } from "../../domain/clock";
import { clockRulesFor } from "../../domain/clock-rules";
import { problems } from "../../errors";
import { parseNotice, takenDateError } from "./notice-file";
import { type RecomputedClock, recomputeClocks } from "./recompute";
import { loadWorkCalendar } from "./store";

export interface LoadResult {
  year: number;
  /** What the year was before: provisional (derived) or an earlier official load it replaces. */
  previousStatus: YearStatus;
  holidays: number;
  workdays: number;
  recomputed: RecomputedClock[];
}

/**
 * Loads one year's State Council notice (the JSON of docs/calendar.md) as that year's official
 * calendar, replacing an earlier load of the same year, and recomputes the running working-day
 * clocks it changes, with a `clock_recomputed` event on each case: all in one transaction, so a
 * bad file or a crash stores nothing. The admin CLI (and an admin) only.
 */
export async function loadCalendarNotice({ ctx, input }: VerbArgs<unknown>): Promise<LoadResult> {
  const a = ctx.actor;
  if (!(a.kind === "system" || (a.kind === "staff" && a.roles.includes("admin")))) throw problems.forbidden();
  const parsed = parseNotice(input);
  if (!parsed.ok) throw problems.invalid(parsed.errors);
  const n = parsed.notice;
  const at = ctx.deps.now();
  const { result, calendar } = await ctx.deps.db.transaction(async (tx) => {
    // One load at a time: a second one waits here instead of interleaving with this one.
    const [before] = await tx
      .select({ status: calendarYears.status })
      .from(calendarYears)
      .where(eq(calendarYears.year, n.year))
      .for("update");
    const taken = await tx
      .select({ day: calendarDays.day })
      .from(calendarDays)
      .where(
        and(
          inArray(
            calendarDays.day,
            n.days.map((d) => d.date),
          ),
          ne(calendarDays.year, n.year),
        ),
      );
    if (taken.length > 0) throw problems.invalid(taken.map((t) => takenDateError(n, t.day)));
    await tx
      .insert(calendarYears)
      .values({ year: n.year, status: "official", source: n.source, loadedAt: at })
      .onConflictDoUpdate({
        target: calendarYears.year,
        set: { status: "official", source: n.source, loadedAt: at },
      });
    await tx.delete(calendarDays).where(eq(calendarDays.year, n.year));
    await tx
      .insert(calendarDays)
      .values(n.days.map((d) => ({ day: d.date, year: n.year, kind: d.kind, name: d.name })));
    const calendar = await loadWorkCalendar(tx);
    const recomputed = await recomputeClocks(tx, {
      calendar,
      rules: (office) => clockRulesFor(ctx.deps.config.province, office),
      year: n.year,
      at,
    });
    const result: LoadResult = {
      year: n.year,
      previousStatus: before?.status === "official" ? "official" : "provisional",
      holidays: n.days.filter((d) => d.kind === "holiday").length,
      workdays: n.days.filter((d) => d.kind === "workday").length,
      recomputed,
    };
    return { result, calendar };
  });
  // This process counts with the new year from now on; a running server notices the load within
  // the hour (api/services/calendar/watch.ts) and recomputes what it started meanwhile.
  setActiveCalendar(calendar);
  return result;
}
