// Labels of the domain's codes (api/domain/): the words shown for a stage, an action, a status,
// a category, a clock rule. The domain keeps the codes; test/unit/labels.test.ts checks that each
// map here has exactly the domain's codes as keys, so a code without a label fails to compile.
// zh-CN first, en second.
import type { Lang, Text } from "./text";

/** Stages of a case at the office that holds it (api/domain/workflow.ts STAGES), for the console. */
export const STAGE_LABELS = {
  received: { zh: "待受理", en: "Awaiting registration" },
  registered: { zh: "已受理", en: "Registered" },
  handling: { zh: "办理中", en: "Being handled" },
  declined: { zh: "不予受理", en: "Declined" },
  concluded: { zh: "已办结", en: "Concluded" },
  merged: { zh: "已合并", en: "Merged" },
  kept: { zh: "留存备查", en: "Kept for reference" },
} as const satisfies Record<string, Text>;

/** The workflow's actions (api/domain/workflow.ts ACTIONS): buttons and form titles. */
export const ACTION_LABELS = {
  register: { zh: "受理", en: "Register" },
  decline: { zh: "不予受理", en: "Decline" },
  transfer: { zh: "移送（本机关承办部门）", en: "Transfer to a department" },
  forward: { zh: "转送下级机关", en: "Forward to a lower office" },
  assign: { zh: "交办下级机关", en: "Assign to a lower office" },
  escalate: { zh: "报送上级机关", en: "Refer to the parent office" },
  merge: { zh: "合并（重复件并入在先信访件）", en: "Merge into the earlier case" },
  keep: { zh: "留存备查（重复件）", en: "Keep for reference (repeat)" },
  dispose: { zh: "确定处置方式", en: "Choose a disposition" },
  conclude: { zh: "办结并答复", en: "Conclude and reply" },
  return: { zh: "退回", en: "Return to the sending office" },
  message: { zh: "给举报人留言", en: "Message the reporter" },
  release: { zh: "取消签收", en: "Cancel signing for" },
  supervise: { zh: "督办", en: "Press (督办)" },
  respond: { zh: "回复督办", en: "Answer the press (督办)" },
} as const satisfies Record<string, Text>;

/** Management level (管理权限) of the person reported (api/domain/routing.ts MANAGEMENT_LEVELS). */
export const LEVEL_LABELS = {
  province: { zh: "省管干部", en: "Province-managed" },
  city: { zh: "市管干部", en: "City-managed" },
  county: { zh: "县管干部", en: "County-managed" },
  other: { zh: "一般干部及其他", en: "Other" },
  unknown: { zh: "不清楚", en: "Not known" },
} as const satisfies Record<string, Text>;

/** How a 信访件 arrived (api/domain/channels.ts CHANNELS). */
export const CHANNEL_LABELS = {
  online: { zh: "网络举报", en: "Online" },
  letter: { zh: "来信", en: "Letter" },
  visit: { zh: "来访", en: "Visit" },
  phone: { zh: "来电", en: "Telephone" },
  hotline_12388: { zh: "12388举报电话", en: "The 12388 hotline" },
  assigned: { zh: "上级交办", en: "Assigned from above" },
} as const satisfies Record<string, Text>;

/** How a 督办 was made (api/domain/ledgers.ts SUPERVISION_METHODS). */
export const SUPERVISION_METHOD_LABELS = {
  phone: { zh: "电话督办", en: "By telephone" },
  letter: { zh: "发函督办", en: "By letter" },
  onsite: { zh: "实地督办", en: "On site" },
} as const satisfies Record<string, Text>;

/** The sends in the 转送/交办 ledger (api/domain/ledgers.ts TRANSFER_KINDS). */
export const TRANSFER_KIND_LABELS = {
  forwarded: { zh: "转送", en: "Forwarded" },
  assigned: { zh: "交办", en: "Assigned" },
  escalated: { zh: "报送", en: "Referred up" },
} as const satisfies Record<string, Text>;

/** Where a send stands at the receiving office (api/domain/ledgers.ts TRANSFER_STATES). */
export const TRANSFER_STATE_LABELS = {
  pending: { zh: "待签收", en: "Not yet signed for" },
  claimed: { zh: "已签收", en: "Signed for" },
  registered: { zh: "已受理", en: "Registered" },
  closed: { zh: "已处理", en: "Dealt with" },
} as const satisfies Record<string, Text>;

