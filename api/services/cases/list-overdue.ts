import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt } from "drizzle-orm";
import { caseClocks, caseEvents, caseSupervisions, cases } from "../../../db/schema/index";
import { clockRuleLabel } from "../../../messages/labels";
import type { VerbArgs } from "../../context";
import { clockStatus, shanghaiDate } from "../../domain/clock";
import { ACTIVE_STAGES } from "../../domain/workflow";
import { currentNumberColumns } from "../numbering/numbers";
import { type CaseSummary, caseSummary } from "./facts";
import { officesInView, staffOf } from "./scope";

export interface OverdueCase extends CaseSummary {
  /** The running clocks past due. */
  clocks: { rule: string; label: { zh: string; en: string }; dueOn: string; daysLeft: number }[];
  /** The latest 督办 on the case, by which office and when. */
  lastSupervised: { at: string; office: { code: string; name: string } } | null;
  /** The caller may press it: a supervisor of an office above the case's. */
  canSupervise: boolean;
  /** A 督办 awaits the reply of the office holding the case. */
  supervisionPending: boolean;
}

/**
 * GET /api/v1/staff/overdue — active cases with a running clock past due, of the caller's office
 * and, for a supervisor, of every office below; most overdue first.
 */
export async function listOverdue({
  ctx,
  input,
}: VerbArgs<{ limit?: number }>): Promise<{ today: string; cases: OverdueCase[] }> {
  const actor = staffOf(ctx);
  const { db, offices } = ctx.deps;
  const today = shanghaiDate(ctx.deps.now());
  const rows = await db
    .select({ ...getTableColumns(cases), ...currentNumberColumns })
    .from(cases)
    .where(
      and(
        inArray(cases.officeCode, officesInView(offices, actor)),
        inArray(cases.stage, ACTIVE_STAGES),
        lt(cases.nextDueOn, today),
      ),
    )
    .orderBy(asc(cases.nextDueOn), asc(cases.receivedAt))
    .limit(Math.min(Math.max(input.limit ?? 500, 1), 2000));
  if (rows.length === 0) return { today, cases: [] };
  const ids = rows.map((r) => r.id);
  const clocks = await db
    .select()
    .from(caseClocks)
    .where(and(inArray(caseClocks.caseId, ids), isNull(caseClocks.stoppedAt), lt(caseClocks.dueOn, today)))
    .orderBy(asc(caseClocks.dueOn));
  const pressed = await db
    .select({
      caseId: caseEvents.caseId,
      at: caseEvents.at,
      officeCode: caseEvents.officeCode,
      seq: caseEvents.seq,
    })
    .from(caseEvents)
    .where(and(inArray(caseEvents.caseId, ids), eq(caseEvents.kind, "supervised")))
    .orderBy(desc(caseEvents.seq));
  const waiting = await db
    .select({ caseId: caseSupervisions.caseId, toOffice: caseSupervisions.toOffice })
    .from(caseSupervisions)
    .where(and(inArray(caseSupervisions.caseId, ids), isNull(caseSupervisions.repliedAt)));
  const supervisor = actor.roles.includes("supervisor");
  return {
    today,
    cases: rows.map((r) => {
      const last = pressed.find((p) => p.caseId === r.id);
      return {
        ...caseSummary(r, ctx.deps),
        clocks: clocks
          .filter((c) => c.caseId === r.id)
          .map((c) => ({
            rule: c.rule,
            label: clockRuleLabel(c.rule),
            dueOn: c.dueOn,
            daysLeft: clockStatus(c.dueOn, today).daysLeft,
          })),
        lastSupervised: last
          ? {
              at: last.at.toISOString(),
              office: { code: last.officeCode, name: offices.get(last.officeCode)?.name ?? last.officeCode },
            }
          : null,
        canSupervise: supervisor && r.officeCode !== actor.officeCode,
        supervisionPending: waiting.some((w) => w.caseId === r.id && w.toOffice === r.officeCode),
      };
    }),
  };
}
