import { and, asc, eq, inArray, sql, type WithSubquery } from "drizzle-orm";
import { cte, type DbOrTx, executePrepared } from "../../../db/client";
import { caseNumbers, cases } from "../../../db/schema/index";
import type { Config } from "../../config";
import type { VerbArgs } from "../../context";
import { formatCaseNumber, parseCaseNumber } from "../../domain/case-number";
import type { OfficeDirectory } from "../../domain/divisions";
import { isUuid, relationTo } from "../cases/scope";

/** What formatting a number needs: the office directory (short names) and the pattern. */
export interface Numbering {
  offices: OfficeDirectory;
  config: Pick<Config, "caseNumberPattern">;
}

/** A case's number at one office, as stored. */
export interface NumberRef {
  officeCode: string;
  year: number;
  seq: number;
}

/** The number as staff read it (长沙〔2026〕第123号). */
export function numberLabel(n: Numbering, ref: NumberRef): string {
  const short = n.offices.get(ref.officeCode)?.shortName ?? ref.officeCode;
  return formatCaseNumber(n.config.caseNumberPattern, { office: short, year: ref.year, seq: ref.seq });
}

/** The Asia/Shanghai year of an Asia/Shanghai date (YYYY-MM-DD). */
export const yearOf = (shanghaiDate: string) => Number(shanghaiDate.slice(0, 4));

/**
 * The number of a case at the office holding it, as two columns for a select or RETURNING over
 * `cases`: null when the case has none there (never, once migration 0005 numbered the old ones).
 */
// Qualified by hand: in a single-table select drizzle writes a column unqualified, and inside
// the subquery "office_code" would then be case_numbers' own.
const CASE_ID = sql.raw(`"cases"."id"`);
const CASE_OFFICE = sql.raw(`"cases"."office_code"`);
export const currentNumberColumns = {
  numberYear: sql<number | null>`(select n.year from case_numbers n where n.case_id = ${CASE_ID}
    and n.office_code = ${CASE_OFFICE})`,
  numberSeq: sql<number | null>`(select n.seq from case_numbers n where n.case_id = ${CASE_ID}
    and n.office_code = ${CASE_OFFICE})`,
};

/** The formatted number of a row selected with currentNumberColumns (or null). */
export function currentLabel(
  n: Numbering,
  row: { officeCode: string; numberYear?: number | null; numberSeq?: number | null },
): string | null {
  if (row.numberYear == null || row.numberSeq == null) return null;
  return numberLabel(n, { officeCode: row.officeCode, year: row.numberYear, seq: row.numberSeq });
}

/** Every number a case has had, in the order it got them (its intake office first). */
export async function numbersOf(db: DbOrTx, caseId: string): Promise<NumberRef[]> {
  return db
    .select({ officeCode: caseNumbers.officeCode, year: caseNumbers.year, seq: caseNumbers.seq })
    .from(caseNumbers)
    .where(eq(caseNumbers.caseId, caseId))
    .orderBy(asc(caseNumbers.assignedAt), asc(caseNumbers.officeCode));
}

/** The numbers of many cases at given offices: `${caseId}:${officeCode}` → label. */
export async function labelsFor(
  db: DbOrTx,
  n: Numbering,
  pairs: { caseId: string; officeCode: string }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (pairs.length === 0) return out;
  const ids = [...new Set(pairs.map((p) => p.caseId))];
  const wanted = new Set(pairs.map((p) => `${p.caseId}:${p.officeCode}`));
  const rows = await db
    .select({
      caseId: caseNumbers.caseId,
      officeCode: caseNumbers.officeCode,
      year: caseNumbers.year,
      seq: caseNumbers.seq,
    })
    .from(caseNumbers)
    .where(inArray(caseNumbers.caseId, ids));
  for (const r of rows) {
    const key = `${r.caseId}:${r.officeCode}`;
    if (wanted.has(key)) out.set(key, numberLabel(n, r));
  }
  return out;
}

