import { ATTACHMENT_LABEL } from "./labels";
import type { Lang, Text } from "./text";

/**
 * The field errors of the public API (the report form, /track), by code: what is wrong and what
 * to do. The keys are the closed list of codes (FieldCode): a code without a message does not
 * compile. zh-CN first, en second; the API answers the Chinese, the pages show their language.
 */
export const FIELD_MESSAGES = {
  required: { zh: "此项为必填项。", en: "This field is required." },
  too_short: { zh: "内容太短，请写得具体一些。", en: "Too short: please give more detail." },
  too_long: { zh: "内容太长，请精简后再提交。", en: "Too long: please shorten it." },
  invalid_choice: { zh: "请从列表中选择一项。", en: "Please choose one of the options." },
  invalid_type: { zh: "格式不正确。", en: "Wrong format." },
  "idNumber.format": {
    zh: "身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。",
    en: "The ID number has 18 characters: 17 digits and a final digit or X.",
  },
  "idNumber.date": {
    zh: "身份证号中的出生日期不存在，请核对。",
    en: "The date of birth in the ID number does not exist.",
  },
  "idNumber.checksum": {
    zh: "身份证号校验位不正确，请逐位核对。",
    en: "The ID number's check digit does not match: please check each digit.",
  },
  "phone.invalid": {
    zh: "请填写 11 位大陆手机号码（例如 13800138000），或带区号的固定电话（例如 0731-88888888）。",
    en: "Enter an 11-digit mainland mobile number (e.g. 13800138000) or a landline with its area code (e.g. 0731-88888888).",
  },
  "email.invalid": { zh: "电子邮箱格式不正确。", en: "This is not a valid e-mail address." },
  "reporter.forbidden": {
    zh: "匿名举报不能包含举报人身份信息。如需留下身份，请选择实名举报。",
    en: "An anonymous report must not carry the reporter's identity. Choose a real-name report to give it.",
  },
  "appeal.real_name": {
    zh: "申诉须实名提出：请选择实名，并填写您的姓名和联系电话。",
    en: "An appeal must be made under your real name: choose real-name and give your name and contact number.",
  },
  "appeal.subject_forbidden": {
    zh: "申诉针对的是您本人所受的处分或处理，不填写被反映人。请清空被反映人各项，或改选其他反映类别。",
    en: "An appeal concerns a sanction or decision about you, so it names no person reported. Clear those fields, or choose another type of report.",
  },
  "appeal.forbidden": {
    zh: "只有申诉才填写所申诉的处分或处理决定。请清空这些栏目，或把反映类别改为“申诉”。",
    en: "Only an appeal gives the sanction or decision appealed against. Clear those fields, or choose “Appeal” as the type of report.",
  },
  "date.invalid": {
    zh: "请按“年-月-日”填写一个存在的日期，例如 2025-03-01。",
    en: "Enter a date that exists, as year-month-day, e.g. 2025-03-01.",
  },
  "date.future": { zh: "日期不能晚于今天。", en: "The date cannot be later than today." },
  "receivedOn.too_old": {
    zh: "收件日期不能早于一年前。更早收到的信访件请按档案补录流程处理。",
    en: "The date received cannot be more than a year ago. Older items go through the archive back-entry procedure.",
  },
  "reference.identity": {
    zh: "来文编号中不应有身份证号或手机号码：请只填写文号，举报人的联系方式请填在举报人栏。",
    en: "The reference must not hold an ID or mobile number: give the document number only, and the reporter's contact details in the reporter's fields.",
  },
  "reference.required": {
    zh: "上级交办件请填写交办文号。",
    en: "A case assigned from above needs the sender's reference (交办文号).",
  },
  "division.unknown": {
    zh: "请选择本省的市、县（区）。",
    en: "Choose a city and county of this province.",
  },
  "captcha.failed": {
    zh: "人机验证未通过或已过期，请重新验证后提交。",
    en: "The human check failed or expired: please complete it again.",
  },
  "trackingCode.invalid": {
    zh: "查询码应为 20 位字母和数字，例如 ABCDE-12345-FGHJK-67890。",
    en: "A tracking code has 20 letters and digits, like ABCDE-12345-FGHJK-67890.",
  },
  unknown_field: { zh: "不支持的字段。", en: "Unsupported field." },
  "text.nul": {
    zh: "内容中含有无法保存的控制字符（U+0000），请删除后重新提交。",
    en: "The text contains a control character (U+0000) that cannot be stored: remove it and submit again.",
  },
  "file.type": {
    zh: "只能上传 JPEG、PNG、PDF、DOCX、MP3/M4A、MP4/MOV 文件。",
    en: "Only JPEG, PNG, PDF, DOCX, MP3/M4A and MP4/MOV files can be uploaded.",
  },
  "file.unreadable": {
    zh: "该文件已损坏或与其格式不符，无法清除其中可能暴露身份的信息，未予接收。请重新导出或改用截图后再上传。",
    en: "This file is damaged or not what its type says, so what in it might identify you cannot be removed; it was not accepted. Please export it again, or send a screenshot.",
  },
  "file.encrypted": {
    zh: "该文件设有打开密码，无法处理。请去掉密码后重新上传。",
    en: "This file is password-protected and cannot be processed. Please remove the password and upload it again.",
  },
  "file.too_complex": {
    zh: "该文件过于复杂，超出了处理的内存或时间限制，未予接收。请改用较小或较简单的文件（例如截图或重新导出）。",
    en: "This file is too complex to process within the memory and time limits; it was not accepted. Please send a smaller or simpler file (a screenshot, or a fresh export).",
  },
  "list.cursor": {
    zh: "翻页位置无效或已过期，请回到列表第一页。",
    en: "This page position is not valid: please go back to the first page of the list.",
  },
  "register.cursor": {
    zh: "翻页位置无效或已过期，请从第一页重新查询。",
    en: "This page position is not valid: please search again from the first page.",
  },
  "register.number": {
    zh: "信访件编号格式不正确，请按“长沙〔2026〕第12号”填写，机关简称可省略。",
    en: "Not a case number: write it like 长沙〔2026〕第12号 (the office's short name may be left out).",
  },
  "register.date_range": {
    zh: "起始日期不能晚于截止日期。",
    en: "The start date cannot be later than the end date.",
  },
  "register.office": {
    zh: "请选择本机关或其下级机关。",
    en: "Choose your own office or one below it.",
  },
  "month.invalid": {
    zh: "月份格式不正确，请按“2026-03”填写，且不晚于本月。",
    en: "Not a month: write it like 2026-03, not later than the current month.",
  },
  "file.too_large": { zh: "单个文件过大。", en: "A file is too large." },
  "file.too_many": { zh: "附件数量超过上限。", en: "Too many files." },
} as const satisfies Record<string, Text>;

