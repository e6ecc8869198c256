import { randomUUID } from "node:crypto";
import { and, eq, lte, sql, type WithSubquery } from "drizzle-orm";
import { type CteStatement, cte, executePrepared, isUniqueViolation } from "../../../db/client";
import { cases, idempotencyKeys } from "../../../db/schema/index";
import type { Ctx } from "../../context";
import { CanonicalJsonError, canonicalJson } from "../../crypto/canonical-json";
import { keyedHash } from "../../crypto/keyed-hash";
import { sealRedactionBox } from "../../crypto/redaction-box";
import { boxSecret, openSecret, sealJson } from "../../crypto/seal";
import { generateTrackingCode, hashTrackingCode, normalizeTrackingCode } from "../../crypto/tracking-code";
import type { Channel } from "../../domain/channels";
import { shanghaiDate } from "../../domain/clock";
import { earliestStart } from "../../domain/clock-plan";
import { identityWarnings } from "../../domain/identity-warnings";
import { type RedactionPatterns, redactionPatterns, redactWith } from "../../domain/redact";
import { subjectKey } from "../../domain/repeats";
import type { Route } from "../../domain/routing";
import { fieldError, problems } from "../../errors";
import { type IncomingFile, type PreparedFile, storeAttachments } from "../attachments/prepare";
import { planIntakeClocks } from "../clocks/start-intake";
import { chainEvent } from "../events/append";
import { allocateNumber, numberCtes, yearOf } from "../numbering/numbers";
import { recordRepeatsAfterIntake } from "../repeats/record";
import { idempotencyCutoff, purgeIdempotencyLater } from "./purge-idempotency";
import type { ValidReport } from "./validate";

export interface IntakeOffice {
  code: string;
  name: string;
}

/** What the channel-specific part (online form, staff registration) decided, after validation. */
export interface IntakePlan {
  report: ValidReport;
  prepared: PreparedFile[];
  /** The office the case lands in, at `received`. */
  office: IntakeOffice;
  route: Route;
  channel: Channel;
  /** The day the office received it (Asia/Shanghai); undefined: today (online). Drives the clocks. */
  receivedOn?: string;
  reference: string | null;
  /** The `received` event's actor: `system:intake` online, `staff:<username>` for staff. */
  eventActor: string;
  /** False: a code is still drawn (tracking_hash is unique and required) but never shown. */
  wantsTrackingCode: boolean;
}

/** What the pipeline knows once the case is committed. */
export interface IntakeOutcome {
  caseId: string;
  trackingCode: string | null;
  receivedAt: Date;
  receivedOn: string;
  office: IntakeOffice;
}

export interface IntakeRun<S, A> {
  body: unknown;
  files?: IncomingFile[];
  idempotencyKey?: string;
  /**
   * Separates the key spaces of different callers (`""` online; `staff:<id>` for a staff member),
   * so one staff member's key never answers another's request or a citizen's.
   */
  keyScope: string;
  /** Validation, captcha, attachments: throws a problem before anything is stored. */
  plan: () => Promise<IntakePlan>;
  /** What a retry with the same key gets back (sealed in the idempotency record). */
  stored: (o: IntakeOutcome) => S;
  /** The answer, from the stored form (the first time and on every replay). */
  finish: (s: S) => Promise<A>;
}

const dec = new TextDecoder();

/** bytea parameters: postgres.js sends a Buffer as bytea; PGlite takes any Uint8Array. */
const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The request as RFC 8785 JSON, files by name and keyed hash; a body that is not I-JSON is malformed. */
function requestJson(body: unknown, files: IncomingFile[], key: Uint8Array): string {
  try {
    return canonicalJson({
      body,
      files: files.map((f) => [f.name, keyedHash(key, "idempotency-file", f.data)]),
    });
  } catch (e) {
    if (!(e instanceof CanonicalJsonError)) throw e;
    throw problems.malformed("body.not_ijson");
  }
}

/**
 * The one intake pipeline, for the citizen's form and the 信访室's registration alike (issue 11 §2):
 * idempotency → the caller's plan (validation, captcha, attachments, office) → redact → seal
 * identity and original text → insert case, sealed identity, `received` event, clocks, number and
 * idempotency record in ONE statement (attachments, when there are any, in the same transaction)
 * → repeats → answer. The answer exists only after the commit.
 */
