// 对账 between levels (issue 12 §2) as pure rules over a case's trail: what became of one 转送 or
// 交办 at the office it was sent to, as at a moment. No I/O; the service reads the events.
//
// Every fact is read from case_events (hash-chained, append-only), except 签收: a claim is queue
// bookkeeping and writes no event (WORKFLOW.release has no event either), so 签收 without any
// further step is the ledger's case_transfers.claimed_at, written by the claim's own statement
// (services/ledgers/act-ctes.ts signedCte). Any step the receiver took implies it 签收ed.
import { shanghaiDate } from "./clock";

/** YYYY-MM, a calendar month in Asia/Shanghai, of the years 1990–2999 (as the ledgers take them). */
export const MONTH_PATTERN = /^(199\d|2\d{3})-(0[1-9]|1[0-2])$/;

/** The sends a parent office reconciles with the office below: 转送 and 交办. */
export const SEND_KINDS = ["forwarded", "assigned"] as const;
export type SendKind = (typeof SEND_KINDS)[number];

/**
 * What the 对账 lists by 编号:
 * - `never_received`: sent, and by the cut-off the receiver neither 签收ed it nor took any step;
 * - `received_twice`: the receiver 受理d (registered) the same case more than once — a case
 *   退回ed and sent again, then registered again, counts twice in the receiver's own figures;
 * - `concluded_without_feedback`: the receiver 办结ed a real-name 检举控告 (the rules owe 反馈) and
 *   no 反馈 followed by the cut-off (a conclusion held for 提级审核 owes none until approved).
 */
export const MISMATCH_KINDS = ["never_received", "received_twice", "concluded_without_feedback"] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/** The receiver's steps that decide a send other than by 办结: 不予受理, 退回, a further send, 合并, 留存. */
export const CLOSING_KINDS = [
  "declined",
  "returned",
  "forwarded",
  "assigned",
  "escalated",
  "merged",
  "kept",
] as const;

/** Steps that end the receiver's handling: 办结, or 报结 of a 交办 to the office that assigned it. */
export const CONCLUDING_KINDS = ["concluded", "reported"] as const;

/** The first instant of `month` and of the month after, Asia/Shanghai (UTC+8, no DST). */
export function monthBounds(month: string): { start: Date; end: Date } {
  if (!MONTH_PATTERN.test(month)) throw new RangeError(`not a month: ${month}`);
  const [y, m] = month.split("-").map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { start: new Date(`${month}-01T00:00:00+08:00`), end: new Date(`${next}-01T00:00:00+08:00`) };
}

/** The month `at` falls in, Asia/Shanghai. */
export function monthOf(at: Date): string {
  return shanghaiDate(at).slice(0, 7);
}

/** One event of a case's trail, as the rules need it. */
export interface TrailEvent {
  seq: number;
  at: Date;
  kind: string;
  officeCode: string;
  data: Record<string, unknown>;
}

export interface Send {
  caseId: string;
  /** The seq of the 转送/交办 event on the case's trail. */
  seq: number;
  at: Date;
  kind: SendKind;
  from: string;
  to: string;
  /** 签收 in the sender's ledger (case_transfers.claimed_at), null when none. */
  claimedAt: Date | null;
  /** 签收/受理 due by (case_transfers.due_on, fixed when sent). */
  dueOn: string | null;
  /** 交办: the result report due by. */
  reportDueOn: string | null;
  /** The rules owe the reporter 反馈 after 办结: a real-name 检举控告. */
  owesFeedback: boolean;
}

export interface SendOutcome {
  signed: boolean;
  registered: boolean;
  concluded: boolean;
  /** The receiver's step that decided the send otherwise (CLOSING_KINDS), if any. */
  closedBy: string | null;
  /** Neither concluded nor decided otherwise: still with the receiver. */
  open: boolean;
  /** `receipt`: not 受理d by its due date; `report`: a 交办 without its 报结 by the report date. */
  overdue: "receipt" | "report" | null;
  /** How many times the receiver registered (受理) this case, on its whole trail up to the cut-off. */
  registrations: number;
  /** The receiver's 办结 still owing 反馈: its date. */
  feedbackOwedSince: string | null;
}

const isSendFrom = (e: TrailEvent, s: Send) =>
  (e.kind === "forwarded" || e.kind === "assigned") && e.officeCode === s.from && e.data.to === s.to;

/**
 * What became of `send` at its receiver, from `trail` (the case's events before the cut-off, in seq
 * order). The send's window runs from its event to the sender's next send of the case to the same
 * office (a case 退回ed and sent again is a second send). `asOf` is the cut-off instant.
 */
export function classifySend(send: Send, trail: readonly TrailEvent[], asOf: Date): SendOutcome {
  const next = trail.find((e) => e.seq > send.seq && isSendFrom(e, send));
  const window = trail.filter((e) => e.seq > send.seq && (!next || e.seq < next.seq));
  const theirs = window.filter((e) => e.officeCode === send.to);
  const signed = (send.claimedAt !== null && send.claimedAt < asOf) || theirs.length > 0;
  const registered = theirs.some((e) => e.kind === "registered");
  const concludedBy = theirs.find((e) => (CONCLUDING_KINDS as readonly string[]).includes(e.kind));
  const closing = theirs.find((e) => (CLOSING_KINDS as readonly string[]).includes(e.kind));
  const concluded = concludedBy !== undefined;
  const open = !concluded && !closing;
  const day = shanghaiDate(asOf);
  let overdue: SendOutcome["overdue"] = null;
  if (open && !registered && send.dueOn !== null && send.dueOn < day) overdue = "receipt";
  else if (open && send.kind === "assigned" && send.reportDueOn !== null && send.reportDueOn < day)
    overdue = "report";
  const registrations = trail.filter((e) => e.kind === "registered" && e.officeCode === send.to).length;
  return {
    signed,
    registered,
    concluded,
    closedBy: concluded ? null : (closing?.kind ?? null),
    open,
    overdue,
    registrations,
    feedbackOwedSince: feedbackOwed(send, theirs, trail),
  };
}

/**
 * The date of the receiver's 办结 that still owes 反馈, or null: a real-name 检举控告 concluded there
 * with no `feedback` after it. A conclusion held for 提级审核 (a `review_raised` before it, no
 * `review_approved` after it) owes nothing yet.
 */
function feedbackOwed(send: Send, theirs: TrailEvent[], trail: readonly TrailEvent[]): string | null {
  if (!send.owesFeedback) return null;
  const conclusion = [...theirs].reverse().find((e) => e.kind === "concluded");
  if (!conclusion) return null;
  const after = trail.filter((e) => e.seq > conclusion.seq);
  if (after.some((e) => e.kind === "feedback")) return null;
  const raised = trail.some((e) => e.kind === "review_raised" && e.seq < conclusion.seq);
  if (raised && !after.some((e) => e.kind === "review_approved")) return null;
  const on = conclusion.data.concludedOn;
  return typeof on === "string" ? on : shanghaiDate(conclusion.at);
}
