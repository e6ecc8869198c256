import type { Logger } from "pino";
import type { DbOrTx } from "../../../db/client";
import { calendarYears } from "../../../db/schema/index";
import type { WorkCalendar } from "../../domain/calendar";
import { setActiveCalendar, shanghaiDate } from "../../domain/clock";
import type { ClockRule } from "../../domain/clock-rules";
import { provisionalYearsAhead } from "./notice";
import { recomputeClocks } from "./recompute";
import { ensureBuiltInYears, loadWorkCalendar } from "./store";

/** How often a running server looks for a newly loaded year (and warns, once a day). */
export const CALENDAR_CHECK_MS = 3_600_000;

export interface CalendarWatchDeps {
  db: DbOrTx;
  log: Logger;
  now: () => Date;
  /** The rules a clock runs under at its office (clock-rules.ts clockRulesFor). */
  rules: (officeCode: string) => ClockRule[];
  /**
   * Whether this process writes: store the built-in official years when missing, and recompute
   * running clocks when another process loaded a year. False on the public host, whose database
   * role may only read the calendar (the owner's `admin migrate` stores the built-in years).
   */
  writes?: boolean;
}

export interface CalendarWatch {
  calendar(): WorkCalendar;
  /** One check now: reload when a year was loaded elsewhere, warn when the day changed. */
  tick(): Promise<void>;
  /** Clears the timer (the runtime's close()). */
  stop(): void;
}

async function yearStamps(db: DbOrTx): Promise<Map<number, string>> {
  const rows = await db
    .select({ year: calendarYears.year, status: calendarYears.status, loadedAt: calendarYears.loadedAt })
    .from(calendarYears);
  return new Map(rows.map((r) => [r.year, `${r.status}:${r.loadedAt.getTime()}`]));
}

/** Stores chinese-days' years if missing, then reads the calendar and makes it the active one. */
export async function prepareCalendar(db: DbOrTx, opts: { seed?: boolean } = {}): Promise<WorkCalendar> {
  if (opts.seed ?? true) await ensureBuiltInYears(db);
  const calendar = await loadWorkCalendar(db);
  setActiveCalendar(calendar);
  return calendar;
}

/**
 * The runtime's calendar: loaded at start, then checked every hour on a timer that does not keep
 * the process alive. When another process (the admin CLI) loaded a year, the server reloads it
 * and recomputes the running clocks of that year once more (idempotent): a clock this server
 * started with the old calendar between that load and now gets the right due date too.
 * At start and then once a day, it logs a warning naming the years of the next 60 days
 * (Asia/Shanghai) that are only provisional.
 */
export async function startCalendarWatch(
  deps: CalendarWatchDeps,
  opts: { intervalMs?: number } = {},
): Promise<CalendarWatch> {
  const writes = deps.writes ?? true;
  let calendar = await prepareCalendar(deps.db, { seed: writes });
  let stamps = await yearStamps(deps.db);
  let warnedOn = "";
  const warn = () => {
    const today = shanghaiDate(deps.now());
    if (today === warnedOn) return;
    warnedOn = today;
    const years = provisionalYearsAhead(calendar, today);
    if (years.length > 0) {
      deps.log.warn(
        { years },
        "calendar: no State Council holiday notice loaded for these years; deadlines count statutory holidays only (npm run admin -- calendar load FILE)",
      );
    }
  };
  const reload = async () => {
    const now = await yearStamps(deps.db);
    const changed = [...now.entries()].filter(([y, s]) => stamps.get(y) !== s).map(([y]) => y);
    if (changed.length === 0 && now.size === stamps.size) return;
    const fresh = await loadWorkCalendar(deps.db);
    const at = deps.now();
    let moved = 0;
    for (const year of writes ? changed : []) {
      const r = await deps.db.transaction((tx) =>
        recomputeClocks(tx, { calendar: fresh, rules: deps.rules, year, at }),
      );
      moved += r.length;
    }
    calendar = fresh;
    stamps = now;
    setActiveCalendar(fresh);
    warnedOn = ""; // say again what is still provisional
    deps.log.info({ years: changed, recomputed: moved }, "calendar: reloaded");
  };
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      try {
        await reload();
        warn();
      } catch (e) {
        // Never log a raw database error: it can carry SQL parameters.
        const x = e as { name?: string; code?: string };
        deps.log.error({ err: { name: x?.name, code: x?.code } }, "calendar: check failed");
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  warn();
  const timer = setInterval(() => void tick(), opts.intervalMs ?? CALENDAR_CHECK_MS);
  timer.unref();
  return { calendar: () => calendar, tick, stop: () => clearInterval(timer) };
}