/** The case an office numbered so: what staff type (长沙〔2026〕第12号) back to its id. */
export async function caseByNumber(
  db: DbOrTx,
  n: Numbering,
  officeCode: string,
  text: string,
): Promise<string | undefined> {
  const short = n.offices.get(officeCode)?.shortName ?? officeCode;
  const parsed = parseCaseNumber(n.config.caseNumberPattern, short, text);
  if (!parsed) return undefined;
  const [row] = await db
    .select({ caseId: caseNumbers.caseId })
    .from(caseNumbers)
    .where(
      and(
        eq(caseNumbers.officeCode, officeCode),
        eq(caseNumbers.year, parsed.year),
        eq(caseNumbers.seq, parsed.seq),
      ),
    )
    .limit(1);
  return row?.caseId;
}

/**
 * Data-modifying CTEs that give the case in CTE `from` (columns id and office_code) the next
 * number of its office for the year in placeholder `year`, unless it already has one there (a
 * case coming back keeps its number). The counter row is taken with INSERT … ON CONFLICT DO
 * UPDATE: concurrent statements for the same office and year wait on its row lock, and the
 * bump rolls back with anything else in the transaction, so numbers have no gap and no
 * duplicate. Rows hang off `from`, so a statement whose fenced update matched nothing numbers
 * nothing.
 */
export function numberCtes(from: string, opts: { year: string; at: string }): WithSubquery[] {
  const src = sql.raw(from);
  const p = (name: string) => sql.placeholder(name);
  return [
    cte(
      "number_counter",
      sql`insert into case_number_counters (office_code, year, last_seq)
      select ${src}.office_code, ${p(opts.year)}::int, 1 from ${src}
      where not exists (select 1 from case_numbers x where x.case_id = ${src}.id and x.office_code = ${src}.office_code)
      on conflict (office_code, year) do update set last_seq = case_number_counters.last_seq + 1
      returning office_code, year, last_seq`,
    ),
    cte(
      "number_row",
      sql`insert into case_numbers (case_id, office_code, year, seq, assigned_at)
      select ${src}.id, k.office_code, k.year, k.last_seq, ${p(opts.at)}::timestamptz
      from ${src} join number_counter k on k.office_code = ${src}.office_code`,
    ),
  ];
}

/**
 * Numbers one case at an office as a statement of its own, inside the caller's transaction
 * (intake with attachments: last, so the counter's row lock is held only until the commit).
 */
export async function allocateNumber(
  tx: DbOrTx,
  c: { caseId: string; officeCode: string; year: number; at: Date },
): Promise<void> {
  const p = (name: string) => sql.placeholder(name);
  await executePrepared(
    tx,
    "number:allocate",
    () => {
      const src = cte("src", sql`select ${p("id")}::uuid as id, ${p("office")}::text as office_code`, {
        id: cases.id,
      });
      return { with: [src, ...numberCtes("src", { year: "year", at: "at" })], from: src };
    },
    { id: c.caseId, office: c.officeCode, year: c.year, at: c.at.toISOString() },
  );
}

/**
 * The 信访件编号 of a case at the office holding it, for a page that names the case (the
 * custodian's unseal page): only to staff who may see the case or are custodians; otherwise, and
 * for no such case, null.
 */
export async function caseNumberOf({ ctx, input }: VerbArgs<{ caseId: string }>): Promise<string | null> {
  const actor = ctx.actor;
  if (actor.kind !== "staff" || !isUuid(input.caseId)) return null;
  const [row] = await ctx.deps.db
    .select({ officeCode: cases.officeCode, ...currentNumberColumns })
    .from(cases)
    .where(eq(cases.id, input.caseId));
  if (!row) return null;
  if (!actor.roles.includes("custodian") && relationTo(ctx.deps.offices, actor, row.officeCode) === "none")
    return null;
  return currentLabel(ctx.deps, row);
}
