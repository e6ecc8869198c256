import { and, asc, eq, gte, isNull, lte, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseClocks, cases } from "../../../db/schema/index";
import type { WorkCalendar } from "../../domain/calendar";
import { addWorkingDays } from "../../domain/clock";
import type { ClockRule } from "../../domain/clock-rules";
import { appendEvent } from "../events/append";

export interface RecomputedClock {
  caseId: string;
  clockId: number;
  rule: string;
  previousDueOn: string;
  dueOn: string;
}

/**
 * Recomputes the due dates of running clocks that count working days (rules with `eventDate` are
 * fixed dates and stay) from their started_on under `calendar`, for the clocks whose count can
 * touch `year` (a notice's dates run from 20 December of the year before to the end of the year).
 * Each changed clock gets its new due date, its case a fresh next_due_on and a `clock_recomputed`
 * event (internal). Call inside the transaction that changed the calendar. Idempotent: a clock
 * already due on the recomputed date is left alone, so running it twice records nothing twice.
 */
export async function recomputeClocks(
  tx: DbOrTx,
  a: {
    calendar: WorkCalendar;
    /** The rules a clock runs under at its office (clock-rules.ts clockRulesFor). */
    rules: (officeCode: string) => ClockRule[];
    year: number;
    at: Date;
  },
): Promise<RecomputedClock[]> {
  /** The working days a clock counts under its rule at its office; undefined for a fixed date. */
  const workingDaysOf = (rule: string, officeCode: string): number | undefined => {
    const r = a.rules(officeCode).find((x) => x.id === rule);
    return r && "workingDays" in r.due ? r.due.workingDays : undefined;
  };
  const running = await tx
    .select({
      id: caseClocks.id,
      caseId: caseClocks.caseId,
      rule: caseClocks.rule,
      officeCode: caseClocks.officeCode,
      startedOn: caseClocks.startedOn,
      dueOn: caseClocks.dueOn,
    })
    .from(caseClocks)
    .where(
      and(
        isNull(caseClocks.stoppedAt),
        gte(caseClocks.dueOn, `${a.year - 1}-12-20`),
        lte(caseClocks.startedOn, `${a.year}-12-31`),
      ),
    )
    .orderBy(asc(caseClocks.caseId), asc(caseClocks.id));

  const changed: RecomputedClock[] = [];
  for (const c of running) {
    const days = workingDaysOf(c.rule, c.officeCode);
    if (days === undefined) continue;
    const dueOn = addWorkingDays(c.startedOn, days, a.calendar);
    if (dueOn === c.dueOn) continue;
    // Lock the case first (as appendEvent does): a staff action on it waits for this load, and
    // then finds its chain head moved and answers a conflict instead of forking the trail.
    const [kase] = await tx
      .select({ officeCode: cases.officeCode })
      .from(cases)
      .where(eq(cases.id, c.caseId))
      .for("no key update");
    const moved = await tx
      .update(caseClocks)
      .set({ dueOn })
      .where(and(eq(caseClocks.id, c.id), isNull(caseClocks.stoppedAt), eq(caseClocks.dueOn, c.dueOn)))
      .returning({ id: caseClocks.id });
    if (moved.length === 0) continue; // stopped or moved meanwhile
    await tx
      .update(cases)
      .set({
        nextDueOn: sql`(select min(k.due_on) from case_clocks k where k.case_id = ${c.caseId}::uuid and k.stopped_at is null)`,
      })
      .where(eq(cases.id, c.caseId));
    await appendEvent(tx, {
      caseId: c.caseId,
      kind: "clock_recomputed",
      actor: "system:calendar",
      officeCode: kase.officeCode,
      isPublic: false,
      at: a.at,
      data: { rule: c.rule, previousDueOn: c.dueOn, dueOn, calendarYear: a.year },
    });
    changed.push({ caseId: c.caseId, clockId: c.id, rule: c.rule, previousDueOn: c.dueOn, dueOn });
  }
  return changed;
}
