import { randomUUID } from "node:crypto";
import { getTableColumns, sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { type CteStatement, cte, executePrepared } from "../../../db/client";
import { caseEvents, cases } from "../../../db/schema/index";
import type { Ctx, VerbArgs } from "../../context";
import { canHold, queueStages, STAGES, type Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { type CaseSummary, caseSummary, ROUTING_FACT_KINDS, type RoutingEvent } from "../cases/facts";
import { loadCase } from "../cases/load-case";
import { caseNotFound, relationTo, staffOf } from "../cases/scope";
import { signedCte } from "../ledgers/act-ctes";
import { keepClaimRead } from "./prefetch";

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
 * The claimed case's columns, with its number at its office, and what the holder's next action
 * would read first (the RETURNING of claimReturning; ./prefetch.ts).
 */
const CLAIMED_COLUMNS = {
  ...getTableColumns(cases),
  numberYear: sql<number | null>`number_year`.as("number_year"),
  numberSeq: sql<number | null>`number_seq`.as("number_seq"),
  rowVersion: sql<string>`row_version`.as("row_version"),
  headSeq: sql<number | null>`head_seq`.as("head_seq"),
  headHash: sql<Uint8Array | null>`head_hash`.mapWith(caseEvents.hash).as("head_hash"),
  routing: sql<RoutingEvent[]>`routing`.mapWith(caseEvents.data).as("routing"),
  supervisionPending: sql<boolean>`supervision_pending`.mapWith(Boolean).as("supervision_pending"),
};

const ROUTING_IN = sql.raw(`(${ROUTING_FACT_KINDS.map((k) => `'${k}'`).join(", ")})`);

/**
 * RETURNING of a claim's update: the case and its number at its office; the row version it wrote
 * (xmin), its chain head, its routing events and a pending 督办, as actOnCase's read has them.
 */
const claimReturning = sql`returning cases.*,
  (select n.year from case_numbers n where n.case_id = cases.id and n.office_code = cases.office_code) as number_year,
  (select n.seq from case_numbers n where n.case_id = cases.id and n.office_code = cases.office_code) as number_seq,
  cases.xmin::text as row_version,
  (select e.seq from case_events e where e.case_id = cases.id order by e.seq desc limit 1) as head_seq,
  (select e.hash from case_events e where e.case_id = cases.id order by e.seq desc limit 1) as head_hash,
  (select coalesce(jsonb_agg(jsonb_build_object('kind', e.kind, 'data', e.data) order by e.seq), '[]'::jsonb)
    from case_events e where e.case_id = cases.id and e.kind in ${ROUTING_IN}) as routing,
  exists (select 1 from case_supervisions s where s.case_id = cases.id
    and s.to_office = cases.office_code and s.replied_at is null) as supervision_pending`;

type ClaimedRow = SelectResultFields<typeof CLAIMED_COLUMNS>;

/** Keeps the claim's read for the holder's next action (not inside a caller's transaction). */
function keepRead(ctx: Ctx, row: ClaimedRow, token: string, expires: Date): void {
  if (ctx.tx) return;
  const { numberYear, numberSeq, rowVersion, routing, ...read } = row;
  keepClaimRead(ctx.deps.db, token, expires, {
    read: { ...read, routing: routing as RoutingEvent[] },
    version: rowVersion,
  });
}

const p = (name: string) => sql.placeholder(name);
const expired = sql`(cases.lease_expires_at is null or cases.lease_expires_at < ${p("now")}::timestamptz)`;

/**
 * The claim as one statement (no transaction): the next case, locked with FOR UPDATE SKIP LOCKED
 * in a CTE, the conditional UPDATE that takes its lease, and 签收 in the sending office's ledger
 * when the case was sent here (ledgers/act-ctes.ts). Prepared per handle and per set of stages
 * (a role mix has its own few).
 */
function claimNextStatement(stages: Stage[], asyncCommit: boolean): CteStatement<typeof CLAIMED_COLUMNS> {
  const next = cte(
    "next",
    sql`select cases.id from cases
      where cases.office_code = ${p("office")} and cases.stage in ${stageList(stages)} and ${expired}
      order by cases.real_name desc, cases.next_due_on asc nulls last, cases.received_at asc, cases.serial asc
      limit 1 for update skip locked`,
  );
  // This statement's own transaction commits without waiting for its WAL to reach the disk
  // (SET LOCAL, for the one statement; the other statements of the connection keep the server's
  // setting). A claim lost in a crash only returns the case to the queue, and the holder's next
  // action commits synchronously, which flushes the claim's WAL before its own. Not on the
  // embedded PGlite: its files are written by this process alone, and a stop that does not
  // flush would lose a claim the page has already shown (the holder's form would then fail).
  const setting = asyncCommit ? "off" : "on";
  const async = cte(
    "async_commit",
    sql`select set_config('synchronous_commit', ${sql.raw(`'${setting}'`)}, true) as on`,
  );
  const u = cte(
    "u",
    sql`update cases set lease_token = ${p("token")}::uuid, lease_holder_id = ${p("holder")}::uuid,
      lease_expires_at = ${p("expires")}::timestamptz
      from next, async_commit where cases.id = next.id and ${expired} ${claimReturning}`,
    CLAIMED_COLUMNS,
  );
  return { with: [next, async, u, signedCte()], from: u };
}

/**
 * The stages as SQL literals, not parameters: the planner then proves a prepared claim's stage
 * list implies the predicate of the claim-order partial index for that role mix (migration
 * 0016_queue: intake, handler, both), which it cannot do for parameters of a generic plan.
 * Stage is a closed set of lower-case identifiers (STAGES); anything else is refused.
 */
function stageList(stages: Stage[]) {
  for (const st of stages) if (!STAGES.includes(st)) throw new Error(`not a stage: ${st}`);
  return sql.raw(`(${stages.map((st) => `'${st}'`).join(", ")})`);
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
    () => claimNextStatement(stages, ctx.deps.dbKind === "postgres"),
    {
      now: now.toISOString(),
      office: actor.officeCode,
      token,
      holder: actor.id,
      expires: expires.toISOString(),
    },
  );
  if (!row) return null;
  keepRead(ctx, row, token, expires);
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
  keepRead(ctx, claimed, token, expires);
  return {
    case: caseSummary(claimed, ctx.deps),
    leaseToken: token,
    leaseExpiresAt: expires.toISOString(),
  };
}
