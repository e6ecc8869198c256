// Deadline rules as data. A clock starts when a case event of a kind in `startsOn` is appended
// (and the rule applies to the case), and stops on the first later event whose kind is in
// `stopsOn`. Every clock also stops when the case's handling ends (a terminal stage, or 办结 that
// waits only for 反馈: workflow.ts endsHandling); only the clocks the step itself starts run on.
// Each rule quotes where it comes from. A province adds or replaces rules in PROVINCE_CLOCK_RULES,
// an office (a city's own faster rule) in OFFICE_CLOCK_RULES, with the label in
// messages/labels.ts; nothing else changes.
import type { PublicStatus } from "./status";
import type { DispositionCode, OfficeLevel, Stage } from "./workflow";

/** Facts about a case a rule may depend on, as they stand right after the starting event. */
export interface ClockFacts {
  realName: boolean;
  disposition: string | null;
  officeLevel: OfficeLevel;
  type: string;
  /** The case is a repeat (重复件: merged into another). */
  repeat: boolean;
  publicStatus: PublicStatus;
  stage: Stage;
}

/** Each present field must match (AND); an absent field matches every case. */
export interface AppliesTo {
  realName?: boolean;
  dispositions?: DispositionCode[];
  officeLevels?: OfficeLevel[];
  types?: string[];
  repeat?: boolean;
  publicStatuses?: PublicStatus[];
  stages?: Stage[];
}

export type DueRule =
  | { workingDays: number }
  /** The due date is a `YYYY-MM-DD` field of the starting event's data (交办's dueOn). */
  | { eventDate: string };

/**
 * The day a working-day count starts: the starting event's day (`event`); the day the report was
 * first received by any office (`case_received`: what the reporter experiences, also after 转送);
 * or a `YYYY-MM-DD` field of the event's data (the 办结 date the office records).
 */
export type CountsFrom = "event" | "case_received" | { eventDate: string };

/** Where a rule comes from: the document, its article (null for a date set case by case), the words. */
export interface RuleSource {
  document: string;
  article: string | null;
  text: string;
}

export interface ClockRule {
  /**
   * Its label is messages/labels.ts CLOCK_RULE_LABELS[id] (a province's or an office's own rule:
   * PROVINCE_CLOCK_RULE_LABELS).
   */
  id: string;
  startsOn: string | readonly string[];
  stopsOn: readonly string[];
  due: DueRule;
  /** Default `event`. */
  countsFrom?: CountsFrom;
  /**
   * Which running clocks of the rule a stopping event stops: every one of the case (`case`, the
   * default), or only the one of the office the case is at (`office`: each level of a 交办 inside
   * a 交办 keeps its own report deadline).
   */
  stopScope?: "case" | "office";
  appliesTo: AppliesTo;
  source: RuleSource;
}

const RULES_2020 = "《纪检监察机关处理检举控告工作规则》（中共中央办公厅2020年1月印发）";

/** A case sent on (转送, 报送) leaves the receiving office's hands: it is 受理d, declined, merged or sent on. */
const RECEIVER_DECIDES = [
  "registered",
  "declined",
  "merged",
  "kept",
  "returned",
  "forwarded",
  "assigned",
  "escalated",
];

