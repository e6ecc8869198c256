import { and, inArray, sql } from "drizzle-orm";
import { cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { ACTIVE_STAGES } from "../../domain/workflow";
import { officesInView, staffOf } from "../cases/scope";

export interface OfficeCounts {
  office: { code: string; name: string };
  /** Active cases nobody holds (or whose lease expired). */
  unclaimed: number;
  /** Active cases under a live lease. */
  claimed: number;
  /** Active cases with a running clock past its due date. */
  overdue: number;
}

/**
 * GET /api/v1/staff/queue — live counts of the caller's office, and for a supervisor of each
 * office below it (offices without an active case are left out, the caller's own never is).
 */
export async function queueCounts({
  ctx,
}: VerbArgs<Record<string, never>>): Promise<{ counts: OfficeCounts[] }> {
  const actor = staffOf(ctx);
  const { offices } = ctx.deps;
  const now = ctx.deps.now();
  const today = shanghaiDate(now);
  const codes = officesInView(offices, actor);
  const rows = await ctx.deps.db
    .select({
      officeCode: cases.officeCode,
      unclaimed:
        sql<number>`count(*) filter (where ${cases.leaseExpiresAt} is null or ${cases.leaseExpiresAt} < ${now.toISOString()})`.mapWith(
          Number,
        ),
      claimed: sql<number>`count(*) filter (where ${cases.leaseExpiresAt} >= ${now.toISOString()})`.mapWith(
        Number,
      ),
      overdue: sql<number>`count(*) filter (where ${cases.nextDueOn} < ${today})`.mapWith(Number),
    })
    .from(cases)
    .where(and(inArray(cases.officeCode, codes), inArray(cases.stage, ACTIVE_STAGES)))
    .groupBy(cases.officeCode);
  const byCode = new Map(rows.map((r) => [r.officeCode, r]));
  const counts = codes
    .filter((code) => code === actor.officeCode || byCode.has(code))
    .map((code) => {
      const r = byCode.get(code);
      return {
        office: { code, name: offices.get(code)?.name ?? code },
        unclaimed: r?.unclaimed ?? 0,
        claimed: r?.claimed ?? 0,
        overdue: r?.overdue ?? 0,
      };
    });
  return { counts };
}
