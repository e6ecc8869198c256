import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { SUPERVISION_METHODS, TRANSFER_KINDS } from "../../api/domain/ledgers";
import { cases } from "./cases";
import { offices } from "./offices";

/**
 * 信访件编号: one counter per office and year (migration 0005). Bumped in the same transaction as
 * the arrival it numbers, so concurrent arrivals queue on the row: no gap, no duplicate. A trigger
 * lets it start only at 1 and step only by one.
 */
export const caseNumberCounters = pgTable(
  "case_number_counters",
  {
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code),
    year: integer("year").notNull(),
    lastSeq: integer("last_seq").notNull(),
  },
  (t) => [primaryKey({ columns: [t.officeCode, t.year] })],
);

/**
 * A case's number at each office it arrived at; formatted for display with the office's short
 * name and CASE_NUMBER_PATTERN (api/domain/case-number.ts). Append-only (trigger in 0005).
 */
export const caseNumbers = pgTable(
  "case_numbers",
  {
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    officeCode: text("office_code").notNull(),
    year: integer("year").notNull(),
    seq: integer("seq").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull(),
    /**
     * The case's subject level, written by a trigger from `cases` when the number is given
     * (0020): the 书记阅批件 ledger's rules pick an office's numbered cases by it.
     */
    subjectLevel: text("subject_level"),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.officeCode] }),
    uniqueIndex("case_numbers_office_year_seq_idx").on(t.officeCode, t.year, t.seq),
    index("case_numbers_office_level_idx").on(t.officeCode, t.subjectLevel),
  ],
);

/**
 * The sending office's 转送/交办 ledger: one row per 转送, 交办 or 报送, with the receiver's
 * 签收 (first claim), 受理 (register) and the step that closed it there.
 */
export const caseTransfers = pgTable(
  "case_transfers",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    kind: text("kind", { enum: TRANSFER_KINDS }).notNull(),
    /** The seq of the routing event on the case's trail. */
    eventSeq: integer("event_seq").notNull(),
    fromOffice: text("from_office").notNull(),
    toOffice: text("to_office").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    sentBy: text("sent_by").notNull(),
    /** 签收 and 受理 are due by this Asia/Shanghai date. */
    dueOn: date("due_on").notNull(),
    /** 交办: the result report is due by this date. */
    reportDueOn: date("report_due_on"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    registeredAt: timestamp("registered_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** The receiver's step that closed the item: declined, returned, forwarded, …, concluded. */
    closedKind: text("closed_kind"),
  },
  (t) => [
    index("case_transfers_from_idx").on(t.fromOffice, t.sentAt),
    index("case_transfers_open_idx").on(t.caseId).where(sql`${t.closedAt} is null`),
    // The ledger's overdue run and ?open=1, newest first (migration 0017).
    index("case_transfers_open_from_idx").on(t.fromOffice, t.sentAt, t.id).where(sql`${t.closedAt} is null`),
    check("case_transfers_kind_check", sql`${t.kind} in ('forwarded', 'assigned', 'escalated')`),
  ],
);

/** 督办 and the supervised office's reply (pending on both sides until replied_at is set). */
export const caseSupervisions = pgTable(
  "case_supervisions",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    eventSeq: integer("event_seq").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    byOffice: text("by_office").notNull(),
    byActor: text("by_actor").notNull(),
    toOffice: text("to_office").notNull(),
    /** Inside one office: the 承办部门 the 信访室 pressed (the case's department then). */
    department: text("department"),
    withinOffice: boolean("within_office").notNull(),
    method: text("method", { enum: SUPERVISION_METHODS }).notNull(),
    note: text("note"),
    repliedAt: timestamp("replied_at", { withTimezone: true }),
    reply: text("reply"),
    repliedBy: text("replied_by"),
    replyEventSeq: integer("reply_event_seq"),
  },
  (t) => [
    index("case_supervisions_case_idx").on(t.caseId),
    index("case_supervisions_to_idx").on(t.toOffice, t.at),
    index("case_supervisions_by_idx").on(t.byOffice, t.at),
    // The 督办 lists' order: pending first, newest, id (migration 0017).
    index("case_supervisions_to_list_idx").on(t.toOffice, sql`(${t.repliedAt} is null)`, t.at, t.id),
    index("case_supervisions_by_list_idx").on(t.byOffice, sql`(${t.repliedAt} is null)`, t.at, t.id),
    check("case_supervisions_method_check", sql`${t.method} in ('phone', 'letter', 'onsite')`),
  ],
);
