import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { offices } from "../../db/schema/index";
import type { OfficeDirectory } from "../domain/divisions";

/** Makes the offices table match the division tree (idempotent; names may change with data). */
export async function seedOffices(db: Db, dir: OfficeDirectory): Promise<void> {
  const rows = dir.all().map((o) => ({
    code: o.code,
    name: o.name,
    divisionName: o.divisionName,
    level: o.level,
    parentCode: o.parentCode,
    shortName: o.shortName,
  }));
  await db
    .insert(offices)
    .values(rows)
    .onConflictDoUpdate({
      target: offices.code,
      set: {
        name: sql`excluded.name`,
        divisionName: sql`excluded.division_name`,
        level: sql`excluded.level`,
        parentCode: sql`excluded.parent_code`,
        shortName: sql`excluded.short_name`,
      },
    });
}
