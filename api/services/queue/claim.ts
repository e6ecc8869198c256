import { randomUUID } from "node:crypto";
import { getTableColumns, sql } from "drizzle-orm";
import { type CteStatement, cte, executePrepared } from "../../../db/client";
import { cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { canHold, queueStages, type Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { type CaseSummary, caseSummary } from "../cases/facts";
import { loadCase } from "../cases/load-case";
import { caseNotFound, relationTo, staffOf } from "../cases/scope";
import { signedCte } from "../ledgers/act-ctes";

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

/** The claimed case's columns, with its number at its office (the RETURNING of claimReturning). */
const CLAIMED_COLUMNS = {
  ...getTableColumns(cases),
  numberYear: sql<number | null>`number_year`.as("number_year"),
  numberSeq: sql<number | null>`number_seq`.as("number_seq"),
};

/** RETURNING of a claim's update: the case and its number at its office. */
const claimReturning = sql`returning cases.*,
  (select n.year from case_numbers n where n.case_id = cases.id and n.office_code = cases.office_code) as number_year,
  (select n.seq from case_numbers n where n.case_id = cases.id and n.office_code = cases.office_code) as number_seq`;

const p = (name: string) => sql.placeholder(name);
const expired = sql`(cases.lease_expires_at is null or cases.lease_expires_at < ${p("now")}::timestamptz)`;

/**
 * The claim as one statement (no transaction): the next case, locked with FOR UPDATE SKIP LOCKED
 * in a CTE, the conditional UPDATE that takes its lease, and 签收 in the sending office's ledger
 * when the case was sent here (ledgers/act-ctes.ts). Prepared per handle and per set of stages
 * (a role mix has its own few).
 */
function claimNextStatement(stages: Stage[]): CteStatement<typeof CLAIMED_COLUMNS> {
  const next = cte(
    "next",
    sql`select cases.id from cases
      where cases.office_code = ${p("office")} and cases.stage in (${sql.join(
        stages.map((st) => sql`${st}`),
        sql`, `,
      )}) and ${expired}
      order by cases.real_name desc, cases.next_due_on asc nulls last, cases.received_at asc, cases.serial asc
      limit 1 for update skip locked`,
  );
  const u = cte(
    "u",
    sql`update cases set lease_token = ${p("token")}::uuid, lease_holder_id = ${p("holder")}::uuid,
      lease_expires_at = ${p("expires")}::timestamptz
      from next where cases.id = next.id and ${expired} ${claimReturning}`,
    CLAIMED_COLUMNS,
  );
  return { with: [next, u, signedCte()], from: u };
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
  const [row] = await executePrepared(
    ctx.tx ?? ctx.deps.db,
    `queue_claim:${stages.join(",")}`,
    () => claimNextStatement(stages),
    {
      now: now.toISOString(),
      office: actor.officeCode,
      token,
      holder: actor.id,
      expires: expires.toISOString(),
    },
  );
  if (!row) return null;
  return {
    case: caseSummary(row, ctx.deps),
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
  // Inside the caller's transaction (batch work: claim and act together or not at all).
  const db = ctx.tx ?? ctx.deps.db;
  const row = await loadCase(db, input.caseId);
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
  const [claimed] = await executePrepared(
    db,
    `case_claim:${mine ? "renew" : "take"}`,
    () => {
      // The holder renews with their own token; anyone else takes a case nobody holds.
      const free = mine
        ? sql`cases.lease_token = ${p("token")}::uuid and cases.lease_holder_id = ${p("holder")}::uuid`
        : expired;
      const u = cte(
        "u",
        sql`update cases set lease_token = ${p("token")}::uuid, lease_holder_id = ${p("holder")}::uuid,
          lease_expires_at = ${p("expires")}::timestamptz
          where cases.id = ${p("id")}::uuid and cases.office_code = ${p("office")} and ${free} ${claimReturning}`,
        CLAIMED_COLUMNS,
      );
      return { with: [u, signedCte()], from: u };
    },
    {
      id: row.id,
      office: actor.officeCode,
      token,
      holder: actor.id,
      expires: expires.toISOString(),
      now: now.toISOString(),
    },
  );
  if (!claimed) {
    throw problems.conflict("case.held", { reason: "lease" });
  }
  return {
    case: caseSummary(claimed, ctx.deps),
    leaseToken: token,
    leaseExpiresAt: expires.toISOString(),
  };
}
