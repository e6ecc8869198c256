import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, cases } from "../../../db/schema/index";
import type { CategoryCode, ReportType } from "../../domain/categories";
import type { OfficeDirectory } from "../../domain/divisions";
import { isReviewHeld } from "../../domain/leaders";
import type { PublicStatus } from "../../domain/status";
import {
  type Arrival,
  type Assignment,
  type DispositionCode,
  isStage,
  type Stage,
  type WorkflowCase,
} from "../../domain/workflow";
import { currentLabel, type Numbering } from "../numbering/numbers";

export type CaseRow = typeof cases.$inferSelect;

/** Events that move a case between offices; their data holds { from, to, fromStage }. */
export const ROUTING_KINDS = [
  "forwarded",
  "assigned",
  "escalated",
  "returned",
  "reported",
  "reworked",
] as const;

/** The events the routing facts are read from: the moves, and 销号 (which closes a 交办). */
export const ROUTING_FACT_KINDS = [...ROUTING_KINDS, "approved"] as const;

/** One event of the case's routing, oldest first. */
export interface RoutingEvent {
  kind: string;
  data: unknown;
}

/** How the case came to its office, and the 交办 still open on it. */
export interface RoutingFacts {
  arrival: Arrival | null;
  /** Open 交办, innermost last: each awaits its receiver's result and the sender's 销号. */
  assignments: Assignment[];
}

/** The case's routing events (ROUTING_FACT_KINDS), oldest first. */
export async function routingOf(db: DbOrTx, caseId: string): Promise<RoutingEvent[]> {
  return db
    .select({ kind: caseEvents.kind, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, [...ROUTING_FACT_KINDS])))
    .orderBy(asc(caseEvents.seq));
}

/**
 * The routing facts at `officeCode` from the case's routing events (any other kinds are skipped).
 * A 交办 opens when sent and closes when the sender approves (销号) its result or the receiver
 * gives it back (退回); 报结 and 退回重办 move the case between the two without closing it.
 */
export function routingFacts(events: readonly RoutingEvent[], officeCode: string): RoutingFacts {
  const assignments: Assignment[] = [];
  let last: RoutingEvent | undefined;
  for (const e of events) {
    const d = (e.data ?? {}) as { from?: string; to?: string };
    if ((ROUTING_KINDS as readonly string[]).includes(e.kind)) last = e;
    const top = assignments.at(-1);
    if (e.kind === "assigned" && d.from && d.to) assignments.push({ from: d.from, to: d.to });
    else if (e.kind === "approved" && top) assignments.pop();
    else if (e.kind === "returned" && top && top.to === d.from && top.from === d.to) assignments.pop();
  }
  return { arrival: last ? arrivalFromEvent(last.kind, last.data, officeCode) : null, assignments };
}

export function arrivalFromEvent(kind: string, data: unknown, officeCode: string): Arrival | null {
  const d = data as { from?: string; to?: string; fromStage?: string };
  if (!(ROUTING_KINDS as readonly string[]).includes(kind) || d.to !== officeCode || !d.from) return null;
  return {
    via: kind as Arrival["via"],
    fromOffice: d.from,
    fromStage: d.fromStage && isStage(d.fromStage) ? d.fromStage : "received",
  };
}

/** The facts the state machine judges a case by. `today` is an Asia/Shanghai date. */
export function workflowCaseOf(
  row: Pick<CaseRow, "stage" | "officeCode" | "nextDueOn" | "realName" | "type"> &
    Partial<Pick<CaseRow, "reviewOfficeCode" | "publicStatus">>,
  routing: RoutingFacts,
  offices: OfficeDirectory,
  today: string,
): WorkflowCase {
  const office = offices.get(row.officeCode);
  const top = routing.assignments.at(-1);
  const outer = routing.assignments.at(-2);
  return {
    stage: row.stage,
    hasLowerOffices: offices.childrenOf(row.officeCode).length > 0,
    hasParentOffice: Boolean(office?.parentCode),
    arrival: routing.arrival,
    overdue: isOverdue(row.nextDueOn, today),
    type: row.type,
    assignedBy: top && top.to === row.officeCode ? top.from : null,
    review:
      top && top.from === row.officeCode
        ? { of: top.to, outerAssignedBy: outer && outer.to === row.officeCode ? outer.from : null }
        : null,
    // The same cases as the 反馈 clock's (clock-rules.ts result_notice): real-name 检举控告.
    owesFeedback: row.realName && row.type === "accusation",
    conclusionHeld: isReviewHeld({
      stage: row.stage,
      reviewOffice: row.reviewOfficeCode ?? null,
      publicStatus: row.publicStatus ?? "",
    }),
  };
}

/** A running clock is past due from the day after its due date. */
export function isOverdue(nextDueOn: string | null, today: string): boolean {
  return nextDueOn !== null && nextDueOn < today;
}

/** What the staff API answers about a case in claim and action answers (no identity: there is none here). */
export interface CaseSummary {
  id: string;
  serial: number;
  /** 信访件编号 at the office holding the case (长沙〔2026〕第123号); what staff see instead of the id. */
  number: string | null;
  stage: Stage;
  publicStatus: PublicStatus;
  type: ReportType;
  category: CategoryCode;
  realName: boolean;
  title: string;
  office: { code: string; name: string };
  department: string | null;
  disposition: DispositionCode | null;
  mergedInto: string | null;
  nextDueOn: string | null;
  receivedAt: string;
  updatedAt: string;
}

/**
 * The columns a case summary shows, for the lists that select only those (not the narrative, the
 * sealed parts or the lease): spread into a select beside currentNumberColumns.
 */
export const summaryColumns = {
  id: cases.id,
  serial: cases.serial,
  stage: cases.stage,
  publicStatus: cases.publicStatus,
  type: cases.type,
  category: cases.category,
  realName: cases.realName,
  title: cases.title,
  officeCode: cases.officeCode,
  department: cases.department,
  disposition: cases.disposition,
  mergedInto: cases.mergedInto,
  nextDueOn: cases.nextDueOn,
  receivedAt: cases.receivedAt,
  updatedAt: cases.updatedAt,
};

/** A case row, with its number at the holding office when selected (numbering/numbers.ts currentNumberColumns). */
export type NumberedRow = Pick<CaseRow, keyof typeof summaryColumns> & {
  numberYear?: number | null;
  numberSeq?: number | null;
};

export function caseSummary(row: NumberedRow, n: Numbering): CaseSummary {
  const { offices } = n;
  return {
    id: row.id,
    serial: row.serial,
    number: currentLabel(n, row),
    stage: row.stage,
    publicStatus: row.publicStatus,
    type: row.type,
    category: row.category,
    realName: row.realName,
    title: row.title,
    office: { code: row.officeCode, name: offices.get(row.officeCode)?.name ?? row.officeCode },
    department: row.department,
    disposition: row.disposition,
    mergedInto: row.mergedInto,
    nextDueOn: row.nextDueOn,
    receivedAt: row.receivedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
