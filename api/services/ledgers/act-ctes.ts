// What a workflow step writes into the offices' ledgers, as data-modifying CTEs of the action's
// one statement (api/services/cases/act.ts): each hangs off the fenced update `u`, so a step that
// did not happen writes nothing here either.
import { sql, type WithSubquery } from "drizzle-orm";
import { cte } from "../../../db/client";
import type { CaseEventKind } from "../../domain/case-events";
import { addWorkingDays } from "../../domain/clock";
import { TRANSFER_KINDS, TRANSFER_RECEIPT_WORKING_DAYS, TRANSFER_STEP_KINDS } from "../../domain/ledgers";

/** The ledger writes of one action: part of the statement's shape (its SQL text depends on it). */
export interface LedgerShape {
  /** 转送/交办/报送: a row in the sending office's ledger. */
  send: boolean;
  /** A step at the receiving office that answers an open send (受理, 退回, …). */
  step: boolean;
  /** 督办: a record awaiting the supervised office's reply. */
  supervise: boolean;
  /** The supervised office replies to its pending 督办. */
  reply: boolean;
}

const is = (list: readonly string[], kind: string | null) => kind !== null && list.includes(kind);

export function ledgerShape(event: CaseEventKind | null): LedgerShape {
  return {
    send: is(TRANSFER_KINDS, event),
    step: is(TRANSFER_STEP_KINDS, event),
    supervise: event === "supervised",
    reply: event === "supervision_replied",
  };
}

/**
 * The values the ledger CTEs bind beyond the statement's own (id, office, now, event*): the
 * send's due dates, and 督办's type, note and reply.
 */
export function ledgerValues(
  shape: LedgerShape,
  f: { today: string; reportDueOn?: string; method?: string; note?: string; reply?: string },
): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (shape.send) {
    v.transferDue = addWorkingDays(f.today, TRANSFER_RECEIPT_WORKING_DAYS);
    v.reportDue = f.reportDueOn ?? null;
  }
  if (shape.supervise) {
    v.superviseMethod = f.method;
    v.superviseNote = f.note ?? null;
  }
  if (shape.reply) v.replyBody = f.reply;
  return v;
}

/** The CTEs for `shape`, hanging off CTE `u` (the updated case, its office the one after the step). */
export function ledgerCtes(shape: LedgerShape): WithSubquery[] {
  const p = (name: string) => sql.placeholder(name);
  const out: WithSubquery[] = [];
  if (shape.step) {
    // `office` is the office the case was at: the receiver of the send being answered.
    out.push(
      cte(
        "ledger_step",
        sql`update case_transfers set
        claimed_at = coalesce(claimed_at, ${p("now")}::timestamptz),
        registered_at = case when ${p("eventKind")} = 'registered' then coalesce(registered_at, ${p("now")}::timestamptz) else registered_at end,
        closed_at = case when ${p("eventKind")} = 'registered' then closed_at else ${p("now")}::timestamptz end,
        closed_kind = case when ${p("eventKind")} = 'registered' then closed_kind else ${p("eventKind")} end
      where case_id in (select id from u) and to_office = ${p("office")} and closed_at is null`,
      ),
    );
  }
  if (shape.send) {
    out.push(
      cte(
        "ledger_send",
        sql`insert into case_transfers (case_id, kind, event_seq, from_office, to_office, sent_at, sent_by, due_on, report_due_on)
      select u.id, ${p("eventKind")}, ${p("eventSeq")}::int, ${p("office")}, u.office_code, ${p("now")}::timestamptz,
        ${p("eventActor")}, ${p("transferDue")}::date, ${p("reportDue")}::date from u`,
      ),
    );
  }
  if (shape.supervise) {
    out.push(
      cte(
        "ledger_supervise",
        sql`insert into case_supervisions (case_id, event_seq, at, by_office, by_actor, to_office, department, within_office, method, note)
      select u.id, ${p("eventSeq")}::int, ${p("now")}::timestamptz, ${p("eventOffice")}, ${p("eventActor")}, u.office_code,
        u.department, u.office_code = ${p("eventOffice")}, ${p("superviseMethod")}, ${p("superviseNote")} from u`,
      ),
    );
  }
  if (shape.reply) {
    out.push(
      cte(
        "ledger_reply",
        sql`update case_supervisions set replied_at = ${p("now")}::timestamptz, reply = ${p("replyBody")},
        replied_by = ${p("eventActor")}, reply_event_seq = ${p("eventSeq")}::int
      where case_id in (select id from u) and to_office = ${p("office")} and replied_at is null`,
      ),
    );
  }
  return out;
}

/**
 * 签收: the receiver's first claim of a case sent to it, as a CTE of the claim's statement
 * hanging off CTE `u` (the claimed case).
 */
export function signedCte(): WithSubquery {
  const p = (name: string) => sql.placeholder(name);
  return cte(
    "ledger_signed",
    sql`update case_transfers set claimed_at = ${p("now")}::timestamptz
    where case_id in (select id from u) and to_office in (select office_code from u)
      and closed_at is null and claimed_at is null`,
  );
}
