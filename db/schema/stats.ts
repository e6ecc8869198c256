import { date, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { offices } from "./offices";

/**
 * 形势分析 (migration 0012): how many cases an office holds, per month received, per (dimension,
 * value), rolled up the office tree — channel, type, category, 被反映人级别, stage, disposition, finding, real name, repeat,
 * and the calendar days to 受理 and to 办结 as histograms. Written only by triggers on cases (in
 * the same transaction as the case's own write, owner's rights); the app roles read it.
 */
export const caseStatsMonthly = pgTable(
  "case_stats_monthly",
  {
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code),
    /**
     * 'subtree': every fact of the cases held by this office or any office below it (a view reads
     * its office's subtree rows only); 'own': the ('all', 'all') count of the office's own cases.
     */
    scope: text("scope", { enum: ["own", "subtree"] }).notNull(),
    /** The first day of the month the cases were received (cases.received_on). */
    month: date("month").notNull(),
    dim: text("dim").notNull(),
    value: text("value").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({ name: "case_stats_monthly_pk", columns: [t.officeCode, t.scope, t.month, t.dim, t.value] }),
  ],
);

/**
 * Changes to case_stats_monthly not folded in yet (migration 0019): the triggers insert here (no
 * row is ever updated, so writers never wait on one another) and qf_case_stats_compact() folds
 * them into the summary. A reader adds both. Same columns as the summary, no key.
 */
export const caseStatsDelta = pgTable(
  "case_stats_delta",
  {
    officeCode: text("office_code").notNull(),
    scope: text("scope", { enum: ["own", "subtree"] }).notNull(),
    month: date("month").notNull(),
    dim: text("dim").notNull(),
    value: text("value").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [index("case_stats_delta_key_idx").on(t.officeCode, t.scope, t.month)],
);
