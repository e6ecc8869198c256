import { type DbHandle, migrateDb, openDb, pendingMigrations } from "../../db/client";
import { reapplyRecordedGrants } from "../../db/roles";
import type { Config } from "../config";
import type { OfficeDirectory } from "../domain/divisions";
import { chainLegacyAuditRows } from "../services/audit/append";
import { ensureBuiltInYears } from "../services/calendar/store";
import { seedOffices } from "./offices";

export interface MigrateResult {
  /** Audit rows from before migration 0003 given their place in the chain now. */
  auditRowsChained: number;
  /** App roles whose grants were re-applied. */
  roles: string[];
}

/**
 * Everything that changes the schema or reference data, as the owner: committed migrations, the
 * office tree, chaining pre-0003 audit rows, and re-applying the app roles' grants (a new table
 * gets its grants here). Idempotent.
 */
export async function migrateAll(handle: DbHandle, offices: OfficeDirectory): Promise<MigrateResult> {
  await migrateDb(handle);
  await seedOffices(handle.db, offices);
  // The official years chinese-days covers (docs/calendar.md), stored once, by the owner.
  await ensureBuiltInYears(handle.db);
  const auditRowsChained = await chainLegacyAuditRows(handle.db);
  const roles = handle.kind === "postgres" ? await reapplyRecordedGrants(handle.db) : [];
  return { auditRowsChained, roles };
}

export class NotMigrated extends Error {}

/**
 * At start: with MIGRATE=auto, migrate (as DATABASE_OWNER_URL on its own short connection when it
 * is set, else on the app's own handle: today's behaviour, and the only one PGlite has); with
 * MIGRATE=off, only check that nothing is pending.
 */
export async function migrateAtStart(
  config: Config,
  handle: DbHandle,
  offices: OfficeDirectory,
): Promise<MigrateResult | undefined> {
  if (config.migrate === "off") {
    const pending = await pendingMigrations(handle);
    if (pending > 0) {
      throw new NotMigrated(
        `the database is ${pending} migration(s) behind and MIGRATE=off: run \`npm run admin -- migrate\` as the owner first`,
      );
    }
    return undefined;
  }
  if (handle.kind === "postgres" && config.databaseOwnerUrl) {
    const owner = await openDb({ url: config.databaseOwnerUrl, max: 1 });
    try {
      return await migrateAll(owner, offices);
    } finally {
      await owner.close();
    }
  }
  return migrateAll(handle, offices);
}
