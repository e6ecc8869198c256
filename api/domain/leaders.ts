// 领导批示, 书记阅批件 and 提级办理/提级审核 (issue 11 §6) as pure rules: who may take which
// leader action on a case, which cases an office's rules make 书记阅批件, and when a conclusion
// waits for the higher office's review. Codes only: the words live in messages/labels.ts.
import type { Role } from "../context";
import type { ManagementLevel } from "./routing";
import type { OfficeLevel, Stage } from "./workflow";

/**
 * The leader actions (POST /api/v1/staff/cases/{id}/leader-actions):
 * - submit_instruction 呈批: the 信访室 (intake or handler) puts the case before the office's leader
 *   with a 拟办意见;
 * - instruct 批示: a leader of that office writes the 批示 (text and the date signed);
 * - mark 列为书记阅批件: by hand (the office's rules mark some cases by themselves);
 * - close 销号: the leader closes a concluded 书记阅批件;
 * - supervise 督办批示: the leader presses a 书记阅批件 not yet concluded (a 督办 the office answers);
 * - pull_up 提级办理: a higher office takes the case of an office below up to itself;
 * - review_up 提级审核: a higher office leaves the handling below but reviews its conclusion;
 * - approve_review / return_review: the reviewing office lets the held conclusion reach the
 *   reporter (已办结), or sends the case back to be handled again.
 */
export const LEADER_ACTIONS = [
  "submit_instruction",
  "instruct",
  "mark",
  "close",
  "supervise",
  "pull_up",
  "review_up",
  "approve_review",
  "return_review",
] as const;
export type LeaderAction = (typeof LEADER_ACTIONS)[number];

export function isLeaderAction(s: unknown): s is LeaderAction {
  return typeof s === "string" && (LEADER_ACTIONS as readonly string[]).includes(s);
}

const ACTIVE: readonly Stage[] = ["received", "registered", "handling"];
const TERMINAL: readonly Stage[] = ["declined", "concluded", "merged"];

/** What the rules need to know about the case and the caller. */
export interface LeaderFacts {
  stage: Stage;
  /** The case is held by the caller's own office. */
  atOwnOffice: boolean;
  /** The caller's office is strictly above the office holding the case. */
  fromAbove: boolean;
  /** The case is in the caller's office's 书记阅批件 ledger (marked by hand or by rule). */
  inLedger: boolean;
  /** The caller's office has 销号'd it. */
  closed: boolean;
  /** A 呈批 of the caller's office awaits its 批示. */
  instructionPending: boolean;
  /** The office that reviews the conclusion (提级审核), or null. */
  reviewOffice: string | null;
  /** The conclusion waits for that review (concluded, not yet shown to the reporter). */
  reviewHeld: boolean;
  /** The caller's office. */
  office: string;
}

export type LeaderVerdict = { ok: true } | { ok: false; why: "forbidden" | "illegal" };

const has = (roles: readonly Role[], ...want: Role[]) => want.some((r) => roles.includes(r));

/**
 * May someone with `roles` take `action` now? `forbidden` (403): their roles or their place never
 * allow it; `illegal` (409): not in the case's present state. Scope (404) is the caller's.
 */
export function judgeLeader(action: LeaderAction, f: LeaderFacts, roles: readonly Role[]): LeaderVerdict {
  const forbidden = { ok: false, why: "forbidden" } as const;
  const illegal = { ok: false, why: "illegal" } as const;
  const ok = { ok: true } as const;
  switch (action) {
    case "submit_instruction":
      if (!f.atOwnOffice || !has(roles, "intake", "handler")) return forbidden;
      return f.stage === "merged" || f.instructionPending ? illegal : ok;
    case "instruct":
      if (!f.atOwnOffice || !has(roles, "leader")) return forbidden;
      return f.instructionPending ? ok : illegal;
    case "mark":
      if (!f.atOwnOffice || !has(roles, "intake", "handler", "leader")) return forbidden;
      return f.inLedger || f.stage === "merged" ? illegal : ok;
    case "close":
      // Only the office holding the case or one above it: a ledger entry left at an office the
      // case has since gone above (报送, 提级) gives it no say over the higher office's case.
      if (!has(roles, "leader") || !f.inLedger || !(f.atOwnOffice || f.fromAbove)) return forbidden;
      return !f.closed && TERMINAL.includes(f.stage) && !f.reviewHeld ? ok : illegal;
    case "supervise":
      if (!has(roles, "leader") || !f.inLedger || !(f.atOwnOffice || f.fromAbove)) return forbidden;
      return ACTIVE.includes(f.stage) && !f.closed ? ok : illegal;
    case "pull_up":
      if (!f.fromAbove || !has(roles, "leader", "supervisor")) return forbidden;
      return ACTIVE.includes(f.stage) ? ok : illegal;
    case "review_up":
      if (!f.fromAbove || !has(roles, "leader", "supervisor")) return forbidden;
      return ACTIVE.includes(f.stage) && f.reviewOffice === null ? ok : illegal;
    case "approve_review":
    case "return_review":
      // The reviewing office must still be above the office holding the case (a review is
      // cleared when the case moves to or above it; this is the belt to that brace).
      if (!has(roles, "leader", "supervisor") || f.reviewOffice !== f.office || !f.fromAbove)
        return forbidden;
      return f.reviewHeld ? ok : illegal;
  }
}