export async function runIntake<S, A>(ctx: Ctx, run: IntakeRun<S, A>): Promise<A> {
  const { deps } = ctx;
  const { keys, db } = deps;

  const idem = run.idempotencyKey?.trim();
  if (idem !== undefined && (idem.length < 1 || idem.length > 200)) {
    throw problems.invalid([fieldError("Idempotency-Key", "invalid_type")]);
  }
  const scoped = idem ? (run.keyScope ? `${run.keyScope}\u0000${idem}` : idem) : undefined;
  const keyHash = scoped ? keyedHash(keys.idempotency, "idempotency-key", scoped) : undefined;
  // Only a request with an Idempotency-Key needs its hash (to tell a retry from a different report).
  const requestHash = keyHash
    ? keyedHash(
        keys.idempotency,
        "idempotency-request",
        requestJson(run.body, run.files ?? [], keys.idempotency),
      )
    : undefined;
  const replay = async (): Promise<S | undefined> => {
    if (!scoped || !keyHash || !requestHash) return undefined;
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.keyHash, keyHash))
      .limit(1);
    if (!row) return undefined;
    // Past its window a record answers nothing: it is deleted (whatever the periodic purge has
    // not reached yet) and the key may be used afresh.
    if (row.createdAt.getTime() <= idempotencyCutoff(ctx).getTime()) {
      await db
        .delete(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.keyHash, keyHash), lte(idempotencyKeys.createdAt, idempotencyCutoff(ctx))),
        );
      return undefined;
    }
    if (!Buffer.from(row.requestHash).equals(Buffer.from(requestHash))) {
      throw problems.conflict("idempotency.reused");
    }
    const key = keyedHash(keys.idempotency, "idempotency-response", scoped);
    return JSON.parse(dec.decode(openSecret(key, row.responseSealed))) as S;
  };

  if (keyHash) purgeIdempotencyLater(ctx);
  const first = await replay();
  if (first) return run.finish(first);

  const plan = await run.plan();
  const { report, prepared, office, route } = plan;
  const sanitized = sanitize(report);
  const reference = plan.reference === null ? null : redactWith(plan.reference, sanitized.use);
  const sealed = sealJson(keys.vaultPublicKey, {
    reporter: report.reporter ?? null,
    title: report.title,
    body: report.body,
    // 申诉: the decision is the reporter's own and identifies them: the original goes to the vault.
    ...(report.appeal ? { appeal: report.appeal } : {}),
  });

  for (let attempt = 0; ; attempt++) {
    const trackingCode = generateTrackingCode();
    const normalizedCode = normalizeTrackingCode(trackingCode)!;
    const trackingHash = hashTrackingCode(keys.trackingKey, normalizedCode);
    // The reporter's patterns, for redacting their follow-up messages: only the code opens them
    // (none when the code is never shown: nobody could write a follow-up).
    const redactionBox =
      sanitized.patterns && plan.wantsTrackingCode
        ? sealRedactionBox(keys.trackingKey, normalizedCode, sanitized.patterns)
        : null;
    const receivedAt = deps.now();
    const receivedOn = plan.receivedOn ?? shanghaiDate(receivedAt);
    const outcome: IntakeOutcome = {
      caseId: randomUUID(),
      trackingCode: plan.wantsTrackingCode ? trackingCode : null,
      receivedAt,
      receivedOn,
      office,
    };
    // The case id is drawn here, so the `received` event can be hashed before the insert: the
    // first event of a case is seq 1 with no previous hash, and nothing else can append to a
    // case that does not exist yet (no read of the chain head, no row lock).
    const caseId = outcome.caseId;
    const event = chainEvent(null, {
      caseId,
      kind: "received",
      actor: plan.eventActor,
      officeCode: office.code,
      isPublic: true,
      at: receivedAt,
      data: receivedData(plan, reference),
    });
    // The clocks run from the day the office received it (a letter's arrival, not its typing).
    const clocks = planIntakeClocks(ctx, {
      realName: report.realName,
      type: report.type,
      officeCode: office.code,
      receivedAt: plan.receivedOn ? new Date(`${plan.receivedOn}T00:00:00+08:00`) : receivedAt,
    });
    const idemRow =
      keyHash && requestHash && scoped
        ? {
            keyHash,
            requestHash,
            responseSealed: boxSecret(
              keyedHash(keys.idempotency, "idempotency-response", scoped),
              JSON.stringify(run.stored(outcome)),
            ),
          }
        : undefined;
    const statement = intakeStatement({
      caseId,
      report,
      sanitized,
      officeCode: office.code,
      reportToCentral: route.reportToCentral,
      trackingHash,
      redactionBox,
      attachmentCount: prepared.length,
      receivedAt,
      receivedOn,
      channel: plan.channel,
      reference,
      nextDueOn: earliestStart(clocks),
      clocks: clocks.start,
      sealed,
      event,
      idem: idemRow,
      // With attachments the number is drawn last in the transaction: the office's counter row
      // stays locked only until the commit, not while the files are written.
      number: prepared.length === 0,
    });
    try {
      // One statement is atomic on its own: no BEGIN/COMMIT unless attachments follow it.
      if (prepared.length === 0) {
        await executePrepared(db, statement.key, statement.build, statement.values);
      } else {
        await db.transaction(async (tx) => {
          await executePrepared(tx, statement.key, statement.build, statement.values);
          await storeAttachments(ctx, tx, caseId, prepared);
          await allocateNumber(tx, {
            caseId,
            officeCode: office.code,
            year: yearOf(shanghaiDate(receivedAt)),
            at: receivedAt,
          });
        });
      }
      // 重复件: the earlier cases about the same person and matter, anywhere in the province.
      await recordRepeatsAfterIntake(ctx, caseId);
      return run.finish(run.stored(outcome));
    } catch (e) {
      // A concurrent request with the same key committed first: answer as it did.
      if (keyHash && isUniqueViolation(e, "idempotency_keys")) {
        const again = await replay();
        if (again) return run.finish(again);
      }
      // 100 random bits collide practically never; a second draw settles it.
      if (attempt === 0 && isUniqueViolation(e, "tracking_hash")) continue;
      throw e;
    }
  }
}

