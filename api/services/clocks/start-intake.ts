import type { Ctx } from "../../context";
import { type ClockPlan, planClockRules } from "../../domain/clock-plan";
import { clockRulesFor } from "../../domain/clock-rules";

/**
 * The clocks a new case runs from intake (e.g. 15 working days to tell a real-name reporter
 * whether it is accepted), planned from the report itself: intake writes them, and
 * cases.next_due_on, in the statement that inserts the case and its `received` event.
 */
export function planIntakeClocks(
  ctx: Ctx,
  a: { realName: boolean; type: string; officeCode: string; receivedAt: Date },
): ClockPlan {
  return planClockRules(
    clockRulesFor(ctx.deps.config.province, a.officeCode),
    { kind: "received", at: a.receivedAt, caseReceivedAt: a.receivedAt },
    {
      realName: a.realName,
      disposition: null,
      officeLevel: ctx.deps.offices.get(a.officeCode)?.level ?? "county",
      type: a.type,
      repeat: false,
      publicStatus: "received",
      stage: "received",
    },
  );
}
