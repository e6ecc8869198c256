import { and, desc, eq, inArray, isNull, not, type SQL, sql } from "drizzle-orm";
import { cases, caseTransfers } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { type TransferKind, type TransferState, transferOverdue, transferState } from "../../domain/ledgers";
import { encodeListCursor } from "../../domain/list-cursor";
import type { Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { relationTo, staffOf, worksCases } from "../cases/scope";
import { listCursor, pageOf, pageSize, timeKey } from "../lists/page";
import { labelsFor } from "../numbering/numbers";

type OfficeRef = { code: string; name: string };

/** The cursor: where the last item sat in (overdue, sent_at, id), all descending. */
const CURSOR = ["flag", "time", "int"] as const;

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
 * are overdue (the offices' weekly check, 每周检查转送件是否接收): overdue first, then newest (then
 * by id), in keyset pages of `limit` (50 by default, at most 100) after `cursor`. `open` keeps the
 * items the receiver has not yet decided. Intake, handler and supervisor staff of the office see
 * it; no supervisor role is needed.
 */
export async function listSent({
  ctx,
  input,
}: VerbArgs<{ open?: boolean; limit?: number; cursor?: string }>): Promise<{
  today: string;
  items: SentItem[];
  nextCursor: string | null;
}> {
  const actor = staffOf(ctx);
  if (!worksCases(actor.roles)) throw problems.forbidden("case.roles_forbid");
  const after = listCursor(input.cursor, "sent", CURSOR);
  const limit = pageSize(input.limit);
  const { db, offices } = ctx.deps;
  const today = shanghaiDate(ctx.deps.now());
  const t = caseTransfers;
  // Overdue: not closed, and either not 受理d by its due date or a 交办 past its report date.
  // coalesce: with no report date the comparison is null, and `not` of null would drop the row.
  const late = sql`coalesce(${t.closedAt} is null and ((${t.registeredAt} is null and ${t.dueOn} < ${today}::date)
    or ${t.reportDueOn} < ${today}::date), false)`;
  // Two runs in the same order (sent_at, id descending), each read from an index in that order:
  // the overdue items among the open ones (case_transfers_open_from_idx, migration 0017), then
  // the others (case_transfers_from_idx). Sorting every send of a city office by an "overdue
  // today" expression read them all on every page (docs/notes-lists.md).
  const run = (where: SQL, resume: { sentAt: string; id: number } | undefined, n: number) =>
    db
      .select({ t: caseTransfers, sentKey: timeKey(t.sentAt) })
      .from(caseTransfers)
      .where(
        and(
          eq(t.fromOffice, actor.officeCode),
          where,
          resume ? sql`(${t.sentAt}, ${t.id}) < (${resume.sentAt}::timestamptz, ${resume.id})` : undefined,
        ),
      )
      .orderBy(desc(t.sentAt), desc(t.id))
      .limit(n);
  const resume = after ? { sentAt: after[1] as string, id: after[2] as number } : undefined;
  const afterLate = after?.[0] === true;
  const lateRows = !after || afterLate ? await run(and(isNull(t.closedAt), late)!, resume, limit + 1) : [];
  const onTime =
    lateRows.length > limit
      ? []
      : await run(
          and(input.open ? isNull(t.closedAt) : undefined, not(late))!,
          afterLate ? undefined : resume,
          limit + 1 - lateRows.length,
        );
  const { page, more } = pageOf(
    [...lateRows.map((r) => ({ ...r, late: true })), ...onTime.map((r) => ({ ...r, late: false }))],
    limit,
  );
  const transfers = page.map((r) => r.t);
  const last = page.at(-1);
  const nextCursor = more && last ? encodeListCursor("sent", [last.late, last.sentKey, last.t.id]) : null;
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
    nextCursor,
  };
}
