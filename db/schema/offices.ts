import { index, pgTable, text } from "drizzle-orm/pg-core";
import { OFFICE_LEVELS } from "../../api/domain/workflow";

/** One 纪委监委 office per GB/T 2260 division of the deployment's province. */
export const offices = pgTable(
  "offices",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    divisionName: text("division_name").notNull(),
    /** In front of the office's 信访件编号 (长沙〔2026〕第123号); filled from the division tree at start. */
    shortName: text("short_name").notNull().default(""),
    level: text("level", { enum: OFFICE_LEVELS }).notNull(),
    parentCode: text("parent_code"),
  },
  (t) => [index("offices_parent_idx").on(t.parentCode)],
);