interface IntakeRows {
  caseId: string;
  report: ValidReport;
  sanitized: Sanitized;
  officeCode: string;
  reportToCentral: boolean;
  trackingHash: Uint8Array;
  redactionBox: Uint8Array | null;
  attachmentCount: number;
  receivedAt: Date;
  receivedOn: string;
  channel: Channel;
  reference: string | null;
  nextDueOn: string | null;
  clocks: { rule: string; startedOn: string; dueOn: string }[];
  sealed: Uint8Array;
  event: ReturnType<typeof chainEvent>;
  idem?: { keyHash: Uint8Array; requestHash: Uint8Array; responseSealed: Uint8Array };
  /** Draw the case's 信访件编号 at its office in this statement. */
  number: boolean;
}

/**
 * Case, sealed identity, `received` event, clocks (and the idempotency record) as one statement of
 * data-modifying CTEs. The rows hang off the case CTE (`from c`), so they are written only with
 * it. Timestamps and JSON go as text with casts: drizzle's postgres.js driver turns the driver's
 * date and JSON serializers off. The SQL text is the same for every report (clocks as a JSON
 * array), so it is built once and runs as a prepared statement.
 */
function intakeStatement(r: IntakeRows): {
  key: string;
  build: () => CteStatement<{ id: typeof cases.id }>;
  values: Record<string, unknown>;
} {
  const at = r.receivedAt.toISOString();
  const s = r.report.subject;
  const a = r.report.appeal;
  const values: Record<string, unknown> = {
    id: r.caseId,
    type: r.report.type,
    category: r.report.category,
    realName: r.report.realName,
    title: r.sanitized.title,
    body: r.sanitized.body,
    // Codes from a closed list (no commas): one text parameter, split in SQL.
    identityWarnings: r.sanitized.warnings.join(","),
    redactionBox: r.redactionBox ? bytes(r.redactionBox) : null,
    // The subject fields are reporter-typed too: stored as redacted. All null without a subject.
    subjectName: r.sanitized.subject?.name ?? null,
    subjectUnit: r.sanitized.subject?.unit ?? null,
    subjectPosition: r.sanitized.subject?.position ?? null,
    subjectKey: subjectKey(r.sanitized.subject?.name),
    subjectLevel: s?.managementLevel ?? null,
    subjectDivision: s?.divisionCode ?? null,
    disciplineStaff: s?.isDisciplineStaff ?? false,
    principalLeader: s?.isPrincipalLeader ?? false,
    reportToCentral: r.reportToCentral,
    reporterKind: r.report.reporter?.kind ?? null,
    // 申诉: the decision and its maker redacted like the body (originals sealed); null otherwise.
    appealDecision: r.sanitized.appeal?.decision ?? null,
    appealDecidingBody: r.sanitized.appeal?.decidingBody ?? null,
    appealDecisionDate: a?.decisionDate ?? null,
    appealOffice: a?.officeCode ?? null,
    office: r.officeCode,
    trackingHash: bytes(r.trackingHash),
    attachmentCount: r.attachmentCount,
    nextDueOn: r.nextDueOn,
    at,
    receivedOn: r.receivedOn,
    channel: r.channel,
    reference: r.reference,
    sealed: bytes(r.sealed),
    eventSeq: r.event.seq,
    eventAt: r.event.at.toISOString(),
    eventKind: r.event.kind,
    eventActor: r.event.actor,
    eventOffice: r.event.officeCode,
    eventPublic: r.event.isPublic,
    eventData: JSON.stringify(r.event.data),
    eventHash: bytes(r.event.hash),
    clocks: JSON.stringify(r.clocks.map((c) => ({ rule: c.rule, started_on: c.startedOn, due_on: c.dueOn }))),
  };
  if (r.number) values.year = yearOf(shanghaiDate(r.receivedAt));
  if (r.idem) {
    values.keyHash = bytes(r.idem.keyHash);
    values.requestHash = bytes(r.idem.requestHash);
    values.responseSealed = bytes(r.idem.responseSealed);
  }
  const p = (name: string) => sql.placeholder(name);
  // The SQL text depends on this alone; the key is derived from it.
  const withIdem = r.idem !== undefined;
  const withNumber = r.number;
  const build = () => {
    const c = cte(
      "c",
      sql`insert into cases (id, type, category, real_name, title, body, identity_warnings, redaction_box, subject_name,
        subject_unit, subject_position, subject_level, subject_division_code, subject_is_discipline_staff,
        subject_is_principal_leader, report_to_central, reporter_kind, appeal_decision, appeal_deciding_body,
        appeal_decision_date, appeal_office_code, routed_office_code, office_code,
        tracking_hash, attachment_count, next_due_on, received_at, updated_at, subject_key, channel, received_on,
        external_reference)
      values (${p("id")}::uuid, ${p("type")}, ${p("category")}, ${p("realName")}::boolean, ${p("title")}, ${p("body")},
        string_to_array(${p("identityWarnings")}::text, ',')::text[], ${p("redactionBox")}::bytea,
        ${p("subjectName")}::text, ${p("subjectUnit")}::text, ${p("subjectPosition")}::text, ${p("subjectLevel")}::text,
        ${p("subjectDivision")}::text, ${p("disciplineStaff")}::boolean, ${p("principalLeader")}::boolean,
        ${p("reportToCentral")}::boolean, ${p("reporterKind")}::text, ${p("appealDecision")}::text,
        ${p("appealDecidingBody")}::text, ${p("appealDecisionDate")}::date, ${p("appealOffice")}::text,
        ${p("office")}, ${p("office")}, ${p("trackingHash")}::bytea, ${p("attachmentCount")}::int, ${p("nextDueOn")}::date,
        ${p("at")}::timestamptz, ${p("at")}::timestamptz, ${p("subjectKey")}::text, ${p("channel")}::text,
        ${p("receivedOn")}::date, ${p("reference")}::text)
      returning id, office_code`,
      { id: cases.id },
    );
    const ctes: WithSubquery[] = [
      c,
      cte("s", sql`insert into sealed_identities (case_id, sealed) select id, ${p("sealed")}::bytea from c`),
      cte(
        "e",
        sql`insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select id, ${p("eventSeq")}::int, ${p("eventAt")}::timestamptz, ${p("eventKind")}, ${p("eventActor")},
        ${p("eventOffice")}, ${p("eventPublic")}::boolean, ${p("eventData")}::jsonb, null, ${p("eventHash")}::bytea from c`,
      ),
    ];
    if (withIdem) {
      ctes.push(
        cte(
          "i",
          sql`insert into idempotency_keys (key_hash, request_hash, response_sealed, created_at)
      select ${p("keyHash")}::bytea, ${p("requestHash")}::bytea, ${p("responseSealed")}::bytea, ${p("at")}::timestamptz from c`,
        ),
      );
    }
    ctes.push(
      cte(
        "cl",
        sql`insert into case_clocks (case_id, rule, office_code, started_on, due_on)
      select c.id, k.rule, ${p("office")}, k.started_on::date, k.due_on::date
      from c, jsonb_to_recordset(${p("clocks")}::jsonb) as k(rule text, started_on text, due_on text)`,
      ),
    );
    if (withNumber) ctes.push(...numberCtes("c", { year: "year", at: "at" }));
    return { with: ctes, from: c };
  };
  return { key: `intake:${JSON.stringify({ withIdem, withNumber })}`, build, values };
}

