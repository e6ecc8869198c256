// Field errors of the staff API and the admin CLI, one closed list per form, by code. The API
// answers them in both languages ("中文 English"); the console's pages show the Chinese. A form's
// list may reuse the public codes (messages/errors.ts) where the words are the same.
import { FIELD_MESSAGES } from "./errors";
import type { Lang, Message, Text } from "./text";

/** The workflow's action forms (api/services/cases/inputs.ts): its own codes, then the public ones. */
export const WORKFLOW_FIELD_MESSAGES = {
  ...FIELD_MESSAGES,
  "office.unknown": { zh: "请选择本机关的下级纪委监委。", en: "Choose an office below your own." },
  "office.not_lower": {
    zh: "只能转送或交办给本机关的下级纪委监委。",
    en: "Forward or assign only to an office below your own.",
  },
  "dueDate.invalid": {
    zh: "请填写不早于今天的日期，格式如 2026-10-30。",
    en: "Give a date from today on, like 2026-10-30.",
  },
  "concludedOn.invalid": {
    zh: "办结日期应不早于收到举报之日、不晚于今天，格式如 2026-10-30。",
    en: "The date of conclusion must fall between the day the report came in and today, like 2026-10-30.",
  },
  "givenOn.invalid": {
    zh: "反馈日期应不早于办结之日、不晚于今天，格式如 2026-10-30。",
    en: "The date of feedback must fall between the day of conclusion and today, like 2026-10-30.",
  },
  "workingDays.invalid": {
    zh: "请填写 1 至 60 之间的工作日数。",
    en: "Give a number of working days from 1 to 60.",
  },
  "recheck.due_too_late": {
    zh: "核查截止日期应在今天至 60 个工作日之内，格式如 2026-10-30。",
    en: "The recheck is due from today to 60 working days ahead, like 2026-10-30.",
  },
  "recheck.due_required": {
    zh: "请填写核查截止日期，或核查所需的工作日数（二者选一）。",
    en: "Give either the date the recheck is due or the number of working days it takes (one of the two).",
  },
  "assignee.unknown": {
    zh: "请选择本机关一位在岗的承办人员。",
    en: "Choose an active handler of your office.",
  },
  "into.required": {
    zh: "本件没有唯一的在先重复件：请填写要留存备查所对应的在先信访件。",
    en: "This case has no single earlier repeat: give the earlier case it is kept as a repeat of.",
  },
  "caseId.unknown": {
    zh: "请填写本机关另一件未合并信访件的编号。",
    en: "Give the id of another case of your office that is not merged itself.",
  },
  "leaseToken.invalid": {
    zh: "签收凭证无效，请重新签收本件。",
    en: "The lease token is not valid: sign for the case again.",
  },
} as const satisfies Record<string, Text>;

export type WorkflowFieldCode = keyof typeof WORKFLOW_FIELD_MESSAGES;

export function isWorkflowFieldCode(code: string): code is WorkflowFieldCode {
  return Object.hasOwn(WORKFLOW_FIELD_MESSAGES, code);
}

/** The message for a workflow code read back from an answer (an unknown code: "wrong format"). */
export function workflowFieldMessage(code: string, lang: Lang = "zh"): string {
  return (isWorkflowFieldCode(code) ? WORKFLOW_FIELD_MESSAGES[code] : WORKFLOW_FIELD_MESSAGES.invalid_type)[
    lang
  ];
}

/** Dual control of a reporter's contact details: request, decide, list. */
export const IDENTITY_REQUEST_FIELD_MESSAGES = {
  required: { zh: "此项必填。", en: "This field is required." },
  "text.too_short": { zh: "请至少写 4 个字。", en: "Write at least 4 characters." },
  "text.too_long": { zh: "请不要超过 500 个字。", en: "Write at most 500 characters." },
  "decision.invalid": { zh: "请选择批准或不批准。", en: 'Choose "approve" or "deny".' },
  "passphrase.required": {
    zh: "批准须输入您本人的保管口令。",
    en: "Enter your vault passphrase to approve.",
  },
  "status.invalid": {
    zh: "状态应为 pending、approved、denied 或 expired。",
    en: "status: pending | approved | denied | expired",
  },
} as const satisfies Record<string, Text>;

export type IdentityRequestFieldCode = keyof typeof IDENTITY_REQUEST_FIELD_MESSAGES;

/** The message for a dual-control code read back from an answer (an unknown code: "required"). */
export function identityRequestFieldMessage(code: string, lang: Lang = "zh"): string {
  return (
    Object.hasOwn(IDENTITY_REQUEST_FIELD_MESSAGES, code)
      ? IDENTITY_REQUEST_FIELD_MESSAGES[code as IdentityRequestFieldCode]
      : IDENTITY_REQUEST_FIELD_MESSAGES.required
  )[lang];
}

/** 启封: the custodian's reason and passphrase. */
export const UNSEAL_FIELD_MESSAGES = {
  "reason.too_short": ({ min }: { min: number }) => ({
    zh: `请写明启封理由（至少 ${min} 个字）。`,
    en: `Give the reason (at least ${min} characters).`,
  }),
  required: { zh: "请输入保管口令。", en: "Enter your vault passphrase." },
} as const satisfies Record<string, Message>;

