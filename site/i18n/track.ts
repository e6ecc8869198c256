import type { Lang } from "./lang";

/** The tracking page (/track). zh-CN first, en second. */
const zh = {
  title: "查询办理进度",
  intro: "输入提交举报时得到的查询码，查看办理进度和答复，或者补充材料。",
  codeLabel: "查询码",
  codeHint: "共 20 位字母和数字，例如 ABCDE-12345-FGHJK-67890。不区分大小写，空格和短横线可有可无。",
  submit: "查询",
  notFoundHeading: "没有查到结果",
  notFound:
    "请核对查询码是否完整、正确：查询码共 20 位字母和数字。字母 O 与数字 0、字母 I 与数字 1 可以混用。",
  problemHeading: "暂时无法查询",

  statusLabel: "办理状态",
  mergedNote: "已并案办理：您反映的问题与此前收到的反映属同一事项，已合并办理。以下为合并后的办理状态。",
  mergedAtLabel: "并案时间",
  keptNote:
    "已留存备查：您反映的问题与此前收到的反映属同一事项，已由有关机关办理，本件留存备查，不再另行办理和告知。",
  officeLabel: "办理机关",
  receivedLabel: "接收时间",
  timelineHeading: "办理轨迹",
  replyHeading: "答复",
  notAcceptedHeading: "不予受理",
  notAcceptedReason: "理由",
  notAcceptedGuidance: "您可以这样处理",
  messagesHeading: "留言记录",
  fromReporter: "您",
  fromOffice: "办理机关",
  noMessages: "还没有留言。",

  addHeading: "补充材料或回复留言",
  addLabel: "补充内容",
  addHint:
    "可以补充新的情况和线索，或回复办理机关的留言，最多 5000 字。留言不会被隐去，除非您愿意让办理人员看到，请不要在留言中写您的姓名、身份证号和电话。",
  addSubmit: "提交补充",
  addSent: "已收到您补充的内容。",
  addErrorHeading: "补充内容未提交",

  endLink: "结束查询",
  endNote: "在公共或他人的电脑上查询后，请关闭浏览器窗口。",
};

const en: typeof zh = {
  title: "Track a report",
  intro:
    "Enter the tracking code you received when you submitted your report to see its progress and reply, or to add information.",
  codeLabel: "Tracking code",
  codeHint:
    "20 letters and digits, like ABCDE-12345-FGHJK-67890. Upper or lower case, with or without spaces and dashes.",
  submit: "Look up",
  notFoundHeading: "Nothing found",
  notFound:
    "Please check that the tracking code is complete and correct: it has 20 letters and digits. The letter O and the digit 0, and the letter I and the digit 1, may be used for each other.",
  problemHeading: "The lookup is not available right now",

  statusLabel: "Status",
  mergedNote:
    "Merged: your report concerns the same matter as an earlier one and is handled together with it. The status below is that of the merged handling.",
  mergedAtLabel: "Merged on",
  keptNote:
    "Kept on file: your report concerns the same matter as an earlier one, which the competent office handles. This report is kept for reference and will not be handled or answered separately.",
  officeLabel: "Handled by",
  receivedLabel: "Received at",
  timelineHeading: "Progress",
  replyHeading: "Reply",
  notAcceptedHeading: "Not accepted",
  notAcceptedReason: "Reason",
  notAcceptedGuidance: "Where to turn",
  messagesHeading: "Messages",
  fromReporter: "You",
  fromOffice: "The office",
  noMessages: "No messages yet.",

  addHeading: "Add information or answer the office",
  addLabel: "Your message",
  addHint:
    "Add new facts and leads or answer a message from the office, up to 5,000 characters. Messages are not redacted: unless you want the staff to see them, do not write your name, ID number or phone here.",
  addSubmit: "Send",
  addSent: "Your information was received.",
  addErrorHeading: "Your message was not sent",

  endLink: "End this lookup",
  endNote: "On a shared or public computer, close the browser window when you are done.",
};

export const TRACK: Record<Lang, typeof zh> = { zh, en };
