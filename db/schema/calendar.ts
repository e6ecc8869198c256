import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { DAY_KINDS, YEAR_STATUSES } from "../../api/domain/calendar";

/**
 * The working-day calendar's years: a row per year whose State Council notice is loaded
 * (official). A year without a row is provisional (statutory holidays only, derived in
 * api/domain/calendar.ts). Written at start (chinese-days' years) and by `admin calendar load`.
 */
export const calendarYears = pgTable(
  "calendar_years",
  {
    year: integer("year").primaryKey(),
    status: text("status", { enum: YEAR_STATUSES }).notNull(),
    /** The notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知 国办发明电〔2026〕N号. */
    source: text("source").notNull(),
    loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("calendar_years_status_check", sql`${t.status} in ('official', 'provisional')`)],
);

/**
 * The days a notice names: holidays (days off) and 调休 make-up workdays (weekend days worked).
 * `year` is the notice's year: a 元旦 bridge in late December belongs to the next year's notice.
 */
export const calendarDays = pgTable(
  "calendar_days",
  {
    day: date("day").primaryKey(),
    year: integer("year")
      .notNull()
      .references(() => calendarYears.year),
    kind: text("kind", { enum: DAY_KINDS }).notNull(),
    name: text("name").notNull(),
  },
  (t) => [
    index("calendar_days_year_idx").on(t.year),
    check("calendar_days_kind_check", sql`${t.kind} in ('holiday', 'workday')`),
  ],
);
