import { and, eq, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseNumbers, caseRepeats, cases } from "../../../db/schema/index";
import type { Deps, StaffActor } from "../../context";
import type { Stage } from "../../domain/workflow";
import type { CaseRow } from "../cases/facts";
import { relationTo } from "../cases/scope";
import { numberLabel } from "../numbering/numbers";

/**
 * One likely repeat of a case as a staff member sees it (the case view's `repeats`). The office and
 * the similarity are always there; the rest only when the viewer may see the other case (their own
 * office's, or, for a supervisor, an office's below): otherwise `visible` is false and `id`,
 * `number`, `title`, `stage` and `receivedAt` are null — a lower office learns that the matter was
 * reported at a higher office, not what was reported or where it stands.
 */
export interface RepeatView {
  /** The handle a merge or keep names as `caseId` (the case_repeats row); null for a merge the detector did not find. */
  match: string | null;
  id: string | null;
  /** Its 信访件编号 at the office holding it. */
  number: string | null;
  title: string | null;
  office: { code: string; name: string };
  stage: Stage | null;
  /** The matter's similarity (api/domain/repeats.ts), 0…1; null for a merge the detector did not find. */
  similarity: number | null;
  receivedAt: string | null;
  /** Received before this case: the one to merge into or keep this case as a repeat of. */
  earlier: boolean;
  visible: boolean;
  /** It was merged into this case (合并). */
  mergedIntoThis: boolean;
}

/** The likely repeats of `row` found by the detector (either way round), and the cases merged into it. */
export async function repeatsOf(
  db: DbOrTx,
  deps: Pick<Deps, "offices" | "config">,
  actor: StaffActor,
  row: Pick<CaseRow, "id" | "serial" | "receivedAt">,
): Promise<RepeatView[]> {
  const other = sql`(case when ${caseRepeats.caseId} = ${row.id} then ${caseRepeats.otherId} else ${caseRepeats.caseId} end)`;
  const columns = {
    id: cases.id,
    serial: cases.serial,
    title: cases.title,
    stage: cases.stage,
    officeCode: cases.officeCode,
    receivedAt: cases.receivedAt,
    mergedInto: cases.mergedInto,
    sentAbove: sql<boolean>`(${cases.subjectIsDisciplineStaff} or ${cases.subjectIsPrincipalLeader})`,
    year: caseNumbers.year,
    seq: caseNumbers.seq,
  };
  const numbered = and(eq(caseNumbers.caseId, cases.id), eq(caseNumbers.officeCode, cases.officeCode));
  const found = await db
    .select({ ...columns, match: caseRepeats.id, similarity: caseRepeats.similarity })
    .from(caseRepeats)
    .innerJoin(cases, eq(cases.id, other))
    .leftJoin(caseNumbers, numbered)
    .where(or(eq(caseRepeats.caseId, row.id), eq(caseRepeats.otherId, row.id)));
  const merged = await db
    .select(columns)
    .from(cases)
    .leftJoin(caseNumbers, numbered)
    .where(eq(cases.mergedInto, row.id));
  const all = [
    ...found,
    ...merged
      .filter((m) => !found.some((f) => f.id === m.id))
      .map((m) => ({ ...m, match: null, similarity: null })),
  ];
  // A report sent one level up because its subject is 纪检监察 staff or an office's 主要负责人 went
  // there to be kept from the office below: an office that may not see it does not learn it exists.
  const views = all.flatMap((o): RepeatView[] => {
    const visible = relationTo(deps.offices, actor, o.officeCode) !== "none";
    if (!visible && o.sentAbove) return [];
    const shown = <T>(v: T): T | null => (visible ? v : null);
    return [
      {
        match: o.match,
        id: shown(o.id),
        number:
          visible && o.year !== null && o.seq !== null
            ? numberLabel(deps, { officeCode: o.officeCode, year: o.year, seq: o.seq })
            : null,
        title: shown(o.title),
        office: { code: o.officeCode, name: deps.offices.get(o.officeCode)?.name ?? o.officeCode },
        stage: shown(o.stage),
        similarity: o.similarity === null ? null : Math.round(o.similarity * 1000) / 1000,
        receivedAt: shown(o.receivedAt.toISOString()),
        // Received at the same instant: the one stored first.
        earlier:
          o.receivedAt.getTime() < row.receivedAt.getTime() ||
          (o.receivedAt.getTime() === row.receivedAt.getTime() && o.serial < row.serial),
        visible,
        mergedIntoThis: o.mergedInto === row.id,
      },
    ];
  });
  // The likeliest first; merges the detector did not find after those it did.
  return views.sort((a, b) => (b.similarity ?? -1) - (a.similarity ?? -1));
}
