/**
 * How a 信访件 reached the office (来信、来访、来电、12388、上级交办, or this portal). A first-class
 * field: staff register what arrives off-line, and the statistics count by it. The words live in
 * messages/labels.ts (CHANNEL_LABELS).
 */
export const CHANNELS = ["online", "letter", "visit", "phone", "hotline_12388", "assigned"] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channels a member of staff registers by hand (everything but this portal's own form). */
export const STAFF_CHANNELS = [
  "letter",
  "visit",
  "phone",
  "hotline_12388",
  "assigned",
] as const satisfies readonly Channel[];
export type StaffChannel = (typeof STAFF_CHANNELS)[number];