/** The leader actions open to `roles` now, in LEADER_ACTIONS order. */
export function allowedLeaderActions(f: LeaderFacts, roles: readonly Role[]): LeaderAction[] {
  return LEADER_ACTIONS.filter((a) => judgeLeader(a, f, roles).ok);
}

/**
 * 提级审核: a conclusion at the office below is held for the reviewing office. The `conclude`
 * step checks this (api/services/cases/act.ts): the case is concluded there, but the reporter's
 * status and the public 已办结 wait for approve_review.
 */
export function holdsConclusion(action: string, reviewOffice: string | null): boolean {
  return action === "conclude" && reviewOffice !== null;
}

/**
 * The 提级审核 that survives a move of the case to `newOffice`: the review stays only while the
 * reviewing office is strictly above the office holding the case (报送 to or above the reviewer,
 * or 提级办理 by it, leaves nothing to review from above).
 */
export function reviewAfterMove(
  reviewOffice: string | null,
  newOffice: string,
  isSameOrAbove: (upper: string, lower: string) => boolean,
): string | null {
  if (reviewOffice === null || reviewOffice === newOffice) return null;
  return isSameOrAbove(reviewOffice, newOffice) ? reviewOffice : null;
}

/**
 * A 呈批's 拟办意见 is the internal proposal of the office that wrote it: an office below it (the
 * case went down, or it was pulled up from there) sees that a 呈批 was made and the 批示, not the
 * proposal. `data` of an `instruction_requested` event written above the viewer loses `proposal`.
 */
export function eventDataForViewer(
  kind: string,
  data: Record<string, unknown>,
  writtenAtOrBelowViewer: boolean,
): Record<string, unknown> {
  if (kind !== "instruction_requested" || writtenAtOrBelowViewer) return data;
  const { proposal: _hidden, ...rest } = data;
  return rest;
}

/** A held conclusion: concluded below, under review, not yet shown to the reporter. */
export function isReviewHeld(c: {
  stage: Stage;
  reviewOffice: string | null;
  publicStatus: string;
}): boolean {
  return c.reviewOffice !== null && c.stage === "concluded" && c.publicStatus !== "concluded";
}

/**
 * 书记阅批件 rules as data, keyed like the clock rules (api/domain/clock-rules.ts): a case that
 * arrives at an office the rule applies to becomes a 书记阅批件 of that office. Each present field
 * must match; an absent one matches every case. A rule's label is messages/labels.ts
 * LEADER_RULE_LABELS[id].
 */
export interface LeaderRule {
  id: string;
  appliesTo: {
    /** Offices of these levels… */
    officeLevels?: OfficeLevel[];
    /** …or only these offices (division codes). */
    offices?: string[];
    /** The person reported is managed at this level (市管干部: city). */
    subjectLevels?: ManagementLevel[];
  };
}

/**
 * The rules of each province. Hunan: every report about a 市管干部 at a city office is a
 * 书记阅批件 (the seed's 湘潭 practice: 涉及市管干部的信访件一律报书记阅批).
 */
export const PROVINCE_LEADER_RULES: Record<string, LeaderRule[]> = {
  "430000": [{ id: "city_cadre", appliesTo: { officeLevels: ["city"], subjectLevels: ["city"] } }],
};

export function leaderRulesFor(province: string): LeaderRule[] {
  return PROVINCE_LEADER_RULES[province] ?? [];
}

/** The first rule that makes the case a 书记阅批件 at `office`, or undefined. */
export function leaderRuleFor(
  rules: readonly LeaderRule[],
  office: { code: string; level: OfficeLevel },
  subjectLevel: string | null,
): LeaderRule | undefined {
  return rules.find((r) => {
    const a = r.appliesTo;
    if (a.officeLevels && !a.officeLevels.includes(office.level)) return false;
    if (a.offices && !a.offices.includes(office.code)) return false;
    if (a.subjectLevels && !(subjectLevel && (a.subjectLevels as string[]).includes(subjectLevel)))
      return false;
    return true;
  });
}

/** The years a ledger month may name (a month outside them is a 422, not a RangeError). */
export const MIN_LEDGER_YEAR = 1990;
export const MAX_LEDGER_YEAR = 2999;

/** The first and last instant of a month (YYYY-MM) in Asia/Shanghai, as half-open [start, end). */
export function monthBounds(month: string): { start: Date; end: Date; lastDay: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (!isMonth(month)) throw new Error(`not a month: ${month}`);
  const pad = (n: number) => String(n).padStart(2, "0");
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${pad(mo + 1)}`;
  const start = new Date(`${month}-01T00:00:00+08:00`);
  const end = new Date(`${next}-01T00:00:00+08:00`);
  const lastDay = new Date(end.getTime() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  return { start, end, lastDay };
}

export function isMonth(s: unknown): s is string {
  if (typeof s !== "string" || !/^\d{4}-\d{2}$/.test(s)) return false;
  const y = Number(s.slice(0, 4));
  const mo = Number(s.slice(5));
  // Ledgers look back twelve months and forward one: keep every bound a valid date.
  return y >= MIN_LEDGER_YEAR && y <= MAX_LEDGER_YEAR && mo >= 1 && mo <= 12;
}
