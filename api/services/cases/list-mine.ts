import { and, desc, eq, getTableColumns, gt, inArray, or, sql } from "drizzle-orm";
import { cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { ACTIVE_STAGES } from "../../domain/workflow";
import { currentNumberColumns } from "../numbering/numbers";
import { type CaseSummary, caseSummary } from "./facts";
import { staffOf } from "./scope";

export interface MyCase extends CaseSummary {
  /** The caller holds a live lease on it now. */
  held: boolean;
  leaseExpiresAt: string | null;
}

/**
 * GET /api/v1/staff/cases/mine — the cases the caller holds now, and the active cases of their
 * office they registered or disposed (assignee), deadlines first.
 */
export async function listMyCases({ ctx }: VerbArgs<{ limit?: number }>): Promise<{ cases: MyCase[] }> {
  const actor = staffOf(ctx);
  const now = ctx.deps.now();
  // A live lease is always on a case of the holder's office: claims take only cases of the
  // claimer's office (queue/claim.ts) and every step that moves a case to another office clears
  // its lease. Saying so lets the held cases be found among the office's cases (an index on the
  // office) instead of every case in the province: the lease columns themselves are not indexed,
  // on purpose, so that a claim stays a HOT update (migration 0015, docs/notes-scale.md).
  const rows = await ctx.deps.db
    .select({ ...getTableColumns(cases), ...currentNumberColumns })
    .from(cases)
    .where(
      and(
        eq(cases.officeCode, actor.officeCode),
        or(
          and(eq(cases.leaseHolderId, actor.id), gt(cases.leaseExpiresAt, now)),
          and(eq(cases.assigneeId, actor.id), inArray(cases.stage, ACTIVE_STAGES)),
        ),
      ),
    )
    .orderBy(sql`${cases.nextDueOn} asc nulls last`, desc(cases.updatedAt))
    .limit(500);
  return {
    cases: rows.map((r) => {
      const held = r.leaseHolderId === actor.id && r.leaseExpiresAt !== null && r.leaseExpiresAt > now;
      return {
        ...caseSummary(r, ctx.deps),
        held,
        leaseExpiresAt: held ? r.leaseExpiresAt!.toISOString() : null,
      };
    }),
  };
}
