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
import { cases } from "./cases";
import { caseSupervisions } from "./ledgers";

/**
 * 领导批示 (migration 0011): a 呈批 — the 信访室 puts the case before a leader of `office_code`
 * with a 拟办意见 — and the leader's 批示 on it (text and the date signed); or (`kind`
 * 'supervision') a leader's 督办批示 on a 书记阅批件, which is also a 督办 in case_supervisions.
 * At most one 呈批 of a case awaits its 批示 at an office at a time.
 */
export const caseInstructions = pgTable(
  "case_instructions",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    officeCode: text("office_code").notNull(),
    kind: text("kind", { enum: ["instruction", "supervision"] }).notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }),
    requestedBy: text("requested_by"),
    /** 拟办意见: what the 信访室 proposes. */
    proposal: text("proposal"),
    requestEventSeq: integer("request_event_seq"),
    instructedAt: timestamp("instructed_at", { withTimezone: true }),
    instructedBy: text("instructed_by"),
    /** 批示: the leader's words. */
    instruction: text("instruction"),
    /** The date the leader signed the 批示 (Asia/Shanghai), which may be before it was typed in. */
    signedOn: date("signed_on"),
    instructEventSeq: integer("instruct_event_seq"),
    supervisionId: bigint("supervision_id", { mode: "number" }).references(() => caseSupervisions.id),
  },
  (t) => [
    index("case_instructions_case_idx").on(t.caseId),
    uniqueIndex("case_instructions_pending_idx")
      .on(t.caseId, t.officeCode)
      .where(sql`${t.instructedAt} is null`),
    check(
      "case_instructions_whole",
      sql`(${t.kind} = 'instruction' and ${t.requestedAt} is not null and ${t.proposal} is not null) or (${t.kind} = 'supervision' and ${t.instructedAt} is not null and ${t.supervisionId} is not null)`,
    ),
    check(
      "case_instructions_signed",
      sql`(${t.instructedAt} is null) = (${t.instruction} is null) and (${t.instructedAt} is null) = (${t.signedOn} is null)`,
    ),
  ],
);

/**
 * The 书记阅批件 ledger's own rows (migration 0011): a case marked by hand at an office
 * (`manual`), and the leader's 销号. A case an office's rules mark (api/domain/leaders.ts) needs no
 * row until it is closed.
 */
export const leaderItems = pgTable(
  "leader_items",
  {
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    officeCode: text("office_code").notNull(),
    manual: boolean("manual").notNull(),
    markedAt: timestamp("marked_at", { withTimezone: true }),
    markedBy: text("marked_by"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    closedBy: text("closed_by"),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.officeCode] }),
    index("leader_items_office_idx").on(t.officeCode),
    check("leader_items_marked", sql`${t.manual} = (${t.markedAt} is not null)`),
  ],
);
