import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { cases, caseTransfers } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { type TransferKind, type TransferState, transferOverdue, transferState } from "../../domain/ledgers";
import type { Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { relationTo, staffOf, worksCases } from "../cases/scope";
import { labelsFor } from "../numbering/numbers";

type OfficeRef = { code: string; name: string };

/** One 转送/交办/报送 in the sending office's ledger. */
export interface SentItem {
  id: number;
  kind: TransferKind;
  sentAt: string;
  /** Who sent it (staff:username). */
  sentBy: string;
  to: OfficeRef;
  /** 签收 and 受理 due by this date (5 working days). */
  dueOn: string;
  /** 交办: the result report is due by this date. */
  reportDueOn: string | null;
  state: TransferState;
  claimedAt: string | null;
  registeredAt: string | null;
  closedAt: string | null;
  /** The receiver's step that closed it (declined, returned, forwarded, …, concluded). */
  closedKind: string | null;
  /** `receipt`: not 受理d by dueOn; `report`: a 交办 without its result by reportDueOn. */
  overdue: "receipt" | "report" | null;
  case: {
    id: string;
    /** The sending office's own 信访件编号. */
    number: string | null;
    /** The receiver's number, once the case arrived there. */
    receiverNumber: string | null;
    title: string;
    stage: Stage;
    office: OfficeRef;
    /** The caller may open the case page (a supervisor above the office holding it, or that office). */
    canOpen: boolean;
  };
}

/**
 * GET /api/v1/staff/ledger/sent — the sending office's 转送/交办 ledger: every 转送, 交办 and 报送
 * its staff made, whether the receiver has 签收 (claimed) and 受理d (registered) it, and which
 * are overdue (the offices' weekly check, 每周检查转送件是否接收): overdue first, then newest.
 * `open` keeps the items the receiver has not yet decided. Intake, handler and supervisor staff
 * of the office see it; no supervisor role is needed.
 */
export async function listSent({
  ctx,
  input,
}: VerbArgs<{ open?: boolean; limit?: number }>): Promise<{ today: string; items: SentItem[] }> {
  const actor = staffOf(ctx);
  if (!worksCases(actor.roles)) throw problems.forbidden("case.roles_forbid");
  const { db, offices } = ctx.deps;
  const today = shanghaiDate(ctx.deps.now());
  const t = caseTransfers;
  // coalesce: with no report date the comparison is null, and nulls would sort first.
  const late = sql`coalesce(${t.closedAt} is null and ((${t.registeredAt} is null and ${t.dueOn} < ${today}::date)
    or ${t.reportDueOn} < ${today}::date), false)`;
  // The page first, then its cases: a city office sends thousands over the years, and joining
  // every one to its case before the sort and the limit read a case row per transfer
  // (docs/notes-scale.md).
  const transfers = await db
    .select()
    .from(caseTransfers)
    .where(and(eq(t.fromOffice, actor.officeCode), input.open ? isNull(t.closedAt) : undefined))
    .orderBy(sql`${late} desc`, desc(t.sentAt), desc(t.id))
    .limit(Math.min(Math.max(input.limit ?? 500, 1), 500));
  const caseRows =
    transfers.length === 0
      ? []
      : await db
          .select({ id: cases.id, title: cases.title, stage: cases.stage, officeCode: cases.officeCode })
          .from(cases)
          .where(inArray(cases.id, [...new Set(transfers.map((r) => r.caseId))]));
  const caseOf = new Map(caseRows.map((c) => [c.id, c]));
  // Every transfer's case exists (case_transfers.case_id references cases).
  const rows = transfers.flatMap((r) => {
    const c = caseOf.get(r.caseId);
    return c ? [{ t: r, title: c.title, stage: c.stage, officeCode: c.officeCode }] : [];
  });
  const numbers = await labelsFor(db, ctx.deps, [
    ...rows.map((r) => ({ caseId: r.t.caseId, officeCode: r.t.fromOffice })),
    ...rows.map((r) => ({ caseId: r.t.caseId, officeCode: r.t.toOffice })),
  ]);
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    today,
    items: rows.map(({ t: r, title, stage, officeCode }) => ({
      id: r.id,
      kind: r.kind,
      sentAt: r.sentAt.toISOString(),
      sentBy: r.sentBy,
      to: officeRef(r.toOffice),
      dueOn: r.dueOn,
      reportDueOn: r.reportDueOn,
      state: transferState(r),
      claimedAt: iso(r.claimedAt),
      registeredAt: iso(r.registeredAt),
      closedAt: iso(r.closedAt),
      closedKind: r.closedKind,
      overdue: transferOverdue(r, today),
      case: {
        id: r.caseId,
        number: numbers.get(`${r.caseId}:${r.fromOffice}`) ?? null,
        receiverNumber: numbers.get(`${r.caseId}:${r.toOffice}`) ?? null,
        title,
        stage,
        office: officeRef(officeCode),
        canOpen: relationTo(offices, actor, officeCode) !== "none",
      },
    })),
  };
}
