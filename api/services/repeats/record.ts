import { and, desc, eq, gte, isNull, lte, ne } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseRepeats, cases } from "../../../db/schema/index";
import type { Ctx, Deps } from "../../context";
import type { OfficeDirectory } from "../../domain/divisions";
import {
  prepareReport,
  REPEAT_CANDIDATES,
  REPEAT_WINDOW_YEARS,
  type RepeatSubject,
  scorePrepared,
  subjectKey,
  UnitReader,
} from "../../domain/repeats";

export interface FoundRepeat {
  otherId: string;
  similarity: number;
}

const readers = new WeakMap<OfficeDirectory, UnitReader>();

/** The unit reader of the deployment's province (built once per office directory). */
export function unitReaderOf(offices: OfficeDirectory): UnitReader {
  let r = readers.get(offices);
  if (!r) {
    r = new UnitReader(offices.divisions);
    readers.set(offices, r);
  }
  return r;
}

const subjectOf = (row: {
  title: string;
  body: string;
  subjectName: string | null;
  subjectUnit: string | null;
  subjectDivisionCode: string | null;
}): RepeatSubject => ({
  title: row.title,
  body: row.body,
  name: row.subjectName,
  unit: row.subjectUnit,
  division: row.subjectDivisionCode,
});

/**
 * The earlier (and later) cases about the same name within five years of `receivedAt`, the most
 * recent first: one range scan of cases_subject_key_idx (subject_key, received_at).
 */
export function candidatesQuery(db: DbOrTx, key: string, caseId: string, receivedAt: Date) {
  const years = (n: number) => {
    const d = new Date(receivedAt);
    d.setUTCFullYear(d.getUTCFullYear() + n);
    return d;
  };
  return db
    .select({
      id: cases.id,
      title: cases.title,
      body: cases.body,
      subjectName: cases.subjectName,
      subjectUnit: cases.subjectUnit,
      subjectDivisionCode: cases.subjectDivisionCode,
    })
    .from(cases)
    .where(
      and(
        eq(cases.subjectKey, key),
        ne(cases.id, caseId),
        gte(cases.receivedAt, years(-REPEAT_WINDOW_YEARS)),
        lte(cases.receivedAt, years(REPEAT_WINDOW_YEARS)),
      ),
    )
    .orderBy(desc(cases.receivedAt))
    .limit(REPEAT_CANDIDATES);
}

/**
 * Finds the likely repeats of case `caseId` and records them (case_repeats): the cases of every
 * office of the province received within five years of it whose person reported has the same
 * stored key (through the index cases_subject_key_idx, the most recent REPEAT_CANDIDATES), scored
 * by api/domain/repeats.ts. Only sanitised columns are read: nothing of the sealed identity. A pair
 * already recorded (either way round) is left as it is. Returns what it found.
 *
 * Intake calls it right after the case is stored; staff registration (登记 of a letter, a visit, a
 * call) should call it after its insert too. A case stored without a key (before migration 0010,
 * or by a path that did not set it) is keyed here, which needs the runtime role (the public role
 * cannot update cases).
 */
export async function recordRepeats(
  db: DbOrTx,
  deps: Pick<Deps, "offices">,
  caseId: string,
  foundAt: Date,
): Promise<FoundRepeat[]> {
  const [row] = await db
    .select({
      id: cases.id,
      title: cases.title,
      body: cases.body,
      subjectName: cases.subjectName,
      subjectUnit: cases.subjectUnit,
      subjectDivisionCode: cases.subjectDivisionCode,
      subjectKey: cases.subjectKey,
      receivedAt: cases.receivedAt,
    })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!row) return [];
  const key = row.subjectKey ?? subjectKey(row.subjectName);
  if (!key) return [];
  if (row.subjectKey === null) {
    await db
      .update(cases)
      .set({ subjectKey: key })
      .where(and(eq(cases.id, row.id), isNull(cases.subjectKey)));
  }

  const candidates = await candidatesQuery(db, key, row.id, row.receivedAt);
  if (candidates.length === 0) return [];

  const units = unitReaderOf(deps.offices);
  const fresh = prepareReport(subjectOf(row), units);
  const found: FoundRepeat[] = [];
  for (const c of candidates) {
    // The unit first: only the same person's reports are worth reading.
    if (
      !c.subjectUnit ||
      !fresh.unit ||
      !units.sameUnit(fresh.unit, units.parse(c.subjectUnit, c.subjectDivisionCode))
    )
      continue;
    const score = scorePrepared(fresh, prepareReport(subjectOf(c), units), units);
    if (score.repeat) found.push({ otherId: c.id, similarity: score.similarity });
  }
  if (found.length > 0) {
    await db
      .insert(caseRepeats)
      .values(found.map((f) => ({ caseId: row.id, otherId: f.otherId, similarity: f.similarity, foundAt })))
      .onConflictDoNothing();
  }
  return found;
}

/**
 * recordRepeats after intake stored a case: the reporter's receipt never waits on a failure here
 * (their report is stored); it is logged by name only, and the case shows no repeats found.
 */
export async function recordRepeatsAfterIntake(ctx: Ctx, caseId: string): Promise<void> {
  try {
    await recordRepeats(ctx.deps.db, ctx.deps, caseId, ctx.deps.now());
  } catch (e) {
    ctx.deps.log.warn({ err: { name: (e as Error)?.name } }, "repeat detection failed");
  }
}