export type FieldCode = keyof typeof FIELD_MESSAGES;

export function isFieldCode(code: string): code is FieldCode {
  return Object.hasOwn(FIELD_MESSAGES, code);
}

/** The message for a code, as read back from an answer (an unknown code says "wrong format"). */
export function fieldMessage(code: string, lang: Lang = "zh"): string {
  return (isFieldCode(code) ? FIELD_MESSAGES[code] : FIELD_MESSAGES.invalid_type)[lang];
}

/** How a file's error names it: by its place in the form (附件N), never by its uploaded name. */
export function attachmentPrefix(position: number, lang: Lang = "zh"): string {
  return lang === "zh" ? `${ATTACHMENT_LABEL.zh}${position}：` : `${ATTACHMENT_LABEL.en} ${position}: `;
}

/**
 * Messages for a whole-request problem (not one field), by HTTP status, shown at the top of a
 * page. The citizen's input is kept on the page, so each says what to do next.
 */
export const PROBLEM_MESSAGES: Record<number, Text> = {
  400: {
    zh: "提交的内容无法读取。请检查填写内容后重新提交；如仍不成功，请刷新页面重新填写。",
    en: "What was sent could not be read. Please check the form and submit again; if that fails, reload the page and fill it in again.",
  },
  409: {
    zh: "这份举报与此前从本页面提交的内容不一致，尚未提交。请核对下方内容后再次提交。",
    en: "This differs from what was sent earlier from this page and was not sent. Please check the form below and submit again.",
  },
  413: {
    zh: "提交的内容过大。请精简文字或减少附件后重新提交。",
    en: "What was sent is too large. Please shorten the text or send fewer attachments.",
  },
  415: {
    zh: "提交方式不受支持，请刷新页面后重新提交。",
    en: "This kind of submission is not supported. Please reload the page and submit again.",
  },
  429: {
    zh: "提交过于频繁，请稍等片刻再试。",
    en: "Too many attempts in a short time. Please wait a moment and try again.",
  },
  500: {
    zh: "系统暂时无法处理，请稍后再试。",
    en: "The system cannot handle this right now. Please try again later.",
  },
  503: {
    zh: "服务暂时不可用，请稍后再试。",
    en: "The service is unavailable right now. Please try again later.",
  },
};

/** "请在 30 秒后再试。" — appended to the 429 message when the wait is known. */
export function retryAfterMessage(seconds: number, lang: Lang = "zh"): string {
  return lang === "zh" ? `请在 ${seconds} 秒后再试。` : `Try again in ${seconds} seconds.`;
}

/** Said only by a page that shows the form again with what the citizen entered. */
export const INPUT_KEPT_MESSAGE = {
  zh: "您填写的内容仍保留在下方。",
  en: "What you entered is kept below.",
};

export function problemMessage(
  status: number,
  lang: Lang = "zh",
  retryAfterSeconds?: number,
  opts: { inputKept?: boolean } = {},
): string {
  const parts = [(PROBLEM_MESSAGES[status] ?? PROBLEM_MESSAGES[status >= 500 ? 500 : 400])[lang]];
  if (status === 429 && retryAfterSeconds) parts.push(retryAfterMessage(retryAfterSeconds, lang));
  if (opts.inputKept && (status === 413 || status === 429 || status >= 500))
    parts.push(INPUT_KEPT_MESSAGE[lang]);
  return parts.join(lang === "zh" ? "" : " ");
}
