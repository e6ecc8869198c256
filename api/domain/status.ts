/** Reporter-facing statuses (DESIGN.md). Their words live in messages/labels.ts. */
/**
 * `kept` (已留存备查): a repeat of a matter already reported, kept for reference and not handled
 * again. A merged repeat has no status of its own: it shows the status of the case it joined.
 */
export const PUBLIC_STATUSES = [
  "received",
  "accepted",
  "not_accepted",
  "in_progress",
  "concluded",
  "kept",
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** The kinds of case event a reporter may see on /track (events with is_public). */
export const PUBLIC_EVENT_KINDS = [
  "received",
  "registered",
  "declined",
  "forwarded",
  "assigned",
  "escalated",
  "in_progress",
  "concluded",
  "approved",
  "feedback",
  "recheck_started",
  "message",
  "reporter_message",
  "merged",
  // 提级办理: the case went up to a higher office; 提级审核: the higher office approved the conclusion.
  "pulled_up",
  "review_approved",
  "kept",
] as const;
export type PublicEventKind = (typeof PUBLIC_EVENT_KINDS)[number];
