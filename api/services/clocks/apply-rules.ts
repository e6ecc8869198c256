import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseClocks, cases } from "../../../db/schema/index";
import { addWorkingDays, isIsoDate, shanghaiDate } from "../../domain/clock";
import { type ClockFacts, type ClockRule, ruleApplies } from "../../domain/clock-rules";

export interface ClockEvent {
  caseId: string;
  kind: string;
  at: Date;
  data?: Record<string, unknown>;
  /** The office the case is at after the event: the clocks started now run there. */
  officeCode: string;
  /** The case reached a terminal stage: every running clock stops. */
  terminal?: boolean;
}

/**
 * Runs the clock rules for one case event, inside the transaction that appends it: stops the
 * running clocks the event ends, starts those it begins (a rule that both stops and starts on the
 * same kind restarts), and keeps cases.next_due_on equal to the earliest running due date.
 */
export async function applyClockRules(
  tx: DbOrTx,
  rules: ClockRule[],
  event: ClockEvent,
  facts: ClockFacts,
): Promise<void> {
  const toStop = event.terminal
    ? undefined
    : rules.filter((r) => r.stopsOn.includes(event.kind)).map((r) => r.id);
  if (toStop === undefined || toStop.length > 0) {
    await tx
      .update(caseClocks)
      .set({ stoppedAt: event.at })
      .where(
        and(
          eq(caseClocks.caseId, event.caseId),
          isNull(caseClocks.stoppedAt),
          toStop ? inArray(caseClocks.rule, toStop) : undefined,
        ),
      );
  }
  const startedOn = shanghaiDate(event.at);
  const starting = event.terminal
    ? []
    : rules.filter((r) => r.startsOn === event.kind && ruleApplies(r, facts));
  for (const rule of starting) {
    let dueOn: string;
    if ("workingDays" in rule.due) {
      dueOn = addWorkingDays(startedOn, rule.due.workingDays);
    } else {
      const v = event.data?.[rule.due.eventDate];
      if (typeof v !== "string" || !isIsoDate(v))
        throw new Error(`clock ${rule.id}: event has no date ${rule.due.eventDate}`);
      dueOn = v;
    }
    await tx
      .insert(caseClocks)
      .values({ caseId: event.caseId, rule: rule.id, officeCode: event.officeCode, startedOn, dueOn });
  }
  if (toStop === undefined || toStop.length > 0 || starting.length > 0)
    await refreshNextDue(tx, event.caseId);
}

/** cases.next_due_on := the earliest due date of the case's running clocks (null when none runs). */
export async function refreshNextDue(tx: DbOrTx, caseId: string): Promise<void> {
  await tx
    .update(cases)
    .set({
      nextDueOn: sql`(select min(${caseClocks.dueOn}) from ${caseClocks} where ${caseClocks.caseId} = ${caseId} and ${caseClocks.stoppedAt} is null)`,
    })
    .where(eq(cases.id, caseId));
}
