import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseClocks } from "../../../db/schema/index";
import { clockStatus } from "../../domain/clock";
import type { ClockRule } from "../../domain/clock-rules";

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
export async function clocksOf(
  db: DbOrTx,
  caseId: string,
  rules: ClockRule[],
  today: string,
): Promise<ClockView[]> {
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
      label: rules.find((x) => x.id === r.rule)?.label ?? { zh: r.rule, en: r.rule },
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
