// The offices' ledgers as pure rules: the 转送/交办 ledger's states and deadlines, and 督办's
// types. Codes only: their words live in messages/labels.ts.

/** The sends a sending office keeps in its ledger: 转送, 交办, 报送 (the routing events' kinds). */
export const TRANSFER_KINDS = ["forwarded", "assigned", "escalated"] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/**
 * 签收 and 受理 of a send are due this many working days after it was sent: 纪检监察机关处理检举控告
 * 工作规则 (转送件应当在收到之日起5个工作日内登记受理); the seed's office practice
 * (每周检查转送件是否接收) checks against it for 交办 and 报送 too.
 */
export const TRANSFER_RECEIPT_WORKING_DAYS = 5;

/**
 * The receiver's steps that answer a send: 受理 marks it registered; the others close it (不予受理,
 * 退回, a further 转送/交办/报送, 合并, 办结).
 */
export const TRANSFER_STEP_KINDS = [
  "registered",
  "declined",
  "returned",
  "forwarded",
  "assigned",
  "escalated",
  "merged",
  "kept",
  "concluded",
] as const;

/** Where a send stands at the receiving office. */
export const TRANSFER_STATES = ["pending", "claimed", "registered", "closed"] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

export interface TransferFacts {
  dueOn: string;
  reportDueOn: string | null;
  claimedAt: Date | null;
  registeredAt: Date | null;
  closedAt: Date | null;
  closedKind: string | null;
}

/**
 * 待签收 until someone at the receiver claims it, then 已签收 until it is 受理d; closed by the
 * receiver's first step that decides it otherwise (不予受理, 退回, a further send, 合并) or by 办结.
 */
export function transferState(t: TransferFacts): TransferState {
  if (t.closedAt) return "closed";
  if (t.registeredAt) return "registered";
  if (t.claimedAt) return "claimed";
  return "pending";
}

/**
 * Overdue (`today` an Asia/Shanghai date): not yet 受理d (nor otherwise decided) after its due
 * date, or a 交办 whose result report is late (no 办结 by the report date).
 */
export function transferOverdue(t: TransferFacts, today: string): "receipt" | "report" | null {
  if (t.closedAt) return null;
  if (!t.registeredAt && t.dueOn < today) return "receipt";
  if (t.reportDueOn && t.reportDueOn < today) return "report";
  return null;
}

/** How a 督办 was made: 电话督办, 发函督办, 实地督办. */
export const SUPERVISION_METHODS = ["phone", "letter", "onsite"] as const;
export type SupervisionMethod = (typeof SUPERVISION_METHODS)[number];
