import { and, asc, eq } from "drizzle-orm";
import { caseEvents, caseInstructions, caseNumbers } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { allowedLeaderActions, type LeaderAction } from "../../domain/leaders";
import { caseNotFound, staffOf } from "../cases/scope";
import { numberLabel } from "../numbering/numbers";
import { type LeaderRelation, loadLeaderCase } from "./facts";

type OfficeRef = { code: string; name: string };

export interface InstructionView {
  id: number;
  /** `instruction`: a 呈批 and its 批示; `supervision`: a leader's 督办批示 on a 书记阅批件. */
  kind: "instruction" | "supervision";
  /** The office whose leader was asked (or pressed). */
  office: OfficeRef;
  requestedAt: string | null;
  requestedBy: string | null;
  /** 拟办意见. */
  proposal: string | null;
  /** A 呈批 still waiting for its 批示. */
  pending: boolean;
  instructedAt: string | null;
  instructedBy: string | null;
  /** 批示. */
  instruction: string | null;
  /** The date the leader signed it. */
  signedOn: string | null;
}

/** The leaders' side of a case (GET /api/v1/staff/cases/{id}/leader): shown on the case page. */
export interface LeaderCaseView {
  caseId: string;
  title: string;
  /** The case's 信访件编号 at the caller's office when it has one there, else at the office holding it. */
  number: string | null;
  /** The office holding the case now. */
  office: OfficeRef;
  relation: LeaderRelation;
  instructions: InstructionView[];
  /** The case in the caller's office's 书记阅批件 ledger. */
  ledger: null | {
    by: "hand" | "rule";
    rule: string | null;
    since: string;
    closedAt: string | null;
    closedBy: string | null;
  };
  /** 提级审核: the office that reviews the conclusion, and whether a conclusion waits for it. */
  review: null | { office: OfficeRef; held: boolean };
  /** 提级办理: each time the case was taken up by an office above. */
  pulledUp: { at: string; from: OfficeRef; to: OfficeRef; reason: string; actor: string }[];
  allowedActions: LeaderAction[];
}

/** GET /api/v1/staff/cases/{id}/leader — 404 for a case the caller cannot see in any way. */
export async function getLeaderView({ ctx, input }: VerbArgs<{ caseId: string }>): Promise<LeaderCaseView> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  const { db, offices } = deps;
  const lc = await loadLeaderCase(db, deps, actor, input.caseId);
  if (!lc) throw caseNotFound();
  const { row } = lc;
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const rows = await db
    .select()
    .from(caseInstructions)
    .where(eq(caseInstructions.caseId, row.id))
    .orderBy(asc(caseInstructions.id));
  const pulls = await db
    .select({ at: caseEvents.at, actor: caseEvents.actor, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, row.id), eq(caseEvents.kind, "pulled_up")))
    .orderBy(asc(caseEvents.seq));
  const numbers = await db
    .select({ officeCode: caseNumbers.officeCode, year: caseNumbers.year, seq: caseNumbers.seq })
    .from(caseNumbers)
    .where(eq(caseNumbers.caseId, row.id));
  const mine = numbers.find((n) => n.officeCode === actor.officeCode);
  const held = numbers.find((n) => n.officeCode === row.officeCode);
  const num = mine ?? held;
  return {
    caseId: row.id,
    title: row.title,
    number: num ? numberLabel(deps, num) : null,
    office: officeRef(row.officeCode),
    relation: lc.relation,
    // Each office's 呈批 and 批示 in full to that office and the offices above it; an office below
    // sees a higher office's 批示 only while it holds the case (it carries it out), without the
    // internal 拟办意见 or who proposed it; a former or ledger-only office below sees none.
    instructions: rows
      .flatMap((r) => {
        const own = offices.isSameOrAbove(actor.officeCode, r.officeCode);
        if (!own && row.officeCode !== actor.officeCode) return [];
        return [{ r, own }];
      })
      .map(({ r, own }) => ({
        id: r.id,
        kind: r.kind,
        office: officeRef(r.officeCode),
        requestedAt: iso(r.requestedAt),
        requestedBy: own ? r.requestedBy : null,
        proposal: own ? r.proposal : null,
        pending: r.kind === "instruction" && r.instructedAt === null,
        instructedAt: iso(r.instructedAt),
        instructedBy: r.instructedBy,
        instruction: r.instruction,
        signedOn: r.signedOn,
      })),
    ledger: lc.ledger
      ? {
          by: lc.ledger.by,
          rule: lc.ledger.rule,
          since: lc.ledger.since.toISOString(),
          closedAt: iso(lc.ledger.closedAt),
          closedBy: lc.ledger.closedBy,
        }
      : null,
    review: row.reviewOfficeCode
      ? { office: officeRef(row.reviewOfficeCode), held: lc.facts.reviewHeld }
      : null,
    pulledUp: pulls.map((p) => {
      const d = p.data as { from?: string; to?: string; reason?: string };
      return {
        at: p.at.toISOString(),
        from: officeRef(d.from ?? ""),
        to: officeRef(d.to ?? ""),
        reason: d.reason ?? "",
        actor: p.actor,
      };
    }),
    // A former office (pulled) only sees; everyone else what their roles and place allow.
    allowedActions: lc.relation === "pulled" ? [] : allowedLeaderActions(lc.facts, actor.roles),
  };
}
