import { sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { caseClocks, cases } from "../../../db/schema/index";
import type { Deps } from "../../context";
import { planClockRules } from "../../domain/clock-plan";
import { clockRulesFor } from "../../domain/clock-rules";
import type { CaseRow } from "../cases/facts";

/** 反馈 is owed after 办结 to the real-name reporter of a 检举控告 (workflow.ts owesFeedback). */
export function owesFeedback(row: Pick<CaseRow, "realName" | "type">): boolean {
  return row.realName && row.type === "accusation";
}

/**
 * 提级审核 approved (leaders/act.ts approve_review): the held conclusion reaches the reporter now,
 * so the 反馈 clock (clock-rules.ts result_notice, started by `review_approved`) counts from today,
 * the 办结 the reporter experiences. Writes its clock rows and cases.next_due_on in `tx`; the
 * caller has set the stage (awaiting_feedback) in the same transaction.
 */
export async function startFeedbackClock(
  deps: Pick<Deps, "config" | "offices">,
  tx: Tx,
  row: CaseRow,
  now: Date,
  concludedOn: string,
): Promise<void> {
  const plan = planClockRules(
    clockRulesFor(deps.config.province, row.officeCode),
    { kind: "review_approved", at: now, data: { concludedOn }, caseReceivedAt: row.receivedAt },
    {
      realName: row.realName,
      disposition: row.disposition,
      officeLevel: deps.offices.get(row.officeCode)?.level ?? "county",
      type: row.type,
      repeat: row.mergedInto !== null,
      publicStatus: "concluded",
      stage: "awaiting_feedback",
    },
  );
  if (plan.start.length === 0) return;
  await tx.insert(caseClocks).values(
    plan.start.map((c) => ({
      caseId: row.id,
      rule: c.rule,
      officeCode: row.officeCode,
      startedOn: c.startedOn,
      dueOn: c.dueOn,
    })),
  );
  await tx.execute(
    sql`update ${cases} set next_due_on = (select min(k.due_on) from case_clocks k
      where k.case_id = ${row.id}::uuid and k.stopped_at is null) where id = ${row.id}::uuid`,
  );
}