/** The receiver's step that closed a send (api/domain/ledgers.ts TRANSFER_STEP_KINDS, but 受理). */
export const TRANSFER_CLOSED_LABELS = {
  registered: { zh: "已受理", en: "Registered" },
  declined: { zh: "不予受理", en: "Declined" },
  returned: { zh: "退回", en: "Returned" },
  forwarded: { zh: "再转送", en: "Forwarded on" },
  assigned: { zh: "再交办", en: "Assigned on" },
  escalated: { zh: "报送上级", en: "Referred up" },
  merged: { zh: "并案处理", en: "Merged" },
  kept: { zh: "留存备查", en: "Kept for reference" },
  concluded: { zh: "已办结", en: "Concluded" },
} as const satisfies Record<string, Text>;

/** 问题线索处置方式 (api/domain/workflow.ts DISPOSITIONS). */
export const DISPOSITION_LABELS = {
  talk_inquiry: { zh: "谈话函询", en: "Talk or written inquiry" },
  preliminary_verification: { zh: "初步核实", en: "Preliminary verification" },
  hold: { zh: "暂存待查", en: "Hold for later" },
  close: { zh: "予以了结", en: "Close" },
  investigation: { zh: "移送审查调查", en: "Refer for investigation" },
} as const satisfies Record<string, Text>;

/** Reporter-facing statuses (api/domain/status.ts PUBLIC_STATUSES). */
export const STATUS_LABELS = {
  received: { zh: "已接收", en: "Received" },
  accepted: { zh: "已受理", en: "Accepted" },
  not_accepted: { zh: "不予受理", en: "Not accepted" },
  in_progress: { zh: "办理中", en: "In progress" },
  concluded: { zh: "已办结", en: "Concluded" },
  kept: { zh: "已留存备查", en: "Kept on file" },
} as const satisfies Record<string, Text>;

/** The case events a reporter may see on /track (api/domain/status.ts PUBLIC_EVENT_KINDS). */
export const PUBLIC_EVENT_LABELS = {
  received: { zh: "举报已接收", en: "Report received" },
  registered: { zh: "已受理", en: "Accepted" },
  declined: { zh: "不予受理", en: "Not accepted" },
  forwarded: { zh: "已转有关机关办理", en: "Forwarded to the competent office" },
  assigned: { zh: "已交有关机关办理", en: "Assigned to the competent office" },
  escalated: { zh: "已报上级机关办理", en: "Referred to a higher office" },
  in_progress: { zh: "正在办理", en: "Being handled" },
  concluded: { zh: "已办结", en: "Concluded" },
  message: { zh: "办理机关留言", en: "Message from the office" },
  reporter_message: { zh: "举报人补充材料", en: "Reporter added information" },
  merged: { zh: "已并案办理", en: "Merged with an earlier report on the same matter" },
  pulled_up: { zh: "已由上级机关提级办理", en: "Taken up by a higher office" },
  review_approved: { zh: "已办结", en: "Concluded" },
  kept: {
    zh: "同一事项此前已有反映，本件留存备查",
    en: "The same matter was reported before: this report is kept on file",
  },
} as const satisfies Record<string, Text>;

/** The leader actions (api/domain/leaders.ts LEADER_ACTIONS): buttons and form titles. */
export const LEADER_ACTION_LABELS = {
  submit_instruction: { zh: "呈领导批示", en: "Put before a leader" },
  instruct: { zh: "领导批示", en: "Write the leader's instruction" },
  mark: { zh: "列为书记阅批件", en: "Mark for the secretary's instruction" },
  close: { zh: "销号", en: "Close the item" },
  supervise: { zh: "督办批示", en: "Press with an instruction" },
  pull_up: { zh: "提级办理", en: "Take the case up" },
  review_up: { zh: "提级审核", en: "Review the conclusion from above" },
  approve_review: { zh: "审核同意办结", en: "Approve the conclusion" },
  return_review: { zh: "审核退回重办", en: "Send back to be handled again" },
} as const satisfies Record<string, Text>;

/** The 书记阅批件 rules (api/domain/leaders.ts PROVINCE_LEADER_RULES), by rule id. */
export const LEADER_RULE_LABELS: Record<string, Text> = {
  city_cadre: { zh: "涉及市管干部（市级机关）", en: "About a city-managed cadre (city office)" },
};

