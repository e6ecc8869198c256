import { asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { calendarDays, calendarYears } from "../../../db/schema/index";
import { chineseDaysOfficialYears, type OfficialYear, WorkCalendar } from "../../domain/calendar";

/**
 * Stores the notices chinese-days ships (2004–2026) for every year that has no row yet, in one
 * transaction: a crash half-way stores nothing, a second start (or a second process starting at
 * the same time) adds nothing. A year loaded with `admin calendar load` is never overwritten.
 */
export async function ensureBuiltInYears(db: DbOrTx): Promise<number[]> {
  const builtIn = chineseDaysOfficialYears();
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(calendarYears)
      .values(builtIn.map((y) => ({ year: y.year, status: "official" as const, source: y.source })))
      .onConflictDoNothing({ target: calendarYears.year })
      .returning({ year: calendarYears.year });
    const years = new Set(added.map((r) => r.year));
    const rows = builtIn
      .filter((y) => years.has(y.year))
      .flatMap((y) => y.days.map((d) => ({ day: d.date, year: y.year, kind: d.kind, name: d.name })));
    // A day another (admin-loaded) notice already holds stays as that notice says.
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(calendarDays)
        .values(rows.slice(i, i + 500))
        .onConflictDoNothing({ target: calendarDays.day });
    }
    return [...years].sort((a, b) => a - b);
  });
}

/** The official years and their days as stored. */
export async function readOfficialYears(db: DbOrTx): Promise<OfficialYear[]> {
  const years = await db
    .select()
    .from(calendarYears)
    .where(eq(calendarYears.status, "official"))
    .orderBy(asc(calendarYears.year));
  if (years.length === 0) return [];
  const days = await db
    .select()
    .from(calendarDays)
    .where(
      inArray(
        calendarDays.year,
        years.map((y) => y.year),
      ),
    )
    .orderBy(asc(calendarDays.day));
  const byYear = new Map<number, OfficialYear>(
    years.map((y) => [y.year, { year: y.year, source: y.source, days: [] }]),
  );
  for (const d of days) byYear.get(d.year)?.days.push({ date: d.day, kind: d.kind, name: d.name });
  return [...byYear.values()];
}

/** The calendar as the database holds it: its official years, provisional for any other. */
export async function loadWorkCalendar(db: DbOrTx): Promise<WorkCalendar> {
  return new WorkCalendar(await readOfficialYears(db));
}

/** Changes whenever a year is loaded: the server reloads its calendar when it sees a new value. */
export async function calendarVersion(db: DbOrTx): Promise<string> {
  const rows = await db
    .select({ year: calendarYears.year, status: calendarYears.status, loadedAt: calendarYears.loadedAt })
    .from(calendarYears)
    .orderBy(asc(calendarYears.year));
  return rows.map((r) => `${r.year}:${r.status}:${r.loadedAt.getTime()}`).join(",");
}
