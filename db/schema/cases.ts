import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { CASE_EVENT_KINDS } from "../../api/domain/case-events";
import { CATEGORY_CODES, REPORT_TYPES, REPORTER_KINDS } from "../../api/domain/categories";
import { CHANNELS } from "../../api/domain/channels";
import { REQUEST_STATUSES } from "../../api/domain/identity-requests";
import { IDENTITY_WARNING_CODES } from "../../api/domain/identity-warnings";
import { MANAGEMENT_LEVELS } from "../../api/domain/routing";
import { PUBLIC_STATUSES } from "../../api/domain/status";
import { DISPOSITIONS, FINDINGS, STAGES } from "../../api/domain/workflow";
import { offices } from "./offices";
import { bytea } from "./types";

/**
 * The sanitized case staff work on. No reporter identity lives here: the reporter's own
 * identifiers are redacted out of title and body at intake, and the originals are sealed in
 * sealed_identities.
 */
export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serial: bigint("serial", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    type: text("type", { enum: REPORT_TYPES }).notNull(),
    category: text("category", { enum: CATEGORY_CODES }).notNull(),
    realName: boolean("real_name").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /**
     * The person reported (被反映人), as typed and redacted like the body. All null when the report
     * names no one (申诉; a 批评建议 may leave it out): check cases_subject_whole (migration 0006).
     */
    subjectName: text("subject_name"),
    subjectUnit: text("subject_unit"),
    subjectPosition: text("subject_position").default(""),
    subjectLevel: text("subject_level", { enum: MANAGEMENT_LEVELS }),
    subjectDivisionCode: text("subject_division_code"),
    /** The person reported is a 纪检监察机关 or its staff: routed one level up (domain/routing.ts). */
    subjectIsDisciplineStaff: boolean("subject_is_discipline_staff").notNull().default(false),
    /** The person reported is the 主要负责人 of a 纪检监察机关: routed one level up. */
    subjectIsPrincipalLeader: boolean("subject_is_principal_leader").notNull().default(false),
    /**
     * 报中央纪委国家监委: a report about a province office's own staff or 主要负责人, which has no
     * office above it in the deployment; the province office keeps it and must report it upward.
     */
    reportToCentral: boolean("report_to_central").notNull().default(false),
    /** Who filed a real-name report: a person or a unit (单位) under its name; null when anonymous. */
    reporterKind: text("reporter_kind", { enum: REPORTER_KINDS }),
    /**
     * 申诉: the decision appealed against and who made it, as typed and redacted of the reporter's
     * own identifiers like the body (the originals are sealed with the identity); the date; and the
     * office that made it (where the appeal is routed). All null for other reports: check
     * cases_appeal_whole.
     */
    appealDecision: text("appeal_decision"),
    appealDecidingBody: text("appeal_deciding_body"),
    appealDecisionDate: date("appeal_decision_date"),
    appealOfficeCode: text("appeal_office_code").references(() => offices.code),
    /** Office computed by intake from management authority; officeCode is where the case is now. */
    routedOfficeCode: text("routed_office_code")
      .notNull()
      .references(() => offices.code),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code),
    department: text("department"),
    stage: text("stage", { enum: STAGES }).notNull().default("received"),
    publicStatus: text("public_status", { enum: PUBLIC_STATUSES }).notNull().default("received"),
    disposition: text("disposition", { enum: DISPOSITIONS }),
    /** Keyed BLAKE2b of the normalized tracking code; the code itself is never stored. */
    trackingHash: bytea("tracking_hash").notNull(),
    mergedInto: uuid("merged_into"),
    assigneeId: uuid("assignee_id"),
    leaseToken: uuid("lease_token"),
    leaseHolderId: uuid("lease_holder_id"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** Next deadline of any running clock, denormalized for queue ordering and overdue lists. */
    nextDueOn: date("next_due_on"),
    attachmentCount: integer("attachment_count").notNull().default(0),
    /**
     * 可能含身份信息: codes of what still looks like an ID or mobile number in the sanitized
     * title/body after redaction (e.g. "id_number", "mobile"), shown to staff as a warning.
     */
    identityWarnings: text("identity_warnings", { enum: IDENTITY_WARNING_CODES })
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * The reporter's own identifiers as redaction patterns, secretbox'ed under a key derived from
     * the tracking code (and the tracking key): only a request that carries the code can open it,
     * to redact a follow-up message. Null for anonymous reports.
     */
    redactionBox: bytea("redaction_box"),
    /** How it arrived (api/domain/channels.ts): this portal, or registered by staff from a letter, a visit … */
    channel: text("channel", { enum: CHANNELS }).notNull().default("online"),
    /**
     * The day the office received it (Asia/Shanghai), from which the clocks run: the day a letter
     * arrived or a visitor came, which staff may register later; for online reports, the day filed.
     */
    receivedOn: date("received_on").notNull().default(sql`((now() at time zone 'Asia/Shanghai')::date)`),
    /** The sender's reference for it (来文文号, 交办文号), as typed by staff; null for online reports. */
    externalReference: text("external_reference"),
    /**
     * 提级审核: the higher office that reviews this case's conclusion (api/domain/leaders.ts). While
     * set, 办结 at the office below is held: the reporter sees 已办结 only once it approves.
     */
    reviewOfficeCode: text("review_office_code").references(() => offices.code),
    /**
     * The person reported as repeats are looked up by (api/domain/repeats.ts subjectKey: the name
     * normalised); null when the report names no one. Indexed with received_at (migration 0010).
     */
    subjectKey: text("subject_key"),
    /**
     * 形势分析 (migration 0012): the day of the first 受理, the latest 办结 (here, or 销号 of an
     * assigned case) and its finding, copied from the trail by a trigger on case_events so the
     * statistics summary (case_stats_monthly) follows the case row alone. Never set by the app.
     */
    registeredOn: date("registered_on"),
    concludedOn: date("concluded_on"),
    finding: text("finding", { enum: FINDINGS }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("cases_tracking_hash_idx").on(t.trackingHash),
    uniqueIndex("cases_serial_idx").on(t.serial),
    index("cases_queue_idx").on(t.officeCode, t.stage),
    // (assignee, stage): a handler's active cases without their finished ones (migration 0015).
    index("cases_assignee_idx").on(t.assigneeId, t.stage),
    // 超期 of active cases in due order, per office and across offices, serial last (migration
    // 0017, keyset pages of list-overdue.ts).
    index("cases_overdue_idx")
      .on(t.officeCode, t.nextDueOn, t.receivedAt, t.serial)
      .where(
        sql`${t.nextDueOn} is not null and ${t.stage} in ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')`,
      ),
    index("cases_overdue_all_idx")
      .on(t.nextDueOn, t.receivedAt, t.serial)
      .where(
        sql`${t.nextDueOn} is not null and ${t.stage} in ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')`,
      ),
    index("cases_merged_into_idx").on(t.mergedInto).where(sql`${t.mergedInto} is not null`),
    index("cases_subject_key_idx").on(t.subjectKey, t.receivedAt).where(sql`${t.subjectKey} is not null`),
    // The register (migration 0009): trigram search over the sanitised text, led by the office
    // (btree_gin) so a search within one office or a few reads only theirs; prefix search for
    // 1–2 character queries, and the keyset orders per office and across offices.
    index("cases_register_text_trgm_idx").using(
      "gin",
      t.officeCode,
      sql`(coalesce(${t.subjectName}, '') || ' ' || coalesce(${t.subjectUnit}, '') || ' ' || ${t.title} || ' ' || ${t.body}) gin_trgm_ops`,
    ),
    index("cases_subject_name_trgm_idx").using("gin", t.officeCode, t.subjectName.op("gin_trgm_ops")),
    index("cases_subject_unit_trgm_idx").using("gin", t.officeCode, t.subjectUnit.op("gin_trgm_ops")),
    index("cases_subject_name_prefix_idx").on(t.subjectName.op("text_pattern_ops")),
    index("cases_subject_unit_prefix_idx").on(t.subjectUnit.op("text_pattern_ops")),
    index("cases_register_received_idx").on(t.officeCode, t.receivedOn, t.serial),
    index("cases_register_received_all_idx").on(t.receivedOn, t.serial),
    // 省管干部信访件月报 (migration 0013): the few cases about 省管干部.
    index("cases_province_level_idx").on(t.receivedOn).where(sql`${t.subjectLevel} = 'province'`),
    index("cases_register_due_all_idx").on(sql`(coalesce(${t.nextDueOn}, '9999-12-31'::date))`, t.serial),
    // 形势分析 (migration 0012): cases still being handled, for the live 超期 count.
    index("cases_stats_overdue_idx")
      .on(t.officeCode, t.receivedOn, t.nextDueOn)
      .where(
        sql`${t.stage} in ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')`,
      ),
    index("cases_register_due_idx").on(
      t.officeCode,
      sql`(coalesce(${t.nextDueOn}, '9999-12-31'::date))`,
      t.serial,
    ),
    check(
      "cases_subject_whole",
      sql`(${t.subjectName} is null and ${t.subjectUnit} is null and ${t.subjectLevel} is null and ${t.subjectDivisionCode} is null) or (${t.subjectName} is not null and ${t.subjectUnit} is not null and ${t.subjectLevel} is not null and ${t.subjectDivisionCode} is not null)`,
    ),
    check(
      "cases_channel_known",
      sql`${t.channel} in ('online', 'letter', 'visit', 'phone', 'hotline_12388', 'assigned')`,
    ),
    check(
      "cases_appeal_whole",
      sql`(${t.appealDecision} is null) = (${t.appealOfficeCode} is null) and (${t.appealDecidingBody} is null) = (${t.appealOfficeCode} is null) and (${t.appealDecisionDate} is null) = (${t.appealOfficeCode} is null)`,
    ),
  ],
);