export type UnsealFieldCode = keyof typeof UNSEAL_FIELD_MESSAGES;

/** Staff accounts: the admin's user commands, the password check before a TOTP change, TOTP. */
export const ACCOUNT_FIELD_MESSAGES = {
  "username.invalid": {
    zh: "用户名为 2–64 个小写字母、数字、点、连字符或下划线。",
    en: "Username: 2–64 of a-z 0-9 . - _",
  },
  "office.unknown": ({ code }: { code: string }) => ({
    zh: `没有代码为 ${code} 的纪委监委。`,
    en: `No office with division code ${code} (e.g. 430000, 430100, 430112).`,
  }),
  "roles.invalid": ({ unknown, choices }: { unknown: readonly string[]; choices: readonly string[] }) =>
    unknown.length
      ? {
          zh: `未知角色：${unknown.join(", ")}。可选：${choices.join(", ")}。`,
          en: `Unknown role(s): ${unknown.join(", ")}. Choose from: ${choices.join(", ")}`,
        }
      : {
          zh: `至少一个角色。可选：${choices.join(", ")}。`,
          en: `At least one role. Choose from: ${choices.join(", ")}`,
        },
  "password.length": ({ min }: { min: number }) => ({
    zh: `密码至少 ${min} 个字符。`,
    en: `The password needs at least ${min} characters.`,
  }),
  "password.required": { zh: "请输入当前密码。", en: "Enter your current password." },
  "password.wrong": { zh: "当前密码不正确。", en: "Wrong password." },
  "totp.wrong": { zh: "动态口令不正确。", en: "Wrong code." },
} as const satisfies Record<string, Message>;

export type AccountFieldCode = keyof typeof ACCOUNT_FIELD_MESSAGES;

/** `admin calendar load`: the State Council notice file (docs/calendar.md). */
export const CALENDAR_FIELD_MESSAGES = {
  "calendar.year": {
    zh: "年份应为 2000 至 2099 之间的整数。",
    en: "The year must be a whole number from 2000 to 2099.",
  },
  "calendar.source": {
    zh: "请写明通知的名称和文号（4 至 300 个字）。",
    en: "Give the notice's title and number (4 to 300 characters).",
  },
  "calendar.date": {
    zh: "日期格式应为 YYYY-MM-DD，且是真实存在的日期。",
    en: "Dates are YYYY-MM-DD and must exist.",
  },
  "calendar.name": { zh: "请填写名称（1 至 40 个字）。", en: "Give a name (1 to 40 characters)." },
  "calendar.outside_year": {
    zh: "日期不在该年度内（只允许该年，及上一年 12 月 20 日以后的元旦调休）。",
    en: "The date is outside the year (only that year, and from 20 December of the year before for New Year's Day).",
  },
  "calendar.duplicate": { zh: "同一日期出现了两次。", en: "The same date is listed twice." },
  "calendar.both": {
    zh: "同一日期不能既放假又上班。",
    en: "A date cannot be both a holiday and a make-up workday.",
  },
  "calendar.workday_weekday": {
    zh: "调休上班日应为周六或周日（周一至周五本来就上班）。",
    en: "A make-up workday must be a Saturday or Sunday (Monday to Friday are worked anyway).",
  },
  "calendar.no_holidays": { zh: "至少应有一个放假日期。", en: "List at least one holiday." },
  "calendar.taken": {
    zh: "该日期已由另一年度的通知载入。",
    en: "That date is already set by another year's notice.",
  },
  "calendar.unknown_field": { zh: "不认识的字段", en: "Unknown field" },
  "calendar.invalid": { zh: "格式不正确。", en: "Invalid value." },
} as const satisfies Record<string, Text>;

export type CalendarFieldCode = keyof typeof CALENDAR_FIELD_MESSAGES;

export function isCalendarFieldCode(code: string): code is CalendarFieldCode {
  return Object.hasOwn(CALENDAR_FIELD_MESSAGES, code);
}

/** The leader actions (api/services/leaders/inputs.ts): 呈批, 批示, 督办批示, 提级. */
export const LEADER_FIELD_MESSAGES = {
  required: { zh: "此项必填。", en: "This field is required." },
  invalid: { zh: "格式不正确。", en: "Invalid value." },
  "text.too_long": ({ max }: { max: number }) => ({
    zh: `请不要超过 ${max} 个字。`,
    en: `Write at most ${max} characters.`,
  }),
  "signedOn.invalid": {
    zh: "请填写批示日期，格式如 2026-10-30，且不晚于今天。",
    en: "Give the date the instruction was signed, like 2026-10-30, not after today.",
  },
  "action.invalid": {
    zh: "未知的事项。",
    en: "Unknown leader action.",
  },
} as const satisfies Record<string, Message>;

export type LeaderFieldCode = keyof typeof LEADER_FIELD_MESSAGES;

/** The message for a leader-action code read back from an answer (an unknown code: "invalid"). */
export function leaderFieldMessage(code: string, lang: Lang = "zh"): string {
  const m = Object.hasOwn(LEADER_FIELD_MESSAGES, code)
    ? LEADER_FIELD_MESSAGES[code as LeaderFieldCode]
    : LEADER_FIELD_MESSAGES.invalid;
  return (typeof m === "function" ? m({ max: 1000 }) : m)[lang];
}
