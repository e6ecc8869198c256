import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { type DbOrTx, preparedOn } from "../../../db/client";
import { cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { canHold, queueStages, type Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { type CaseSummary, caseSummary } from "../cases/facts";
import { loadCase } from "../cases/load-case";
import { caseNotFound, relationTo, staffOf } from "../cases/scope";

export interface Claim {
  case: CaseSummary;
  leaseToken: string;
  leaseExpiresAt: string;
}

/**
 * A fresh fencing token: 122 random bits in UUID form (the column is uuid). node:crypto's
 * randomUUID is the same version-4 layout, from the OS CSPRNG, without libsodium's slow WASM
 * randombytes.
 */
export function newLeaseToken(): string {
  return randomUUID();
}

const notQueueRole = () => problems.forbidden("queue.no_role");

/**
 * The claim as one statement (no transaction): the next case, locked with FOR UPDATE SKIP LOCKED
 * in a subquery, and the conditional UPDATE that takes its lease. Prepared per handle and per
 * set of stages (a role mix has its own few).
 */
function claimStatement(h: DbOrTx, stages: Stage[]) {
  return preparedOn(h, `queue_claim:${stages.join(",")}`, (db) => {
    const now = sql`${sql.placeholder("now")}::timestamptz`;
    const next = db
      .select({ id: cases.id })
      .from(cases)
      .where(
        and(
          eq(cases.officeCode, sql.placeholder("office")),
          inArray(cases.stage, stages),
          or(isNull(cases.leaseExpiresAt), lt(cases.leaseExpiresAt, now)),
        ),
      )
      .orderBy(
        desc(cases.realName),
        sql`${cases.nextDueOn} asc nulls last`,
        asc(cases.receivedAt),
        asc(cases.serial),
      )
      .limit(1)
      .for("update", { skipLocked: true })
      .as("next");
    return db
      .update(cases)
      .set({
        leaseToken: sql`${sql.placeholder("token")}::uuid`,
        leaseHolderId: sql`${sql.placeholder("holder")}::uuid`,
        leaseExpiresAt: sql`${sql.placeholder("expires")}::timestamptz`,
      })
      .from(next)
      .where(and(eq(cases.id, next.id), or(isNull(cases.leaseExpiresAt), lt(cases.leaseExpiresAt, now))))
      .returning(getTableColumns(cases))
      .prepare(`queue_claim_${stages.join("_")}`);
  });
}

/**
 * POST /api/v1/staff/queue/claim — the next case of the caller's office that their roles work
 * on and nobody holds: real-name first, then the earliest deadline, then the oldest. The row is
 * locked with FOR UPDATE SKIP LOCKED, so concurrent claimers (in any number of processes) each
 * get a different case without waiting; the conditional UPDATE re-checks that no live lease
 * exists. Both are one statement (pg-boss's fetch has the same shape), atomic without a
 * transaction. Time is the app's clock, passed as a parameter, so an expired lease is judged the
 * same way everywhere. Returns null when the queue is empty (204).
 */
export async function claimNext({ ctx }: VerbArgs<Record<string, never>>): Promise<Claim | null> {
  const actor = staffOf(ctx);
  const stages = queueStages(actor.roles);
  if (stages.length === 0) throw notQueueRole();
  const now = ctx.deps.now();
  const expires = new Date(now.getTime() + ctx.deps.config.leaseMinutes * 60_000);
  const token = newLeaseToken();
  const [row] = await claimStatement(ctx.tx ?? ctx.deps.db, stages).execute({
    now: now.toISOString(),
    office: actor.officeCode,
    token,
    holder: actor.id,
    expires: expires.toISOString(),
  });
  if (!row) return null;
  return {
    case: caseSummary(row, ctx.deps.offices),
    leaseToken: token,
    leaseExpiresAt: expires.toISOString(),
  };
}

/**
 * POST /api/v1/staff/cases/:id/claim — take one particular case of one's office (from "my
 * cases", or to write to the reporter after the case closed). 409 while someone else holds it;
 * the holder themselves gets their token back with the lease renewed.
 */
export async function claimCase({ ctx, input }: VerbArgs<{ caseId: string }>): Promise<Claim> {
  const actor = staffOf(ctx);
  const now = ctx.deps.now();
  const row = await loadCase(ctx.deps.db, input.caseId);
  if (!row) throw caseNotFound();
  const relation = relationTo(ctx.deps.offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  if (relation === "read") {
    throw problems.forbidden("queue.from_above");
  }
  if (!canHold(actor.roles, row.stage)) {
    throw problems.conflict("queue.nothing_to_do", { allowedActions: [] });
  }
  const expires = new Date(now.getTime() + ctx.deps.config.leaseMinutes * 60_000);
  const mine = row.leaseHolderId === actor.id && row.leaseExpiresAt !== null && row.leaseExpiresAt > now;
  const token = mine && row.leaseToken ? row.leaseToken : newLeaseToken();
  const [claimed] = await ctx.deps.db
    .update(cases)
    .set({ leaseToken: token, leaseHolderId: actor.id, leaseExpiresAt: expires })
    .where(
      and(
        eq(cases.id, row.id),
        eq(cases.officeCode, actor.officeCode),
        mine
          ? and(eq(cases.leaseToken, token), eq(cases.leaseHolderId, actor.id))
          : or(isNull(cases.leaseExpiresAt), lt(cases.leaseExpiresAt, now)),
      ),
    )
    .returning();
  if (!claimed) {
    throw problems.conflict("case.held", { reason: "lease" });
  }
  return {
    case: caseSummary(claimed, ctx.deps.offices),
    leaseToken: token,
    leaseExpiresAt: expires.toISOString(),
  };
}