/** crypto_box_seal(JSON{reporter?, title, body}) to the vault public key. Only custodians open it. */
export const sealedIdentities = pgTable("sealed_identities", {
  caseId: uuid("case_id")
    .primaryKey()
    .references(() => cases.id),
  sealed: bytea("sealed").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * 办理轨迹: append-only, hash-chained per case. The database refuses UPDATE and DELETE
 * (trigger in migration 0001). hash = BLAKE2b-256(prev_hash || canonical JSON of the event).
 */
export const caseEvents = pgTable(
  "case_events",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    seq: integer("seq").notNull(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
    kind: text("kind", { enum: CASE_EVENT_KINDS }).notNull(),
    actor: text("actor").notNull(),
    officeCode: text("office_code").notNull(),
    isPublic: boolean("is_public").notNull().default(false),
    data: jsonb("data").notNull().default(sql`'{}'::jsonb`),
    prevHash: bytea("prev_hash"),
    hash: bytea("hash").notNull(),
  },
  (t) => [
    uniqueIndex("case_events_case_seq_idx").on(t.caseId, t.seq),
    // An office's events of a month: the 对账's sends and trail heads (migration 0013).
    index("case_events_office_at_idx").on(t.officeCode, t.at),
    // The last 督办 of each case of the overdue list (migration 0015).
    index("case_events_supervised_idx").on(t.caseId, t.seq).where(sql`${t.kind} = 'supervised'`),
  ],
);

/** Deadlines (clocks) per case; rules live in api/domain/clock-rules.ts as data. */
export const caseClocks = pgTable(
  "case_clocks",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    rule: text("rule").notNull(),
    officeCode: text("office_code").notNull(),
    startedOn: date("started_on").notNull(),
    dueOn: date("due_on").notNull(),
    stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  },
  (t) => [index("case_clocks_case_idx").on(t.caseId), index("case_clocks_due_idx").on(t.officeCode, t.dueOn)],
);

/** Messages between the office and the reporter, shown on /track and in the case. */
export const caseMessages = pgTable(
  "case_messages",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    sender: text("sender", { enum: ["reporter", "office"] }).notNull(),
    staffId: uuid("staff_id"),
    /** For reporter messages: redacted like the case body. */
    body: text("body").notNull(),
    /** Reporter messages: the text as written, sealed to the vault (custodians only). */
    originalSealed: bytea("original_sealed"),
    identityWarnings: text("identity_warnings", { enum: IDENTITY_WARNING_CODES })
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Reporter messages (补充材料): unread until a staff member of the holding office marks them read. */
    readAt: timestamp("read_at", { withTimezone: true }),
    readBy: uuid("read_by"),
  },
  (t) => [
    index("case_messages_case_idx").on(t.caseId),
    index("case_messages_unread_idx")
      .on(t.caseId)
      .where(sql`${t.sender} = 'reporter' and ${t.readAt} is null`),
  ],
);

