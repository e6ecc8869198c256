import { sql } from "drizzle-orm";
import { check, index, pgTable, real, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { cases } from "./cases";

/**
 * Likely repeats (重复件, migration 0010): `caseId` is the case they were found for (at its intake or
 * registration), `otherId` the case it looks like, one row a pair. Found by the same person
 * (normalised name and unit) and the matter's similarity (api/domain/repeats.ts). The row's id is
 * the handle a merge or keep names when the actor may not see the other case.
 */
export const caseRepeats = pgTable(
  "case_repeats",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    otherId: uuid("other_id")
      .notNull()
      .references(() => cases.id),
    similarity: real("similarity").notNull(),
    foundAt: timestamp("found_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One row a pair, whichever of the two it was found for.
    uniqueIndex("case_repeats_pair_idx").on(
      sql`least(${t.caseId}, ${t.otherId})`,
      sql`greatest(${t.caseId}, ${t.otherId})`,
    ),
    index("case_repeats_case_idx").on(t.caseId),
    index("case_repeats_other_idx").on(t.otherId),
    check("case_repeats_not_self", sql`${t.caseId} <> ${t.otherId}`),
    check("case_repeats_similarity_range", sql`${t.similarity} >= 0 and ${t.similarity} <= 1`),
  ],
);
