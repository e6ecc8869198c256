/**
 * The kinds of event on a case's trail (case_events.kind): the workflow's steps (WORKFLOW's
 * `event`), intake's `received`, the reporter's messages (an objection after 办结 among them),
 * identity requests and unseals, and the calendar's recomputed clocks. A new kind is declared
 * here before anything can append it.
 */
export const CASE_EVENT_KINDS = [
  "received",
  "registered",
  "declined",
  "transferred",
  "forwarded",
  "assigned",
  "escalated",
  "merged",
  "kept",
  // On the earlier case, when a repeat of it was merged into it or kept for reference (its office
  // is told, whichever office took the step).
  "repeat_merged",
  "repeat_kept",
  // The office's 信访室 (or a supervisor) assigned a handler (承办人) to the case (batch work).
  "handler_assigned",
  "in_progress",
  "concluded",
  "reported",
  "approved",
  "reworked",
  "feedback",
  "recheck_started",
  "returned",
  "message",
  "supervised",
  "supervision_replied",
  "reporter_message",
  "identity_requested",
  "identity_request_approved",
  "identity_request_denied",
  "identity_grant_expired",
  "identity_contact_viewed",
  "identity_unsealed",
  "clock_recomputed",
  // 领导批示, 书记阅批件 and 提级 (api/domain/leaders.ts), and printing a form with the reporter's name.
  "instruction_requested",
  "instructed",
  "leader_marked",
  "leader_closed",
  "pulled_up",
  "review_raised",
  "review_approved",
  "review_returned",
  "identity_printed",
] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];
