import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, type cases } from "../../../db/schema/index";
import type { CategoryCode, ReportType } from "../../domain/categories";
import type { OfficeDirectory } from "../../domain/divisions";
import type { PublicStatus } from "../../domain/status";
import {
  type Arrival,
  type DispositionCode,
  isStage,
  type Stage,
  type WorkflowCase,
} from "../../domain/workflow";
import { currentLabel, type Numbering } from "../numbering/numbers";

export type CaseRow = typeof cases.$inferSelect;

/** Events that move a case between offices; their data holds { from, to, fromStage }. */
export const ROUTING_KINDS = ["forwarded", "assigned", "escalated", "returned"] as const;

/** How the case came to its current office: the last routing event, when it points here. */
export async function arrivalOf(db: DbOrTx, caseId: string, officeCode: string): Promise<Arrival | null> {
  const [last] = await db
    .select({ kind: caseEvents.kind, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, [...ROUTING_KINDS])))
    .orderBy(desc(caseEvents.seq))
    .limit(1);
  return last ? arrivalFromEvent(last.kind, last.data, officeCode) : null;
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
  row: Pick<CaseRow, "stage" | "officeCode" | "nextDueOn" | "type">,
  arrival: Arrival | null,
  offices: OfficeDirectory,
  today: string,
): WorkflowCase {
  const office = offices.get(row.officeCode);
  return {
    stage: row.stage,
    hasLowerOffices: offices.childrenOf(row.officeCode).length > 0,
    hasParentOffice: Boolean(office?.parentCode),
    arrival,
    overdue: isOverdue(row.nextDueOn, today),
    type: row.type,
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

/** A case row, with its number at the holding office when selected (numbering/numbers.ts currentNumberColumns). */
export type NumberedRow = CaseRow & { numberYear?: number | null; numberSeq?: number | null };

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
