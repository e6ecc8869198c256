import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, caseInstructions, caseNumbers, cases, leaderItems } from "../../../db/schema/index";
import type { Deps, StaffActor } from "../../context";
import { isReviewHeld, type LeaderFacts, leaderRuleFor, leaderRulesFor } from "../../domain/leaders";
import type { Relation } from "../../domain/workflow";
import type { CaseRow } from "../cases/facts";
import { isUuid, relationTo } from "../cases/scope";

/** A case's place in an office's 书记阅批件 ledger. */
export interface LedgerEntry {
  officeCode: string;
  /** Marked by hand, or by one of the office's rules. */
  by: "hand" | "rule";
  rule: string | null;
  /** Since when: the hand mark, or the case's arrival at the office (its number there). */
  since: Date;
  closedAt: Date | null;
  closedBy: string | null;
}

/**
 * How the caller sees the case: `act`/`read` as for the case page (api/services/cases/scope.ts);
 * `ledger`: only as an item of their office's 书记阅批件 ledger (the case went elsewhere);
 * `pulled`: their office's case was taken up by an office above (提级办理), which they still see.
 */
export type LeaderRelation = Exclude<Relation, "none"> | "ledger" | "pulled";

export interface LeaderCase {
  row: CaseRow;
  relation: LeaderRelation;
  facts: LeaderFacts;
  ledger: LedgerEntry | null;
  pendingInstructionId: number | null;
}

/** The caller office's ledger entry for the case, if it is one of its 书记阅批件. */
export async function ledgerEntryOf(
  db: DbOrTx,
  deps: Pick<Deps, "offices" | "config">,
  row: Pick<CaseRow, "id" | "subjectLevel">,
  officeCode: string,
): Promise<LedgerEntry | null> {
  const office = deps.offices.get(officeCode);
  if (!office) return null;
  const [n] = await db
    .select({ assignedAt: caseNumbers.assignedAt })
    .from(caseNumbers)
    .where(and(eq(caseNumbers.caseId, row.id), eq(caseNumbers.officeCode, officeCode)));
  if (!n) return null;
  const [item] = await db
    .select()
    .from(leaderItems)
    .where(and(eq(leaderItems.caseId, row.id), eq(leaderItems.officeCode, officeCode)));
  const rule = leaderRuleFor(leaderRulesFor(deps.config.province), office, row.subjectLevel);
  const base = { officeCode, closedAt: item?.closedAt ?? null, closedBy: item?.closedBy ?? null };
  if (item?.manual && item.markedAt) return { ...base, by: "hand", rule: null, since: item.markedAt };
  if (rule) return { ...base, by: "rule", rule: rule.id, since: n.assignedAt };
  return null;
}

/** The case was taken up (提级办理) from `officeCode` at some time. */
async function pulledFrom(db: DbOrTx, caseId: string, officeCode: string): Promise<boolean> {
  const [e] = await db
    .select({ seq: caseEvents.seq })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.caseId, caseId),
        eq(caseEvents.kind, "pulled_up"),
        sql`${caseEvents.data}->>'from' = ${officeCode}`,
      ),
    )
    .limit(1);
  return e !== undefined;
}

/**
 * The case as the leader actions judge it, for `actor`; undefined when it does not exist or the
 * caller may not see it at all (the same 404). `lock`: take the case row first (inside a
 * transaction), so nothing changes it between this read and the action's writes.
 */
export async function loadLeaderCase(
  db: DbOrTx,
  deps: Pick<Deps, "offices" | "config">,
  actor: StaffActor,
  caseId: string,
  lock = false,
): Promise<LeaderCase | undefined> {
  if (!isUuid(caseId)) return undefined;
  const q = db.select().from(cases).where(eq(cases.id, caseId)).limit(1);
  const [row] = lock ? await q.for("no key update") : await q;
  if (!row) return undefined;
  const { offices } = deps;
  const base = relationTo(offices, actor, row.officeCode);
  const ledger = await ledgerEntryOf(db, deps, row, actor.officeCode);
  let relation: LeaderRelation | undefined = base === "none" ? undefined : base;
  if (!relation && ledger) relation = "ledger";
  if (!relation && (await pulledFrom(db, row.id, actor.officeCode))) relation = "pulled";
  if (!relation) return undefined;
  const [pending] = await db
    .select({ id: caseInstructions.id })
    .from(caseInstructions)
    .where(
      and(
        eq(caseInstructions.caseId, row.id),
        eq(caseInstructions.kind, "instruction"),
        eq(caseInstructions.officeCode, row.officeCode),
        sql`${caseInstructions.instructedAt} is null`,
      ),
    )
    .orderBy(asc(caseInstructions.id))
    .limit(1);
  const fromAbove =
    row.officeCode !== actor.officeCode && offices.isSameOrAbove(actor.officeCode, row.officeCode);
  const facts: LeaderFacts = {
    stage: row.stage,
    atOwnOffice: row.officeCode === actor.officeCode,
    fromAbove,
    inLedger: ledger !== null,
    closed: ledger?.closedAt != null,
    // A 呈批 is put before the leaders of the office holding the case.
    instructionPending: pending !== undefined,
    reviewOffice: row.reviewOfficeCode,
    reviewHeld: isReviewHeld({
      stage: row.stage,
      reviewOffice: row.reviewOfficeCode,
      publicStatus: row.publicStatus,
    }),
    office: actor.officeCode,
  };
  return { row, relation, facts, ledger, pendingInstructionId: pending?.id ?? null };
}
