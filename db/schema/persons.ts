import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { cases } from "./cases";
import { offices } from "./offices";
import { staff } from "./staff";
import { bytea } from "./types";

/**
 * A person reported (被反映人) as staff confirmed them (migration 0014): the name and unit as first
 * recorded, the name's key (api/domain/repeats.ts subjectKey) and, when known, a keyed BLAKE2b hash
 * of their 身份证号 (keys.personIds; the number itself is never stored). Cases are linked to it in
 * person_links, so a five-year history (services/persons/history.ts) does not depend on spelling.
 */
export const persons = pgTable(
  "persons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    unit: text("unit").notNull(),
    nameKey: text("name_key").notNull(),
    idHash: bytea("id_hash"),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("persons_name_key_idx").on(t.nameKey),
    uniqueIndex("persons_id_hash_idx").on(t.idHash).where(sql`${t.idHash} is not null`),
    check("persons_id_hash_length", sql`${t.idHash} is null or octet_length(${t.idHash}) = 32`),
  ],
);

/**
 * A case's 被反映人 confirmed by a staff member to be a person: one live link per case; an unlink
 * dates the row (unlinked_at/by) and keeps it, so who said what stays readable.
 */
export const personLinks = pgTable(
  "person_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => persons.id),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    linkedBy: uuid("linked_by")
      .notNull()
      .references(() => staff.id),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull(),
    unlinkedBy: uuid("unlinked_by").references(() => staff.id),
    unlinkedAt: timestamp("unlinked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("person_links_live_case_idx").on(t.caseId).where(sql`${t.unlinkedAt} is null`),
    index("person_links_person_idx").on(t.personId).where(sql`${t.unlinkedAt} is null`),
    check("person_links_unlinked_whole", sql`(${t.unlinkedBy} is null) = (${t.unlinkedAt} is null)`),
  ],
);

/**
 * One person-history search (党风廉政意见回复): who asked, for what, on whose request, what was
 * searched (name and unit as typed, numbers that look like an ID or phone masked; whether a
 * 身份证号 was given, never the number), and which cases it disclosed: `history` (the person's,
 * printed in the 回复意见 draft) and `possible` (the same name elsewhere, for staff to confirm).
 */
export const personHistoryRequests = pgTable(
  "person_history_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staff.id),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code),
    at: timestamp("at", { withTimezone: true }).notNull(),
    purpose: text("purpose").notNull(),
    requester: text("requester").notNull(),
    reference: text("reference"),
    name: text("name").notNull(),
    unit: text("unit").notNull(),
    idGiven: boolean("id_given").notNull(),
    windowFrom: date("window_from").notNull(),
    personIds: uuid("person_ids").array().notNull().default(sql`'{}'::uuid[]`),
    history: uuid("history").array().notNull().default(sql`'{}'::uuid[]`),
    possible: uuid("possible").array().notNull().default(sql`'{}'::uuid[]`),
    /** More cases bore the name than one search reads (HISTORY_MAX_CASES): the answer says so. */
    truncated: boolean("truncated").notNull().default(false),
  },
  (t) => [index("person_history_requests_staff_idx").on(t.staffId, t.at)],
);
