import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ROLES } from "../../api/context";
import { offices } from "./offices";
import { bytea } from "./types";

export const staff = pgTable("staff", {
  id: uuid("id").primaryKey().defaultRandom(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull().default(""),
  officeCode: text("office_code")
    .notNull()
    .references(() => offices.code),
  roles: text("roles", { enum: ROLES }).array().notNull().default(sql`'{}'::text[]`),
  /** libsodium crypto_pwhash_str (Argon2id). */
  passwordHash: text("password_hash").notNull(),
  /** TOTP secret, secretbox'ed under the server's secrets key. */
  totpSecretEnc: bytea("totp_secret_enc"),
  totpEnabled: boolean("totp_enabled").notNull().default(false),
  lastTotpStep: integer("last_totp_step"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Only a BLAKE2b hash of the 256-bit session token is stored. */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    tokenHash: bytea("token_hash").primaryKey(),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staff.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("staff_sessions_staff_idx").on(t.staffId)],
);
