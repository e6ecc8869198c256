import { and, eq, or } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseNumbers, caseRepeats, cases } from "../../../db/schema/index";
import type { Deps, StaffActor } from "../../context";
import { REPEAT_STAGES } from "../../domain/workflow";
import type { CaseRow } from "../cases/facts";
import { isUuid, relationTo } from "../cases/scope";
import { caseByNumber, numberLabel } from "../numbering/numbers";

/** The earlier case a repeat is merged into or kept as a repeat of. */
export interface RepeatTarget {
  row: CaseRow;
  /** The actor may see it (their office's case, or one below for a supervisor). */
  visible: boolean;
  /** Its 信访件编号 at the office holding it. */
  number: string | null;
  /** The detector's similarity when the pair was found; null otherwise. */
  similarity: number | null;
}

/**
 * What a merge's or keep's `caseId` names, for case `self`: the `match` of one of its repeats (the
 * case_repeats row: any office of the province, seen or not), a case the actor may see by its id,
 * or a case of the actor's office by its 信访件编号. Undefined when it names none of these, the case
 * itself, or a case that is itself a repeat (合并 or 留存备查).
 */
export async function repeatTargetOf(
  db: DbOrTx,
  deps: Pick<Deps, "offices" | "config">,
  actor: StaffActor,
  self: Pick<CaseRow, "id">,
  ref: string,
): Promise<RepeatTarget | undefined> {
  let targetId: string | undefined;
  let similarity: number | null = null;
  let viaMatch = false;
  if (isUuid(ref)) {
    const [match] = await db
      .select({
        caseId: caseRepeats.caseId,
        otherId: caseRepeats.otherId,
        similarity: caseRepeats.similarity,
      })
      .from(caseRepeats)
      .where(
        and(eq(caseRepeats.id, ref), or(eq(caseRepeats.caseId, self.id), eq(caseRepeats.otherId, self.id))),
      );
    if (match) {
      targetId = match.caseId === self.id ? match.otherId : match.caseId;
      similarity = match.similarity;
      viaMatch = true;
    } else targetId = ref;
  } else {
    targetId = await caseByNumber(db, deps, actor.officeCode, ref);
  }
  if (!targetId || targetId === self.id) return undefined;
  const [row] = await db.select().from(cases).where(eq(cases.id, targetId));
  if (!row || REPEAT_STAGES.includes(row.stage)) return undefined;
  const visible = relationTo(deps.offices, actor, row.officeCode) !== "none";
  // By id: only a case the actor may see (a hidden case is named by its match alone).
  if (!visible && !viaMatch) return undefined;
  if (!viaMatch) {
    // A pair the detector found, named by the case's id or number: its similarity all the same.
    const [pair] = await db
      .select({ similarity: caseRepeats.similarity })
      .from(caseRepeats)
      .where(
        or(
          and(eq(caseRepeats.caseId, self.id), eq(caseRepeats.otherId, row.id)),
          and(eq(caseRepeats.caseId, row.id), eq(caseRepeats.otherId, self.id)),
        ),
      );
    similarity = pair?.similarity ?? null;
  }
  const [n] = await db
    .select({ year: caseNumbers.year, seq: caseNumbers.seq })
    .from(caseNumbers)
    .where(and(eq(caseNumbers.caseId, row.id), eq(caseNumbers.officeCode, row.officeCode)));
  return {
    row,
    visible,
    number: n ? numberLabel(deps, { officeCode: row.officeCode, ...n }) : null,
    similarity: similarity === null ? null : Math.round(similarity * 1000) / 1000,
  };
}
