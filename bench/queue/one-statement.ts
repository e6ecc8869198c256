/**
 * A prototype, for RESULTS.md's advice only: claim and register with the same rules as
 * api/services/queue/claim.ts and api/services/cases/act.ts, each write folded into ONE prepared
 * statement (atomic on its own: no BEGIN/COMMIT) and the act's reads into one:
 *   claim    = 1 statement: UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING
 *   register = 1 read (the case, its last event's seq and hash, its arrival) +
 *              1 statement: fenced UPDATE of the case (stage, office, lease token, live lease;
 *              next_due_on recomputed without the clocks this event stops) + INSERT of the
 *              hash-chained event + UPDATE stopping the clocks, as data-modifying CTEs.
 * The event hash is computed in Node from the read's last hash; the unique (case_id, seq) index
 * turns a concurrent append into an error instead of a fork, as it does today.
 */
import type { Sql } from "postgres";
import type { Deps, StaffActor } from "../../api/context";
import { eventHash } from "../../api/crypto/event-chain";
import { shanghaiDate } from "../../api/domain/clock";
import { clockRulesFor } from "../../api/domain/clock-rules";
import { judge, nextStage, queueStages } from "../../api/domain/workflow";
import { ROUTING_FACT_KINDS, routingFacts, workflowCaseOf } from "../../api/services/cases/facts";
import { actorLabel } from "../../api/services/cases/scope";
import { newLeaseToken } from "../../api/services/queue/claim";

export async function claimOneStatement(deps: Deps, sql: Sql, actor: StaffActor) {
  const now = deps.now().toISOString();
  const expires = new Date(deps.now().getTime() + deps.config.leaseMinutes * 60_000).toISOString();
  const token = newLeaseToken();
  const [row] = await sql`
    update cases c set lease_token = ${token}, lease_holder_id = ${actor.id}, lease_expires_at = ${expires}::timestamptz
    from (
      select id from cases
      where office_code = ${actor.officeCode} and stage = any(${queueStages(actor.roles)}::text[])
        and (lease_expires_at is null or lease_expires_at < ${now}::timestamptz)
      order by real_name desc, next_due_on asc nulls last, received_at asc, serial asc
      limit 1 for update skip locked
    ) n
    where c.id = n.id and (c.lease_expires_at is null or c.lease_expires_at < ${now}::timestamptz)
    returning c.id, c.stage, c.office_code`;
  return row ? { caseId: row.id as string, leaseToken: token, leaseExpiresAt: expires } : null;
}

export class Conflict extends Error {}

export async function registerOneStatement(
  deps: Deps,
  sql: Sql,
  actor: StaffActor,
  caseId: string,
  leaseToken: string,
) {
  const nowDate = deps.now();
  const now = nowDate.toISOString();
  const today = shanghaiDate(nowDate);
  const [row] = await sql`
    select c.stage, c.office_code, c.next_due_on::text as next_due_on, c.real_name, c.type,
      (select seq from case_events e where e.case_id = c.id order by seq desc limit 1) as last_seq,
      (select hash from case_events e where e.case_id = c.id order by seq desc limit 1) as last_hash,
      (select coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'data', data) order by seq), '[]'::jsonb)
        from case_events e where e.case_id = c.id and kind = any(${[...ROUTING_FACT_KINDS]}::text[])) as routing
    from cases c where c.id = ${caseId}`;
  if (!row || row.office_code !== actor.officeCode) throw new Conflict("not found");
  const wc = workflowCaseOf(
    {
      stage: row.stage,
      officeCode: row.office_code,
      nextDueOn: row.next_due_on,
      realName: row.real_name,
      type: row.type,
    },
    routingFacts(row.routing, row.office_code),
    deps.offices,
    today,
  );
  if (!judge("register", wc, { roles: actor.roles, relation: "act" }).ok) throw new Conflict("illegal step");
  const stops = clockRulesFor(deps.config.province)
    .filter((r) => r.stopsOn.includes("registered"))
    .map((r) => r.id);
  const seq = (row.last_seq ?? 0) + 1;
  const prev: Uint8Array | null = row.last_hash ?? null;
  const fields = {
    caseId,
    seq,
    at: now,
    kind: "registered",
    actor: actorLabel(actor),
    officeCode: actor.officeCode,
    isPublic: true,
    data: {},
  };
  const hash = eventHash(prev, fields);
  const leaseUntil = new Date(nowDate.getTime() + deps.config.leaseMinutes * 60_000).toISOString();
  const [res] = await sql`
    with u as (
      update cases set stage = ${nextStage("register", wc)}, public_status = 'accepted', assignee_id = ${actor.id},
        lease_expires_at = ${leaseUntil}::timestamptz, updated_at = ${now}::timestamptz,
        next_due_on = (select min(due_on) from case_clocks k
                       where k.case_id = ${caseId} and k.stopped_at is null and k.rule <> all(${stops}::text[]))
      where id = ${caseId} and stage = ${row.stage} and office_code = ${row.office_code}
        and lease_token = ${leaseToken} and lease_expires_at > ${now}::timestamptz
      returning id
    ), e as (
      insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select id, ${seq}, ${now}::timestamptz, 'registered', ${fields.actor}, ${fields.officeCode}, true, '{}'::jsonb,
        ${prev ? Buffer.from(prev) : null}, ${Buffer.from(hash)} from u
    ), k as (
      update case_clocks set stopped_at = ${now}::timestamptz
      where case_id in (select id from u) and stopped_at is null and rule = any(${stops}::text[])
    )
    select count(*)::int as n from u`;
  if (res.n !== 1) throw new Conflict("stale lease or the case moved on");
}

/** Same loop as ./ours.ts over the prototype. */
export async function drainWithPrototype(deps: Deps, sql: Sql, actors: StaffActor[]): Promise<number> {
  let done = 0;
  await Promise.all(
    actors.map(async (actor) => {
      for (;;) {
        const claim = await claimOneStatement(deps, sql, actor);
        if (!claim) return;
        await registerOneStatement(deps, sql, actor, claim.caseId, claim.leaseToken);
        done++;
      }
    }),
  );
  return done;
}
