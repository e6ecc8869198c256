import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseSupervisions, cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import type { SupervisionMethod } from "../../domain/ledgers";
import { encodeListCursor } from "../../domain/list-cursor";
import { problems } from "../../errors";
import { staffOf, worksCases } from "../cases/scope";
import { listCursor, pageOf, pageSize, timeKey } from "../lists/page";
import { labelsFor } from "../numbering/numbers";

/** A 督办 addressed to `officeCode` on the case awaits its reply (the `respond` action is open). */
export async function supervisionPendingOf(db: DbOrTx, caseId: string, officeCode: string): Promise<boolean> {
  const [row] = await db
    .select({ id: caseSupervisions.id })
    .from(caseSupervisions)
    .where(
      and(
        eq(caseSupervisions.caseId, caseId),
        eq(caseSupervisions.toOffice, officeCode),
        isNull(caseSupervisions.repliedAt),
      ),
    )
    .limit(1);
  return row !== undefined;
}

type OfficeRef = { code: string; name: string };

/** One 督办 as staff see it (on the case page and in the 督办 lists). */
export interface SupervisionView {
  id: number;
  at: string;
  method: SupervisionMethod;
  note: string | null;
  byOffice: OfficeRef;
  toOffice: OfficeRef;
  /** Inside one office: the 承办部门 pressed. */
  department: string | null;
  withinOffice: boolean;
  /** Pending until the supervised office replies. */
  pending: boolean;
  reply: { at: string; body: string; by: string } | null;
}

type Row = typeof caseSupervisions.$inferSelect;

function viewOf(r: Row, officeRef: (code: string) => OfficeRef): SupervisionView {
  return {
    id: r.id,
    at: r.at.toISOString(),
    method: r.method,
    note: r.note,
    byOffice: officeRef(r.byOffice),
    toOffice: officeRef(r.toOffice),
    department: r.department,
    withinOffice: r.withinOffice,
    pending: r.repliedAt === null,
    reply: r.repliedAt ? { at: r.repliedAt.toISOString(), body: r.reply ?? "", by: r.repliedBy ?? "" } : null,
  };
}

/** Every 督办 on a case, oldest first (the case page). */
export async function supervisionsOf(
  db: DbOrTx,
  caseId: string,
  officeRef: (code: string) => OfficeRef,
): Promise<SupervisionView[]> {
  const rows = await db
    .select()
    .from(caseSupervisions)
    .where(eq(caseSupervisions.caseId, caseId))
    .orderBy(asc(caseSupervisions.at), asc(caseSupervisions.id));
  return rows.map((r) => viewOf(r, officeRef));
}

export interface SupervisionListItem extends SupervisionView {
  case: { id: string; number: string | null; title: string; office: OfficeRef };
}

/** The cursor: where the last 督办 sat in (pending, at, id), all descending. */
const CURSOR = ["flag", "time", "int"] as const;

/**
 * GET /api/v1/staff/supervisions — the 督办 the caller's office received (`received`: to answer,
 * pending first) or made (`sent`: awaiting the supervised office's reply, pending first), newest
 * first within each, in keyset pages of `limit` (50 by default, at most 100) after `cursor`. For
 * every staff role that works cases (intake, handler, supervisor).
 */
export async function listSupervisions({
  ctx,
  input,
}: VerbArgs<{ direction: "received" | "sent"; limit?: number; cursor?: string }>): Promise<{
  supervisions: SupervisionListItem[];
  nextCursor: string | null;
}> {
  const actor = staffOf(ctx);
  if (!worksCases(actor.roles)) throw problems.forbidden("case.roles_forbid");
  const list = `supervisions-${input.direction}`;
  const after = listCursor(input.cursor, list, CURSOR);
  const limit = pageSize(input.limit);
  const { db, offices } = ctx.deps;
  const mine = input.direction === "sent" ? caseSupervisions.byOffice : caseSupervisions.toOffice;
  // The order of case_supervisions_to_list_idx / _by_list_idx (migration 0017).
  const pending = sql<boolean>`(${caseSupervisions.repliedAt} is null)`;
  const fetched = await db
    .select({
      s: caseSupervisions,
      title: cases.title,
      officeCode: cases.officeCode,
      atKey: timeKey(caseSupervisions.at),
    })
    .from(caseSupervisions)
    .innerJoin(cases, eq(cases.id, caseSupervisions.caseId))
    .where(
      and(
        eq(mine, actor.officeCode),
        after
          ? sql`(${pending}, ${caseSupervisions.at}, ${caseSupervisions.id}) < (${after[0]}, ${after[1]}::timestamptz, ${after[2]})`
          : undefined,
      ),
    )
    .orderBy(desc(pending), desc(caseSupervisions.at), desc(caseSupervisions.id))
    .limit(limit + 1);
  const { page: rows, more } = pageOf(fetched, limit);
  const last = rows.at(-1);
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });
  // The number the case has at the office pressed (the one the supervisor wrote to).
  const numbers = await labelsFor(
    db,
    ctx.deps,
    rows.map((r) => ({ caseId: r.s.caseId, officeCode: r.s.toOffice })),
  );
  return {
    supervisions: rows.map((r) => ({
      ...viewOf(r.s, officeRef),
      case: {
        id: r.s.caseId,
        number: numbers.get(`${r.s.caseId}:${r.s.toOffice}`) ?? null,
        title: r.title,
        office: officeRef(r.officeCode),
      },
    })),
    nextCursor:
      more && last ? encodeListCursor(list, [last.s.repliedAt === null, last.atKey, last.s.id]) : null,
  };
}

/** How many 督办 await the caller's office's reply (the console's navigation). */
export async function pendingSupervisionCount({ ctx }: VerbArgs<Record<string, never>>): Promise<number> {
  const actor = staffOf(ctx);
  const [row] = await ctx.deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(caseSupervisions)
    .where(and(eq(caseSupervisions.toOffice, actor.officeCode), isNull(caseSupervisions.repliedAt)));
  return row?.n ?? 0;
}
