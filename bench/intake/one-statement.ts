/**
 * A prototype, for RESULTS.md's advice only: the same intake work as api/services/intake/submit.ts
 * (validate → redact → seal → route → tracking code → hash-chained `received` event → intake
 * clocks), with every write folded into ONE INSERT statement (data-modifying CTEs, atomic on its
 * own, so no BEGIN/COMMIT) sent as a prepared statement. The case id is drawn in Node so the
 * event hash can be computed before the insert; a new case has no earlier event (seq 1, no
 * previous hash), so the "select the last event" round-trip goes; the clock rows and
 * cases.next_due_on are computed in Node from the same rules. Idempotency and attachments are
 * left out (the benchmark sends neither).
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import type { Sql } from "postgres";
import type { Deps } from "../../api/context";
import { eventHash } from "../../api/crypto/event-chain";
import { sealJson } from "../../api/crypto/seal";
import {
  generateTrackingCode,
  hashTrackingCode,
  normalizeTrackingCode,
} from "../../api/crypto/tracking-code";
import { addWorkingDays, shanghaiDate } from "../../api/domain/clock";
import { clockRulesFor, ruleApplies, startKinds } from "../../api/domain/clock-rules";
import { redactOwnIdentifiers } from "../../api/domain/redact";
import { routeCase } from "../../api/domain/routing";
import { problems } from "../../api/errors";
import { readJson } from "../../api/http/body";
import type { AppEnv } from "../../api/http/env";
import { requestLog } from "../../api/http/logging";
import { validateReport } from "../../api/services/intake/validate";

export async function submitOneStatement(deps: Deps, sql: Sql, body: unknown) {
  const checked = validateReport(body, deps.offices);
  if (!checked.ok) throw problems.invalid(checked.errors);
  const report = checked.value;
  // The bench posts 检举控告 only: they always name a person reported.
  const subject = report.subject!;
  const office = routeCase(deps.offices, subject.managementLevel, subject.divisionCode)!;
  const ids = report.reporter ?? {};
  const title = redactOwnIdentifiers(report.title, ids);
  const text = redactOwnIdentifiers(report.body, ids);
  const sealed = sealJson(deps.keys.vaultPublicKey, {
    reporter: report.reporter ?? null,
    title: report.title,
    body: report.body,
  });
  const trackingCode = generateTrackingCode();
  const trackingHash = hashTrackingCode(deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
  const receivedAt = new Date(Math.floor(deps.now().getTime()));
  const caseId = randomUUID();
  // drizzle's postgres-js driver turns postgres.js's date and JSON serializers off: send text.
  const at = receivedAt.toISOString();
  const data = { routedTo: office.code, managementLevel: subject.managementLevel };
  const hash = eventHash(null, {
    caseId,
    seq: 1,
    at: receivedAt.toISOString(),
    kind: "received",
    actor: "system:intake",
    officeCode: office.code,
    isPublic: true,
    data,
  });
  const startedOn = shanghaiDate(receivedAt);
  const facts = {
    realName: report.realName,
    disposition: null,
    officeLevel: office.level,
    type: report.type,
    repeat: false,
    publicStatus: "received" as const,
    stage: "received" as const,
  };
  const clocks = clockRulesFor(deps.config.province, office.code)
    .filter((r) => startKinds(r).includes("received") && ruleApplies(r, facts) && "workingDays" in r.due)
    .map((r) => ({
      rule: r.id,
      dueOn: addWorkingDays(startedOn, (r.due as { workingDays: number }).workingDays),
    }));
  const nextDue = clocks.map((c) => c.dueOn).sort()[0] ?? null;

  await sql`
    with c as (
      insert into cases (id, type, category, real_name, title, body, subject_name, subject_unit, subject_position,
        subject_level, subject_division_code, routed_office_code, office_code, tracking_hash, attachment_count,
        next_due_on, received_at, updated_at)
      values (${caseId}, ${report.type}, ${report.category}, ${report.realName}, ${title}, ${text},
        ${subject.name}, ${subject.unit}, ${subject.position}, ${subject.managementLevel},
        ${subject.divisionCode}, ${office.code}, ${office.code}, ${Buffer.from(trackingHash)}, 0,
        ${nextDue}::date, ${at}::timestamptz, ${at}::timestamptz)
      returning id
    ), s as (
      insert into sealed_identities (case_id, sealed) select id, ${Buffer.from(sealed)} from c
    ), e as (
      insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select id, 1, ${at}::timestamptz, 'received', 'system:intake', ${office.code}, true, ${JSON.stringify(data)}::jsonb, null,
        ${Buffer.from(hash)} from c
    )
    insert into case_clocks (case_id, rule, office_code, started_on, due_on)
    select c.id, k.rule, ${office.code}, ${startedOn}::date, k.due_on::date
    from c, jsonb_to_recordset(${JSON.stringify(clocks.map((k) => ({ rule: k.rule, due_on: k.dueOn })))}::jsonb) as k(rule text, due_on text)`;
  return {
    trackingCode,
    receivedAt: receivedAt.toISOString(),
    office: { code: office.code, name: office.name },
  };
}

/** Served like the real app: same request-log middleware, same body reader and limits. */
export function oneStatementApp(deps: Deps, sql: Sql) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use("*", requestLog());
  app.post("/api/v1/reports", async (c: Context<AppEnv>) => {
    const body = await readJson(c, deps.config.maxJsonBytes);
    const receipt = await submitOneStatement(deps, sql, body);
    c.header("Cache-Control", "no-store");
    return c.json(receipt, 201);
  });
  return app;
}
