import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseClocks } from "../../../db/schema/index";
import { clockRuleLabel } from "../../../messages/labels";
import { clockStatus } from "../../domain/clock";
import type { ClockRule, RuleSource } from "../../domain/clock-rules";

export interface ClockView {
  rule: string;
  label: { zh: string; en: string };
  /** Where the rule comes from (its document, article and words); null for a rule no longer defined. */
  source: RuleSource | null;
  /**
   * The day the count started from: the step's day (`event`), the day the report was first
   * received by any office (`case_received`), or a date the office recorded (`event_date`: 办结).
   */
  countsFrom: "event" | "case_received" | "event_date" | null;
  officeCode: string;
  startedOn: string;
  dueOn: string;
  running: boolean;
  stoppedAt: string | null;
  /** Working days left to the due date (negative once overdue); null for a stopped clock. */
  daysLeft: number | null;
  overdue: boolean;
}

/**
 * Every clock of a case, oldest first, as it stands on `today` (Asia/Shanghai); `rulesAt` gives the
 * rules a clock runs under at its office (clock-rules.ts clockRulesFor).
 */
export async function clocksOf(
  db: DbOrTx,
  caseId: string,
  today: string,
  rulesAt: (officeCode: string) => ClockRule[],
): Promise<ClockView[]> {
  const rows = await db
    .select()
    .from(caseClocks)
    .where(eq(caseClocks.caseId, caseId))
    .orderBy(asc(caseClocks.id));
  return rows.map((r) => {
    const running = r.stoppedAt === null;
    const st = running ? clockStatus(r.dueOn, today) : undefined;
    const rule = rulesAt(r.officeCode).find((x) => x.id === r.rule);
    const from = rule?.countsFrom ?? "event";
    return {
      rule: r.rule,
      label: clockRuleLabel(r.rule),
      source: rule?.source ?? null,
      countsFrom: !rule ? null : typeof from === "string" ? from : "event_date",
      officeCode: r.officeCode,
      startedOn: r.startedOn,
      dueOn: r.dueOn,
      running,
      stoppedAt: r.stoppedAt?.toISOString() ?? null,
      daysLeft: st ? st.daysLeft : null,
      overdue: st ? st.overdue : false,
    };
  });
}