/** The rules every deployment runs, by id. */
const CORE_CLOCK_RULES = {
  // Real-name 检举控告 only (not 申诉, not 批评建议), not again for a 重复件 (merging one stops
  // its clock; a repeat never starts one). The clock follows the case when it is forwarded,
  // assigned, escalated or returned before anyone 受理s it, and counts from the day the report was
  // first received by any office (countsFrom "case_received"); a province that counts from the day
  // its office received the case sets countsFrom "event" on its own copy of this rule.
  accept_notice: {
    startsOn: ["received", "forwarded", "assigned", "escalated", "returned"],
    stopsOn: ["registered", "declined", "merged", "kept", "forwarded", "assigned", "escalated", "returned"],
    due: { workingDays: 15 },
    countsFrom: "case_received",
    appliesTo: { realName: true, types: ["accusation"], repeat: false, publicStatuses: ["received"] },
    source: {
      document: RULES_2020,
      article: "第十三条",
      text: "信访举报部门对属于本机关受理的实名检举控告，应当在收到检举控告之日起15个工作日内告知实名检举控告人受理情况。重复检举控告的，不再告知。",
    },
  },
  register_forwarded: {
    startsOn: ["forwarded"],
    stopsOn: RECEIVER_DECIDES,
    due: { workingDays: 5 },
    appliesTo: {},
    source: {
      document: RULES_2020,
      article: "第十六条第二款",
      text: "下一级纪检监察机关对转送的检举控告，应当进行登记，在收到之日起5个工作日内完成受理或者转办工作。",
    },
  },
  // 报送 upward: the same 5 working days as 转送, for the office above to 受理 or route it.
  register_escalated: {
    startsOn: ["escalated"],
    stopsOn: RECEIVER_DECIDES,
    due: { workingDays: 5 },
    appliesTo: {},
    source: {
      document: RULES_2020,
      article: "第十五条第一款",
      text: "纪检监察机关信访举报部门收到属于上级纪检监察机关受理的检举控告，应当径送本机关主要负责人，并在收到之日起5个工作日内报送上一级纪检监察机关信访举报部门。",
    },
  },
  // 反馈: from 办结 (the date the office records), from 销号 of an assigned case, or from the
  // approval of a conclusion held for 提级审核 (leaders' review_approved); real-name
  // 检举控告 only. Before issue 10 this clock started when 予以了结 was chosen, for every case.
  result_notice: {
    startsOn: ["concluded", "approved", "review_approved"],
    stopsOn: ["feedback"],
    due: { workingDays: 15 },
    countsFrom: { eventDate: "concludedOn" },
    appliesTo: { realName: true, types: ["accusation"], stages: ["awaiting_feedback"] },
    source: {
      document: RULES_2020,
      article: "第三十三条",
      text: "承办的监督检查、审查调查部门应当将实名检举控告的处理结果在办结之日起15个工作日内向检举控告人反馈，并记录反馈情况。",
    },
  },
  // The date the assigning office set (交办 or 退回重办); stopped by 报结 or 退回.
  assign_report: {
    startsOn: ["assigned", "reworked"],
    stopsOn: ["reported", "returned"],
    due: { eventDate: "dueOn" },
    stopScope: "office",
    appliesTo: {},
    source: {
      document: "交办函",
      article: null,
      text: "交办机关在交办时（或退回重办时）确定的报送办理结果期限。",
    },
  },
  // 异议 after 办结: the office sets the time when it takes the objection up.
  objection_check: {
    startsOn: ["recheck_started"],
    stopsOn: ["concluded", "reported"],
    due: { eventDate: "dueOn" },
    appliesTo: {},
    source: {
      document: RULES_2020,
      article: "第三十三条",
      text: "检举控告人提出异议的，承办部门应当如实记录，并予以说明；提供新的证据材料的，承办部门应当核查处理。",
    },
  },
} satisfies Record<string, Omit<ClockRule, "id">>;

export type ClockRuleId = keyof typeof CORE_CLOCK_RULES;

export const CLOCK_RULES: ClockRule[] = Object.entries(CORE_CLOCK_RULES).map(([id, rule]) => ({
  id,
  ...rule,
}));

/**
 * A province's own rules, by province code, added to CLOCK_RULES (one with a core rule's id
 * replaces it). For example a rule that handling starts within 3 working days of registration:
 *   { id: "start_handling", startsOn: ["registered"], stopsOn: ["in_progress", "forwarded", …],
 *     due: { workingDays: 3 }, appliesTo: {}, source: { document, article, text } }
 * or the 受理告知 clock counted from the day the office holding the case received it:
 *   { ...CLOCK_RULES.find((r) => r.id === "accept_notice")!, countsFrom: "event" }
 */
export const PROVINCE_CLOCK_RULES: Record<string, ClockRule[]> = {
  "430000": [],
};

/**
 * An office's own rules, by its division code, on top of its province's (one with the same id
 * replaces it), e.g. a city that registers forwarded cases within 3 working days.
 */
export const OFFICE_CLOCK_RULES: Record<string, ClockRule[]> = {};

/** The rules a clock runs under at `officeCode` (when given) of `province`. */
export function clockRulesFor(province: string, officeCode?: string): ClockRule[] {
  const byId = new Map<string, ClockRule>();
  const layers = [CLOCK_RULES, PROVINCE_CLOCK_RULES[province] ?? []];
  if (officeCode !== undefined) layers.push(OFFICE_CLOCK_RULES[officeCode] ?? []);
  for (const layer of layers) for (const r of layer) byId.set(r.id, r);
  return [...byId.values()];
}

/** The kinds of event that start `rule`. */
export function startKinds(rule: ClockRule): readonly string[] {
  return typeof rule.startsOn === "string" ? [rule.startsOn] : rule.startsOn;
}

export function ruleApplies(rule: ClockRule, facts: ClockFacts): boolean {
  const a = rule.appliesTo;
  if (a.realName !== undefined && a.realName !== facts.realName) return false;
  if (a.dispositions && !(facts.disposition && (a.dispositions as string[]).includes(facts.disposition)))
    return false;
  if (a.officeLevels && !a.officeLevels.includes(facts.officeLevel)) return false;
  if (a.types && !a.types.includes(facts.type)) return false;
  if (a.repeat !== undefined && a.repeat !== facts.repeat) return false;
  if (a.publicStatuses && !a.publicStatuses.includes(facts.publicStatus)) return false;
  if (a.stages && !a.stages.includes(facts.stage)) return false;
  return true;
}
