// Deadline rules as data. A clock starts when a case event of kind `startsOn` is appended (and
// the rule applies to the case), and stops on the first later event whose kind is in `stopsOn`.
// Every clock also stops when the case reaches a terminal stage (declined, concluded, merged):
// a finished case has no running deadline. A province adds its own rule by adding data to
// PROVINCE_CLOCK_RULES; nothing else changes.
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
  id: string;
  startsOn: string;
  stopsOn: string[];
  due: DueRule;
  appliesTo: AppliesTo;
  label: { zh: string; en: string };
  /** Where the rule comes from, shown to staff. */
  source?: string;
}

/** The rules every deployment runs. */
export const CLOCK_RULES: ClockRule[] = [
  {
    id: "accept_notice",
    startsOn: "received",
    stopsOn: ["registered", "declined"],
    due: { workingDays: 15 },
    appliesTo: { realName: true },
    label: { zh: "告知实名举报人受理情况", en: "Tell the real-name reporter whether the case is accepted" },
    source: "纪检监察机关处理检举控告工作规则：实名检举控告，应当在收到之日起15个工作日内告知是否受理",
  },
  {
    id: "register_forwarded",
    startsOn: "forwarded",
    stopsOn: ["registered", "declined", "returned", "forwarded", "escalated", "assigned"],
    due: { workingDays: 5 },
    appliesTo: {},
    label: { zh: "下级机关登记受理转送件", en: "Lower office registers the forwarded case" },
    source: "纪检监察机关处理检举控告工作规则：转送件应当在收到之日起5个工作日内登记受理",
  },
  {
    id: "result_notice",
    startsOn: "in_progress",
    stopsOn: ["concluded"],
    due: { workingDays: 15 },
    appliesTo: { dispositions: ["close"] },
    label: { zh: "予以了结后答复处理结果", en: "Give the result after closing" },
    source: "纪检监察机关处理检举控告工作规则：办结后15个工作日内将处理结果告知实名检举控告人",
  },
  {
    id: "assign_report",
    startsOn: "assigned",
    stopsOn: ["concluded", "returned", "declined"],
    due: { eventDate: "dueOn" },
    appliesTo: {},
    label: { zh: "交办件报送办理结果", en: "Report the result of an assigned case" },
    source: "交办时确定的报结时限",
  },
];

/**
 * A province's own rules, by province code, added to CLOCK_RULES. For example a rule that
 * handling starts within 3 working days of registration:
 *   { id: "start_handling", startsOn: "registered", stopsOn: ["in_progress", "forwarded", …],
 *     due: { workingDays: 3 }, appliesTo: {}, label: { zh: "受理后启动办理", en: "…" } }
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

export function ruleLabel(rules: ClockRule[], id: string, lang: "zh" | "en" = "zh"): string {
  return rules.find((r) => r.id === id)?.label[lang] ?? id;
}
