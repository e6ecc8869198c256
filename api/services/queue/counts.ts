import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import { caseLeaseMarks, caseQueueCounts, caseQueueDelta, cases } from "../../../db/schema/index";
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
 *
 * Read from what the triggers of migration 0018 keep, not from the queue itself (a backlog of any
 * size costs the same): the active cases per office and deadline (case_queue_counts and the
 * changes not folded into it yet, case_queue_delta: the total,
 * and overdue = due before today, the register's overdue filter), and the live leases, found from
 * the lease marks of the offices and checked on the case rows (a live lease is one a staff member
 * took within LEASE_MINUTES: few). Waiting = total − leased.
 */
export async function queueCounts({
  ctx,
}: VerbArgs<Record<string, never>>): Promise<{ counts: OfficeCounts[] }> {
  const actor = staffOf(ctx);
  const { offices } = ctx.deps;
  const now = ctx.deps.now();
  const today = shanghaiDate(now);
  const codes = officesInView(offices, actor);
  const db = ctx.tx ?? ctx.deps.db;
  const zero = sql<number>`0`;
  // The table holds active stages only (migration 0018): no stage filter.
  const totals = db
    .select({
      officeCode: caseQueueCounts.officeCode,
      active: sql<number>`${caseQueueCounts.n}`.as("active"),
      overdue:
        sql<number>`case when ${lt(caseQueueCounts.dueOn, today)} then ${caseQueueCounts.n} else 0 end`.as(
          "overdue",
        ),
      claimed: zero.as("claimed"),
    })
    .from(caseQueueCounts)
    .where(inArray(caseQueueCounts.officeCode, codes));
  // The changes the triggers left that are not folded into the counts yet (migration 0018).
  const changes = db
    .select({
      officeCode: caseQueueDelta.officeCode,
      active: sql<number>`${caseQueueDelta.n}`.as("active"),
      overdue:
        sql<number>`case when ${lt(caseQueueDelta.dueOn, today)} then ${caseQueueDelta.n} else 0 end`.as(
          "overdue",
        ),
      claimed: zero.as("claimed"),
    })
    .from(caseQueueDelta)
    .where(inArray(caseQueueDelta.officeCode, codes));
  // Each mark is checked on its case by primary key: a correlated scalar subquery, which the
  // planner never turns into a join, so the plan stays "the office's marks, one lookup each" (a
  // join let it start from the office's whole queue when its estimate of live leases was low).
  const live = sql<number>`(select count(*) from ${cases} where ${and(
    eq(cases.id, caseLeaseMarks.caseId),
    eq(cases.officeCode, caseLeaseMarks.officeCode),
    inArray(cases.stage, ACTIVE_STAGES),
    gte(cases.leaseExpiresAt, now),
  )})`;
  const leased = db
    .select({ officeCode: caseLeaseMarks.officeCode, active: zero, overdue: zero, claimed: live })
    .from(caseLeaseMarks)
    .where(inArray(caseLeaseMarks.officeCode, codes));
  // One statement, one snapshot: waiting = total − leased never mixes two moments.
  const parts = unionAll(totals, changes, leased).as("parts");
  const rows = await db
    .select({
      officeCode: parts.officeCode,
      active: sql<number>`sum(${parts.active})`.mapWith(Number),
      overdue: sql<number>`sum(${parts.overdue})`.mapWith(Number),
      claimed: sql<number>`sum(${parts.claimed})`.mapWith(Number),
    })
    .from(parts)
    .groupBy(parts.officeCode);
  const byCode = new Map(rows.map((r) => [r.officeCode, r]));
  const counts = codes
    .filter((code) => code === actor.officeCode || (byCode.get(code)?.active ?? 0) > 0)
    .map((code) => {
      const r = byCode.get(code);
      return {
        office: { code, name: offices.get(code)?.name ?? code },
        unclaimed: (r?.active ?? 0) - (r?.claimed ?? 0),
        claimed: r?.claimed ?? 0,
        overdue: r?.overdue ?? 0,
      };
    });
  return { counts };
}