/**
 * Attachments, encrypted at rest with secretstream under a per-file data key. The cleaned copy's
 * data key is wrapped under the server's attachment key; the original (with its metadata) is
 * sealed to the vault like the identity.
 */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    position: integer("position").notNull(),
    /** Always `附件N.ext` (N = position + 1, ext from the detected type): never reporter-typed. */
    fileName: text("file_name").notNull(),
    /** The file name as uploaded, crypto_box_seal'ed to the vault like the original file. */
    originalNameSealed: bytea("original_name_sealed"),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    cleanKeyWrapped: bytea("clean_key_wrapped").notNull(),
    cleanCipher: bytea("clean_cipher").notNull(),
    originalKeySealed: bytea("original_key_sealed").notNull(),
    originalCipher: bytea("original_cipher").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("attachments_case_pos_idx").on(t.caseId, t.position)],
);

/**
 * A retried submission with the same Idempotency-Key returns the first answer, within the window
 * (config IDEMPOTENCY_HOURS); then the row is purged. No column links a record to its case: the
 * answer is sealed under a key derived from the Idempotency-Key itself.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    keyHash: bytea("key_hash").primaryKey(),
    requestHash: bytea("request_hash").notNull(),
    /** The first answer, secretbox'ed under a key derived from the Idempotency-Key itself. */
    responseSealed: bytea("response_sealed").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idempotency_created_idx").on(t.createdAt)],
);

