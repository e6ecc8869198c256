import { pgTable, text } from "drizzle-orm/pg-core";

/**
 * The PostgreSQL roles `admin db roles` set up: purpose `runtime` (the staff/all app) and `public`
 * (APP_ROLE=public). Only the owner reads it: `admin migrate` re-applies their grants (db/roles.ts).
 */
export const dbRoles = pgTable("db_roles", {
  purpose: text("purpose").primaryKey(),
  roleName: text("role_name").notNull(),
});
