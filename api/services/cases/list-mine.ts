import { and, asc, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import { caseLeaseMarks, cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { encodeListCursor } from "../../domain/list-cursor";
import { NO_DUE_DATE } from "../../domain/register";
import { ACTIVE_STAGES } from "../../domain/workflow";
import { listCursor, pageOf, pageSize, timeKey } from "../lists/page";
import { currentNumberColumns } from "../numbering/numbers";
import { type CaseSummary, caseSummary, summaryColumns } from "./facts";
import { staffOf } from "./scope";

export interface MyCase extends CaseSummary {
  /** The caller holds a live lease on it now. */
  held: boolean;
  leaseExpiresAt: string | null;
}

/** Deadlines first, a case without a running clock last (as `nulls last` sorted them). */
const DUE_KEY = sql<string>`coalesce(${cases.nextDueOn}, ${NO_DUE_DATE}::date)`;
/** The cursor: where the last row sat in (deadline, updated_at descending, serial). */
const CURSOR = ["date", "time", "int"] as const;

/**
 * GET /api/v1/staff/cases/mine — the cases the caller holds now, and the active cases of their
 * office they registered or disposed (assignee), deadlines first, then the latest changed, in
 * keyset pages of `limit` (50 by default, at most 100) after `cursor`.
 */
export async function listMyCases({
  ctx,
  input,
}: VerbArgs<{ limit?: number; cursor?: string }>): Promise<{ cases: MyCase[]; nextCursor: string | null }> {
  const actor = staffOf(ctx);
  const now = ctx.deps.now();
  const after = listCursor(input.cursor, "mine", CURSOR);
  const limit = pageSize(input.limit);
  // A live lease is always on a case of the holder's office: claims take only cases of the
  // claimer's office (queue/claim.ts) and every step that moves a case to another office clears
  // its lease. The lease columns themselves are not indexed, on purpose, so that a claim stays a
  // HOT update (migration 0016, docs/notes-scale.md): the leased cases of the office are found
  // from its lease marks (case_lease_marks, migration 0018: one row per leased case), the
  // assigned ones through cases_assignee_idx, and only those ids are read, not the office's
  // whole queue (57,000 rows with a 50,000-case backlog).
  const candidates = unionAll(
    ctx.deps.db
      .select({ id: caseLeaseMarks.caseId })
      .from(caseLeaseMarks)
      .where(eq(caseLeaseMarks.officeCode, actor.officeCode)),
    ctx.deps.db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.assigneeId, actor.id), inArray(cases.stage, ACTIVE_STAGES))),
  );
  // The order mixes directions, so the keyset condition is written out: later deadline, or the
  // same deadline and changed earlier, or both the same and a higher serial.
  const resume = after
    ? sql`(${DUE_KEY} > ${after[0]}::date or (${DUE_KEY} = ${after[0]}::date and (${cases.updatedAt} < ${after[1]}::timestamptz
        or (${cases.updatedAt} = ${after[1]}::timestamptz and ${cases.serial} > ${after[2]}))))`
    : undefined;
  const fetched = await ctx.deps.db
    .select({
      ...summaryColumns,
      ...currentNumberColumns,
      leaseHolderId: cases.leaseHolderId,
      leaseExpiresAt: cases.leaseExpiresAt,
      dueKey: sql<string>`${DUE_KEY}::text`,
      updatedKey: timeKey(cases.updatedAt),
    })
    .from(cases)
    .where(
      and(
        eq(cases.officeCode, actor.officeCode),
        inArray(cases.id, candidates),
        or(
          and(eq(cases.leaseHolderId, actor.id), gt(cases.leaseExpiresAt, now)),
          and(eq(cases.assigneeId, actor.id), inArray(cases.stage, ACTIVE_STAGES)),
        ),
        resume,
      ),
    )
    .orderBy(asc(DUE_KEY), desc(cases.updatedAt), asc(cases.serial))
    .limit(limit + 1);
  const { page, more } = pageOf(fetched, limit);
  const last = page.at(-1);
  return {
    cases: page.map((r) => {
      const held = r.leaseHolderId === actor.id && r.leaseExpiresAt !== null && r.leaseExpiresAt > now;
      return {
        ...caseSummary(r, ctx.deps),
        held,
        leaseExpiresAt: held ? r.leaseExpiresAt!.toISOString() : null,
      };
    }),
    nextCursor: more && last ? encodeListCursor("mine", [last.dueKey, last.updatedKey, last.serial]) : null,
  };
}
