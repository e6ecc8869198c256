import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { cases } from "../../../db/schema/index";
import type { CaseRow } from "./facts";
import { isUuid } from "./scope";

/** The case row by id; undefined for no such case and for an id that is not a UUID. */
export async function loadCase(db: DbOrTx, id: string): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}
