import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseClocks, cases } from "../../../db/schema/index";
import { planClockRules } from "../../domain/clock-plan";
import type { ClockFacts, ClockRule } from "../../domain/clock-rules";

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
 * The plan is api/domain/clock-plan.ts; verbs that write in one statement (intake, case actions)
 * use the plan directly.
 */
export async function applyClockRules(
  tx: DbOrTx,
  rules: ClockRule[],
  event: ClockEvent,
  facts: ClockFacts,
): Promise<void> {
  const plan = planClockRules(rules, event, facts);
  if (plan.stop === "all" || plan.stop.length > 0) {
    await tx
      .update(caseClocks)
      .set({ stoppedAt: event.at })
      .where(
        and(
          eq(caseClocks.caseId, event.caseId),
          isNull(caseClocks.stoppedAt),
          plan.stop === "all" ? undefined : inArray(caseClocks.rule, plan.stop),
        ),
      );
  }
  for (const c of plan.start) {
    await tx.insert(caseClocks).values({
      caseId: event.caseId,
      rule: c.rule,
      officeCode: event.officeCode,
      startedOn: c.startedOn,
      dueOn: c.dueOn,
    });
  }
  if (plan.changes) await refreshNextDue(tx, event.caseId);
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