interface Sanitized {
  title: string;
  body: string;
  /** The person reported, as typed by the reporter: redacted like title and body. */
  subject?: { name: string; unit: string; position: string };
  /** 申诉: the decision and who made it, as typed by the reporter: redacted like title and body. */
  appeal?: { decision: string; decidingBody: string };
  /** 可能含身份信息 codes for what still looks like an ID or mobile number after redaction. */
  warnings: string[];
  /** A real-name reporter's patterns (to seal into the redaction box); undefined when anonymous. */
  patterns?: RedactionPatterns;
  /** The patterns applied (empty when anonymous): for any other typed text stored plain. */
  use: RedactionPatterns;
}

/**
 * Redacts the reporter's own identifiers (their or their unit's name, ID number and its 15-digit
 * and fragment forms, mobile or landline, e-mail, the address's most specific part) and any
 * e-mail address from every reporter-typed text stored in a plain column — title, body, the
 * subject's name, unit and position, and an appeal's decision and deciding body — then flags what
 * still looks like an ID or mobile number in any of them: in anonymous reports too.
 */
function sanitize(report: ValidReport): Sanitized {
  const patterns = report.reporter ? redactionPatterns(report.reporter) : undefined;
  const use = patterns ?? { v: 1 as const, patterns: [] };
  const title = redactWith(report.title, use);
  const body = redactWith(report.body, use);
  const subject = report.subject && {
    name: redactWith(report.subject.name, use),
    unit: redactWith(report.subject.unit, use),
    position: redactWith(report.subject.position, use),
  };
  const appeal = report.appeal && {
    decision: redactWith(report.appeal.decision, use),
    decidingBody: redactWith(report.appeal.decidingBody, use),
  };
  const typed = [
    title,
    body,
    ...(subject ? [subject.name, subject.unit, subject.position] : []),
    ...(appeal ? [appeal.decision, appeal.decidingBody] : []),
  ];
  return {
    title,
    body,
    ...(subject ? { subject } : {}),
    ...(appeal ? { appeal } : {}),
    warnings: identityWarnings(...typed),
    ...(patterns ? { patterns } : {}),
    use,
  };
}

