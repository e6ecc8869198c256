import type { Lang } from "./lang";

/**
 * Strings of the 信访室's registration page (/staff/intake) and its 受理回执, and of the batch page
 * (/staff/cases/batch). zh-CN first, en second; the field labels of the report itself come from
 * the citizen form's strings (site/i18n/report.ts).
 */
const zh = {
  nav: "登记来信来访",
  title: "登记信访件（来信、来访、来电、12388、上级交办）",
  intro:
    "登记以网络以外方式收到的信访件。举报人身份信息只加密保存至身份保险库，不以明文存储；正文中的身份信息会被自动隐去。",
  channel: "来源渠道",
  receivedOn: "收件日期",
  receivedOnHint:
    "信件或来访的实际收到日期，受理期限从这一天起算。可写 2026-03-05、2026/3/5 或 2026年3月5日。",
  reference: "来文编号（交办文号）",
  referenceHint: "上级交办件必填。",
  wantsTrackingCode: "在受理回执上打印查询码（举报人要求时勾选）",
  reporterLegend: "举报人（实名时填写）",
  realName: "实名举报",
  anonymous: "匿名",
  submit: "登记",
  errors: "请修改以下内容后重新登记：",
  csrf: "请求来源无法确认，请刷新本页后重试。",
  noRole: "只有信访室（受理角色）可以登记信访件。",
  receipt: {
    heading: "受理回执",
    number: "信访件编号",
    office: "收件机关",
    receivedOn: "收件日期",
    channel: "来源渠道",
    reference: "来文编号",
    trackingCode: "查询码",
    trackingHint:
      "凭查询码可在本网站“查询进度”页面查询办理情况。查询码只打印这一次，请妥善保管，不要告诉他人。",
    noCode: "本件未出具查询码。",
    again: "继续登记",
    open: "打开本件",
  },
  batch: {
    title: "批量处理",
    choose: "选择要对下列信访件执行的操作：",
    action: "操作",
    actions: {
      sign: "签收（受理）",
      forward: "转送下级机关",
      keep: "留存备查（重复件）",
      assign: "指定承办人",
    },
    toOffice: "转送至（下级机关代码）",
    assignee: "承办人（用户名）",
    into: "在先信访件（留存备查时可选：未填则取唯一检出的在先重复件）",
    reason: "说明",
    submit: "执行",
    results: "处理结果",
    ok: "已完成",
    failed: "未完成",
    none: "没有选择信访件。",
    back: "返回信访件台账",
    csrf: "请求来源无法确认，请刷新本页后重试。",
  },
};

const en: typeof zh = {
  nav: "Register a letter or visit",
  title: "Register a case (letter, visit, telephone, 12388, assigned from above)",
  intro:
    "Register a case that arrived other than online. The reporter's identity is sealed to the identity vault only, never stored in plain text; identity details in the narrative are hidden automatically.",
  channel: "Channel",
  receivedOn: "Date received",
  receivedOnHint:
    "The day the letter or visit actually arrived: the deadlines run from it. 2026-03-05, 2026/3/5 or 2026年3月5日.",
  reference: "Sender's reference (交办文号)",
  referenceHint: "Required for a case assigned from above.",
  wantsTrackingCode: "Print a tracking code on the receipt (when the reporter asks for one)",
  reporterLegend: "Reporter (real-name reports)",
  realName: "Real name",
  anonymous: "Anonymous",
  submit: "Register",
  errors: "Please correct the following and register again:",
  csrf: "The request's origin could not be confirmed: reload this page and try again.",
  noRole: "Only the 信访室 (intake role) registers cases.",
  receipt: {
    heading: "Acknowledgement of receipt (受理回执)",
    number: "Case number",
    office: "Receiving office",
    receivedOn: "Date received",
    channel: "Channel",
    reference: "Sender's reference",
    trackingCode: "Tracking code",
    trackingHint:
      "With the tracking code the progress can be followed on this site's tracking page. It is printed this once only: keep it safe and private.",
    noCode: "No tracking code was issued for this case.",
    again: "Register another",
    open: "Open the case",
  },
  batch: {
    title: "Batch work",
    choose: "Choose what to do with these cases:",
    action: "Action",
    actions: {
      sign: "Sign for (accept)",
      forward: "Forward to an office below",
      keep: "Keep for reference (repeat)",
      assign: "Assign a handler",
    },
    toOffice: "Forward to (code of the office below)",
    assignee: "Handler (username)",
    into: "Earlier case (for keep; empty: the one earlier repeat detected)",
    reason: "Note",
    submit: "Do it",
    results: "Results",
    ok: "Done",
    failed: "Not done",
    none: "No cases were chosen.",
    back: "Back to the register",
    csrf: "The request's origin could not be confirmed: reload this page and try again.",
  },
};

export const STAFF_INTAKE: Record<Lang, typeof zh> = { zh, en };
