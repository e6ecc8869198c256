import { date, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { offices } from "./offices";

/**
 * The queue overview's counts (migration 0018): how many active cases an office holds, per stage
 * and per deadline (cases.next_due_on; 'infinity' for none). Only active stages have rows, and a
 * row that falls to 0 is deleted. Written only by triggers on cases (in the same transaction as
 * the case's own write, owner's rights); the app roles read it.
 */
export const caseQueueCounts = pgTable(
  "case_queue_counts",
  {
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code),
    stage: text("stage").notNull(),
    dueOn: date("due_on").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ name: "case_queue_counts_pk", columns: [t.officeCode, t.stage, t.dueOn] })],
);

/**
 * One row per case whose lease columns are set, at the case's office (migration 0018): where the
 * queue overview looks for the live leases, which it then checks on the case rows. Written only by
 * triggers on cases; a claim stays a HOT update of cases.
 */
export const caseLeaseMarks = pgTable(
  "case_lease_marks",
  {
    caseId: uuid("case_id").primaryKey(),
    officeCode: text("office_code").notNull(),
  },
  (t) => [index("case_lease_marks_office_idx").on(t.officeCode, t.caseId)],
);

/**
 * Changes to case_queue_counts not folded in yet (migration 0018): the triggers insert here (two
 * writers of one office never wait on each other) and qf_case_queue_compact() folds them in. The
 * overview adds both. No key.
 */
export const caseQueueDelta = pgTable(
  "case_queue_delta",
  {
    officeCode: text("office_code").notNull(),
    stage: text("stage").notNull(),
    dueOn: date("due_on").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("case_queue_delta_office_idx").on(t.officeCode)],
);