/**
 * 六项纪律 and their second-level items, 涉嫌职务违法、职务犯罪, and everything else
 * (api/domain/categories.ts CATEGORY_CODES; CATEGORY_PARENTS says which items are second-level).
 */
export const CATEGORY_LABELS = {
  political: { zh: "违反政治纪律", en: "Political discipline" },
  organizational: { zh: "违反组织纪律", en: "Organizational discipline" },
  integrity: { zh: "违反廉洁纪律", en: "Integrity discipline" },
  eight_point_rules: {
    zh: "违反中央八项规定精神",
    en: "Breaking the Central Committee's eight-point rules on conduct",
  },
  mass: { zh: "违反群众纪律", en: "Discipline towards the public" },
  work: { zh: "违反工作纪律", en: "Work discipline" },
  formalism_bureaucratism: { zh: "形式主义、官僚主义", en: "Formalism and bureaucratism" },
  life: { zh: "违反生活纪律", en: "Discipline in private life" },
  duty_crime: {
    zh: "涉嫌职务违法、职务犯罪",
    en: "Suspected duty-related violations of law and duty-related crimes",
  },
  other: { zh: "其他", en: "Other" },
} as const satisfies Record<string, Text>;

/** Kinds of report (api/domain/categories.ts REPORT_TYPES). */
export const REPORT_TYPE_LABELS = {
  accusation: { zh: "检举控告", en: "Accusation" },
  appeal: { zh: "申诉", en: "Appeal" },
  suggestion: { zh: "批评建议", en: "Criticism or suggestion" },
  other: { zh: "其他", en: "Other" },
} as const satisfies Record<string, Text>;

/** The deadline rules every deployment runs (api/domain/clock-rules.ts), by rule id. */
export const CLOCK_RULE_LABELS = {
  accept_notice: {
    zh: "告知实名举报人受理情况",
    en: "Tell the real-name reporter whether the case is accepted",
  },
  register_forwarded: { zh: "下级机关登记受理转送件", en: "Lower office registers the forwarded case" },
  result_notice: { zh: "予以了结后答复处理结果", en: "Give the result after closing" },
  assign_report: { zh: "交办件报送办理结果", en: "Report the result of an assigned case" },
} as const satisfies Record<string, Text>;

/**
 * Labels of a province's own clock rules (api/domain/clock-rules.ts PROVINCE_CLOCK_RULES), by
 * rule id: a province adds its rule there and its label here, e.g.
 *   start_handling: { zh: "受理后启动办理", en: "Start handling after registration" }
 */
export const PROVINCE_CLOCK_RULE_LABELS: Record<string, Text> = {};

/** An attachment, named by its place in the report (附件1.pdf): never by the name it was uploaded under. */
export const ATTACHMENT_LABEL = { zh: "附件", en: "Attachment" } as const satisfies Text;

/** Looks a code up in a label map; a code it does not know is shown as itself. */
function labelOf(labels: Record<string, Text>, code: string): Text {
  return Object.hasOwn(labels, code) ? labels[code] : { zh: code, en: code };
}

export function stageLabel(stage: string, lang: Lang = "zh"): string {
  return labelOf(STAGE_LABELS, stage)[lang];
}

export function statusLabel(status: string, lang: Lang = "zh"): string {
  return labelOf(STATUS_LABELS, status)[lang];
}

export function eventLabel(kind: string, lang: Lang = "zh"): string {
  return labelOf(PUBLIC_EVENT_LABELS, kind)[lang];
}

export function dispositionLabel(code: string, lang: Lang = "zh"): string {
  return labelOf(DISPOSITION_LABELS, code)[lang];
}

export function categoryLabel(code: string, lang: Lang = "zh"): string {
  return labelOf(CATEGORY_LABELS, code)[lang];
}

export function reportTypeLabel(code: string, lang: Lang = "zh"): string {
  return labelOf(REPORT_TYPE_LABELS, code)[lang];
}

/** Both languages of a clock rule's label (the staff API answers both). */
export function clockRuleLabel(id: string): Text {
  return Object.hasOwn(CLOCK_RULE_LABELS, id)
    ? CLOCK_RULE_LABELS[id as keyof typeof CLOCK_RULE_LABELS]
    : labelOf(PROVINCE_CLOCK_RULE_LABELS, id);
}
