import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseClocks } from "../../../db/schema/index";
import { clockRuleLabel } from "../../../messages/labels";
import { clockStatus } from "../../domain/clock";

export interface ClockView {
  rule: string;
  label: { zh: string; en: string };
  officeCode: string;
  startedOn: string;
  dueOn: string;
  running: boolean;
  stoppedAt: string | null;
  /** Working days left to the due date (negative once overdue); null for a stopped clock. */
  daysLeft: number | null;
  overdue: boolean;
}

/** Every clock of a case, oldest first, as it stands on `today` (Asia/Shanghai). */
export async function clocksOf(db: DbOrTx, caseId: string, today: string): Promise<ClockView[]> {
  const rows = await db
    .select()
    .from(caseClocks)
    .where(eq(caseClocks.caseId, caseId))
    .orderBy(asc(caseClocks.id));
  return rows.map((r) => {
    const running = r.stoppedAt === null;
    const st = running ? clockStatus(r.dueOn, today) : undefined;
    return {
      rule: r.rule,
      label: clockRuleLabel(r.rule),
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
