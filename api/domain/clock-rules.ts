// Deadline rules as data. A clock starts when a case event of kind `startsOn` is appended (and
// the rule applies to the case), and stops on the first later event whose kind is in `stopsOn`.
// Every clock also stops when the case reaches a terminal stage (declined, concluded, merged):
// a finished case has no running deadline. A province adds its own rule by adding data to
// PROVINCE_CLOCK_RULES (and its label to messages/labels.ts); nothing else changes.
import type { DispositionCode, OfficeLevel } from "./workflow";

/** Facts about a case a rule may depend on, as they stand right after the starting event. */
export interface ClockFacts {
  realName: boolean;
  disposition: string | null;
  officeLevel: OfficeLevel;
  type: string;
}

/** Each present field must match (AND); an absent field matches every case. */
export interface AppliesTo {
  realName?: boolean;
  dispositions?: DispositionCode[];
  officeLevels?: OfficeLevel[];
  types?: string[];
}

export type DueRule =
  | { workingDays: number }
  /** The due date is a `YYYY-MM-DD` field of the starting event's data (交办's dueOn). */
  | { eventDate: string };

export interface ClockRule {
  /** Its label is messages/labels.ts CLOCK_RULE_LABELS[id] (a province's: PROVINCE_CLOCK_RULE_LABELS). */
  id: string;
  startsOn: string;
  stopsOn: string[];
  due: DueRule;
  appliesTo: AppliesTo;
}

/** The rules every deployment runs, by id; each comment cites where the rule comes from. */
const CORE_CLOCK_RULES = {
  // 纪检监察机关处理检举控告工作规则：实名检举控告，应当在收到之日起15个工作日内告知是否受理
  accept_notice: {
    startsOn: "received",
    stopsOn: ["registered", "declined"],
    due: { workingDays: 15 },
    appliesTo: { realName: true },
  },
  // 纪检监察机关处理检举控告工作规则：转送件应当在收到之日起5个工作日内登记受理
  register_forwarded: {
    startsOn: "forwarded",
    stopsOn: ["registered", "declined", "returned", "forwarded", "escalated", "assigned"],
    due: { workingDays: 5 },
    appliesTo: {},
  },
  // 纪检监察机关处理检举控告工作规则：办结后15个工作日内将处理结果告知实名检举控告人
  result_notice: {
    startsOn: "in_progress",
    stopsOn: ["concluded"],
    due: { workingDays: 15 },
    appliesTo: { dispositions: ["close"] },
  },
  // 交办时确定的报结时限
  assign_report: {
    startsOn: "assigned",
    stopsOn: ["concluded", "returned", "declined"],
    due: { eventDate: "dueOn" },
    appliesTo: {},
  },
} satisfies Record<string, Omit<ClockRule, "id">>;

export type ClockRuleId = keyof typeof CORE_CLOCK_RULES;

export const CLOCK_RULES: ClockRule[] = Object.entries(CORE_CLOCK_RULES).map(([id, rule]) => ({
  id,
  ...rule,
}));

/**
 * A province's own rules, by province code, added to CLOCK_RULES. For example a rule that
 * handling starts within 3 working days of registration:
 *   { id: "start_handling", startsOn: "registered", stopsOn: ["in_progress", "forwarded", …],
 *     due: { workingDays: 3 }, appliesTo: {} }
 */
export const PROVINCE_CLOCK_RULES: Record<string, ClockRule[]> = {
  "430000": [],
};

export function clockRulesFor(province: string): ClockRule[] {
  return [...CLOCK_RULES, ...(PROVINCE_CLOCK_RULES[province] ?? [])];
}

export function ruleApplies(rule: ClockRule, facts: ClockFacts): boolean {
  const a = rule.appliesTo;
  if (a.realName !== undefined && a.realName !== facts.realName) return false;
  if (a.dispositions && !(facts.disposition && (a.dispositions as string[]).includes(facts.disposition)))
    return false;
  if (a.officeLevels && !a.officeLevels.includes(facts.officeLevel)) return false;
  if (a.types && !a.types.includes(facts.type)) return false;
  return true;
}