/**
 * The `received` event's data: where intake routed the report and why. A report that went one
 * level up says so (oneLevelUp, and the office management authority alone would have picked);
 * at the province it is flagged reportToCentral (报中央纪委国家监委). An appeal names the office
 * whose decision it appeals against. A case registered by staff names its channel, the day it
 * was received and the sender's reference, and lands at the registering office: `routedTo` is that
 * office, `byAuthority` the office the rules would pick (the office's own 转送 decision remains).
 */
function receivedData(plan: IntakePlan, reference: string | null): Record<string, unknown> {
  const { report, route } = plan;
  const online = plan.channel === "online";
  return {
    routedTo: plan.office.code,
    ...(report.subject ? { managementLevel: report.subject.managementLevel } : {}),
    ...(online && route.oneLevelUp
      ? { oneLevelUp: route.oneLevelUp, byAuthority: route.byAuthority.code }
      : {}),
    ...(!online && route.office.code !== plan.office.code ? { byAuthority: route.office.code } : {}),
    ...(route.reportToCentral ? { reportToCentral: true } : {}),
    ...(report.appeal ? { appealOffice: report.appeal.officeCode } : {}),
    ...(online ? {} : { channel: plan.channel, receivedOn: plan.receivedOn }),
    ...(reference ? { reference } : {}),
  };
}