/**
 * Who did what outside a case's trail (logins, unseals, downloads, key changes). Append-only and
 * one global hash chain (migration 0003): written only through api/services/audit/append.ts,
 * hash = BLAKE2b-256(prev_hash || canonical JSON of the row). seq and hash are null only on rows
 * written before 0003 until the migrate step has chained them; the NOT VALID check refuses any
 * new row without them.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    caseId: uuid("case_id"),
    reason: text("reason"),
    data: jsonb("data").notNull().default(sql`'{}'::jsonb`),
    seq: bigint("seq", { mode: "number" }),
    prevHash: bytea("prev_hash"),
    hash: bytea("hash"),
  },
  (t) => [
    index("audit_case_idx").on(t.caseId),
    uniqueIndex("audit_log_seq_idx").on(t.seq),
    index("audit_log_unchained_idx").on(t.id).where(sql`${t.hash} is null`),
    check("audit_log_chained", sql`${t.seq} is not null and ${t.hash} is not null`),
  ],
);

export const rateLimitKeys = pgTable(
  "rate_limit_hits",
  {
    key: bytea("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    hits: integer("hits").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const usedCaptchas = pgTable("used_captchas", {
  challengeHash: bytea("challenge_hash").primaryKey(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});

/**
 * Dual control for a reporter's contact details (DESIGN: a handler requests with a purpose, a
 * custodian approves or denies with a reason; only the requester then sees them, for a limited
 * time). The details are kept only in grant_cipher, encrypted under a key derived from the staff
 * host's secret and the request id, and erased (set to null) when the grant expires.
 */
export const identityRequests = pgTable(
  "identity_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    officeCode: text("office_code").notNull(),
    requesterId: uuid("requester_id").notNull(),
    purpose: text("purpose").notNull(),
    status: text("status", { enum: REQUEST_STATUSES }).notNull().default("pending"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    deciderId: uuid("decider_id"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionReason: text("decision_reason"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    grantCipher: bytea("grant_cipher"),
  },
  (t) => [
    index("identity_requests_case_idx").on(t.caseId),
    index("identity_requests_status_idx").on(t.status, t.requestedAt),
  ],
);

/**
 * Per-username login back-off (not a lockout an attacker could trigger): the key is a keyed hash
 * of the normalised username, so unknown and known usernames are treated alike.
 */
export const loginBackoff = pgTable("login_backoff", {
  key: bytea("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  blockedUntil: timestamp("blocked_until", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
