import type { Lang } from "./lang";

/** The report form (/report) and its receipt. zh-CN first, en second. */
const zh = {
  title: "我要举报",
  intro: "请如实、具体地填写。标有“选填”的项目可以不填，其余均为必填。",

  typeLegend: "反映类别",
  /** The kinds the form offers: the API's `other` stays accepted for old clients, never offered. */
  typeOptions: {
    accusation: "检举控告",
    appeal: "申诉",
    suggestion: "批评建议",
  },
  typeHints: {
    accusation: "反映党员、党组织违反党纪，或者公职人员涉嫌职务违法、职务犯罪的问题",
    appeal: "对本人所受党纪处分或者监察机关作出的处理决定不服",
    suggestion: "对党风廉政建设和反腐败工作提出批评建议",
  },

  realNameLegend: "匿名还是实名",
  realNameOptions: { false: "匿名举报", true: "实名举报" },
  realNameHints: {
    false: "不留姓名和联系方式，凭查询码查询进度。",
    true: "留下本人真实姓名（或单位名称）和联系电话，身份证号可以不填。实名检举控告优先办理，自收到之日起15个工作日内告知受理情况，办结后15个工作日内反馈处理结果；重复举报的不再告知。",
  },

  reporterLegend: "举报人信息",
  reporterNote:
    "仅在选择“实名举报”时填写。选择匿名举报请让这些栏目保持空白：我们不接收匿名举报人的身份信息。这些信息到达服务器时即被加密封存，办理人员看不到。",
  reporterKindLegend: "以谁的名义反映",
  reporterKindOptions: { person: "个人", unit: "单位" },
  reporterName: "姓名",
  reporterNameHint: "本人真实姓名；以单位名义反映的，填写单位全称。",
  reporterIdNumber: "居民身份证号码",
  reporterIdNumberHint: "18 位，最后一位可能是 X。",
  reporterPhone: "联系电话",
  reporterPhoneHint: "手机号码，或带区号的固定电话（例如 0731-88888888），用于必要时与您联系。",
  reporterAddress: "通讯地址",
  reporterEmail: "电子邮箱",

  subjectLegend: "被反映人",
  subjectNote: "检举控告必须填写；批评建议可以不填；申诉不填写此栏。",
  subjectName: "被反映人姓名",
  subjectNameHint: "如反映的是单位或党组织，请填写单位名称。",
  subjectUnit: "工作单位",
  subjectPosition: "职务",
  levelLegend: "被反映人级别",
  levelHint: "用于确定由哪一级纪委监委办理，请按被反映人的干部管理权限选择。",
  levelOptions: {
    province: "省管干部（厅级）",
    city: "市管干部（县处级）",
    county: "县管干部（乡科级）",
    other: "一般干部及其他人员",
    unknown: "不清楚",
  },
  division: "被反映人所在地区",
  divisionHint: "省直单位选“省本级”，市（州）直单位选“市本级”，其余选所在的县（市、区）。",
  divisionPlaceholder: "请选择",
  provinceSelf: "（省本级）",
  citySelf: "（市本级）",
  /** Labels of the two selects the script makes of the one division list. */
  divisionCity: "市（州）",
  divisionCounty: "县（市、区）",
  subjectRoleLegend: "被反映人身份（如适用）",
  subjectRoleHint: "反映以下人员的，由上一级纪委监委受理。",
  isDisciplineStaff: "纪检监察机关或纪检监察干部",
  isPrincipalLeader: "纪委监委的主要负责人（书记、主任）",

  appealLegend: "申诉事项",
  appealNote: "仅申诉填写：您本人所受的处分或者处理。申诉须实名提出，由作出决定的纪委监委办理。",
  appealDecision: "处分或处理决定",
  appealDecisionHint: "例如：给予党内警告处分。",
  appealDecidingBody: "作出决定的机关",
  appealDecidingBodyHint: "按决定书上的写法填写。",
  appealDecisionDate: "决定日期",
  appealDecisionDateHint: "年-月-日，例如 2025-06-30。",
  appealOffice: "办理申诉的纪委监委",
  appealOfficeHint: "选择作出决定的纪委监委；决定由党组织或其他机关作出的，选择其所在地的纪委监委。",

  contentLegend: "反映的问题",
  category: "问题类别",
  categoryPlaceholder: "请选择",
  /** Before a second-level category (违反中央八项规定精神 under 违反廉洁纪律) in the list. */
  categoryChildPrefix: "　　",
  reportTitle: "标题",
  reportTitleHint: "用一句话概括反映的问题，2 至 100 字。",
  body: "具体内容",
  bodyHint:
    "写明时间、地点、涉及的人和事实经过，以及可以核实的线索（如证人、票据、账户）。仅列举名称而无实质内容的不予受理。10 至 20000 字。",

  captcha: "人机验证",

  /** The attachments field. `{count}` and `{size}` are filled in from the configured limits. */
  files: "附件",
  filesHint:
    "可以上传照片、文件、录音或视频作为证据：JPEG、PNG、PDF、DOCX、MP3/M4A、MP4/MOV 格式，最多 {count} 个，每个不超过 {size}。照片、文档、录音和视频中的隐藏信息（如拍摄地点、作者、设备型号）在办理人员看到之前即被清除，文件名改为“附件1”等；原始文件及其文件名与举报人身份一起加密封存。",
  /** Shown when the form comes back after files were sent: a browser cannot keep chosen files. */
  filesAgain: "您刚才选择的附件（{names}）没有随表单保留，请重新选择附件后再提交。",
  filesAgainNoNames: "您刚才选择的附件没有随表单保留，请重新选择附件后再提交。",
  /** `{name}: message` — a file's name before its error. */
  fileNamed: "“{name}”：{message}",
  filesTooMany: "最多只能上传 {count} 个附件，您选择了 {chosen} 个。请减少后再提交。",
  fileTooLarge: "“{name}”超过 {size}，请压缩或拆分后再上传。",
  fileSizeLimit: "每个文件不能超过 {size}。",
  filesCountLimit: "最多 {count} 个。",
  /** Progress of an upload (JavaScript on), read out by screen readers. */
  uploading: "正在上传：{percent}%",
  uploadProcessing: "上传完成，正在处理，请稍候……",
  uploadFailed:
    "网络连接中断，举报没有提交成功。请检查网络后再次点击“提交举报”，填写的内容和选择的附件仍保留在本页。",
  uploadProgressLabel: "上传进度",

  declaration: "举报人应当对举报内容的真实性负责。捏造事实、诬告陷害他人的，将依规依纪依法追究责任。",
  submit: "提交举报",

  errorSummaryHeading: "提交未成功，请修改以下内容",
  /** Between a field's label and its message in the error summary. */
  labelSeparator: "：",
  problemHeading: "提交未成功",

  receiptTitle: "举报已提交",
  receiptLead: "我们已经收到您的举报。",
  codeLabel: "您的查询码",
  codeAdvice: "请现在就把查询码抄写下来或拍照保存。",
  codeOnce:
    "查询码只在这里显示这一次。平台不保存可以还原查询码的信息，丢失后无法找回，也无法重新发送。请不要把查询码告诉他人。",
  codeUse: "凭查询码可以查询办理进度、查看答复和补充材料。",
  officeLabel: "接收机关",
  receivedLabel: "接收时间",
  realNameNotice:
    "您选择了实名举报：自收到之日起15个工作日内告知受理情况，办结后15个工作日内反馈处理结果；重复举报的不再告知。",
  trackLink: "查询办理进度",
  receiptPublicNote: "在公共或他人的电脑上提交的，请保存查询码后关闭浏览器窗口。",
};

const en: typeof zh = {
  title: "Make a report",
  intro:
    "Please be truthful and specific. Fields marked “optional” may be left empty; all others are required.",

  typeLegend: "Kind of report",
  typeOptions: {
    accusation: "Accusation (检举控告)",
    appeal: "Appeal (申诉)",
    suggestion: "Criticism or suggestion (批评建议)",
  },
  typeHints: {
    accusation:
      "A Party member or organization breaking Party discipline, or a public official suspected of a duty-related violation of law or crime",
    appeal:
      "You disagree with a Party disciplinary sanction, or a supervisory commission's decision, about you",
    suggestion: "Criticism of or suggestions about Party conduct, integrity and anti-corruption work",
  },

  realNameLegend: "Anonymous or real-name",
  realNameOptions: { false: "Anonymous", true: "Real-name (实名)" },
  realNameHints: {
    false: "Leave no name or contact details; follow the case with your tracking code.",
    true: "Give your real name (or your unit's name) and a contact number; the ID number is optional. Real-name accusations are handled with priority: within 15 working days of receipt you are told whether it was accepted, and within 15 working days of its conclusion you are told the outcome. A repeated report of the same matter is not answered again.",
  },

  reporterLegend: "About you",
  reporterNote:
    "Fill these in only for a real-name report. For an anonymous report leave them empty: we do not accept an anonymous reporter's identity. These details are sealed the moment they reach the server; the staff handling the case cannot see them.",
  reporterKindLegend: "Reporting as",
  reporterKindOptions: { person: "An individual", unit: "A unit (organization)" },
  reporterName: "Full name",
  reporterNameHint: "Your real name; for a unit, its full name.",
  reporterIdNumber: "Resident identity card number",
  reporterIdNumberHint: "18 characters; the last may be X.",
  reporterPhone: "Contact number",
  reporterPhoneHint:
    "A mainland mobile number, or a landline with its area code (e.g. 0731-88888888), so that we can reach you if needed.",
  reporterAddress: "Postal address",
  reporterEmail: "E-mail",

  subjectLegend: "The person or organization you are reporting (被反映人)",
  subjectNote:
    "Required for an accusation; optional for criticism or suggestions; leave it empty for an appeal.",
  subjectName: "Name",
  subjectNameHint: "If you are reporting a unit or Party organization, give its name.",
  subjectUnit: "Work unit (employer)",
  subjectPosition: "Position",
  levelLegend: "Rank of the person reported (被反映人级别)",
  levelHint:
    "This decides which level of commission handles the report: choose by who manages the official as a cadre.",
  levelOptions: {
    province: "Province-managed official (department level, 省管干部)",
    city: "City-managed official (county level, 市管干部)",
    county: "County-managed official (township level, 县管干部)",
    other: "Other officials and staff",
    unknown: "Not sure (不清楚)",
  },
  division: "Where the person works",
  divisionHint:
    "Choose “provincial level” for provincial departments, “city level” for city departments, otherwise the county or district.",
  divisionPlaceholder: "Choose…",
  provinceSelf: " (provincial level)",
  citySelf: " (city level)",
  divisionCity: "City or prefecture",
  divisionCounty: "County or district",
  subjectRoleLegend: "Who the person is (if it applies)",
  subjectRoleHint: "A report about these goes to the commission one level up.",
  isDisciplineStaff: "A discipline inspection and supervision body, or one of its staff",
  isPrincipalLeader:
    "The head of a commission for discipline inspection and supervision (its secretary or director)",

  appealLegend: "Your appeal",
  appealNote:
    "For an appeal only: the sanction or decision about you. An appeal is made under your real name and is handled by the commission that made the decision.",
  appealDecision: "The sanction or decision",
  appealDecisionHint: "For example: a Party warning (党内警告处分).",
  appealDecidingBody: "Who made the decision",
  appealDecidingBodyHint: "As written on the decision.",
  appealDecisionDate: "Date of the decision",
  appealDecisionDateHint: "Year-month-day, e.g. 2025-06-30.",
  appealOffice: "Commission to handle the appeal",
  appealOfficeHint:
    "Choose the commission that made the decision; for a decision by a Party organization or another body, the commission where it sits.",

  contentLegend: "What happened",
  category: "Kind of misconduct",
  categoryPlaceholder: "Choose…",
  categoryChildPrefix: "　　",
  reportTitle: "Title",
  reportTitleHint: "Sum up the matter in one sentence, 2 to 100 characters.",
  body: "Details",
  bodyHint:
    "Say when and where it happened, who was involved, what happened, and leads that can be checked (witnesses, receipts, accounts). A report that only names people or units, with nothing of substance, is not accepted. 10 to 20,000 characters.",

  captcha: "Human check",

  files: "Attachments",
  filesHint:
    "You may add photos, documents, recordings or videos as evidence: JPEG, PNG, PDF, DOCX, MP3/M4A or MP4/MOV, at most {count} files of up to {size} each. Hidden data in photos, documents, recordings and videos (such as where a photo was taken, a document’s author, or the device) is removed before any staff member sees them, and the files are renamed “附件1” and so on; the original files and their names are sealed together with your identity.",
  filesAgain:
    "The files you chose ({names}) could not be kept with the form: please choose the files again before you submit.",
  filesAgainNoNames:
    "The files you chose could not be kept with the form: please choose the files again before you submit.",
  fileNamed: "“{name}”: {message}",
  filesTooMany: "You can add at most {count} files; you chose {chosen}. Please choose fewer.",
  fileTooLarge: "“{name}” is larger than {size}: please compress or split it.",
  fileSizeLimit: "Each file may be at most {size}.",
  filesCountLimit: "At most {count} files.",
  uploading: "Uploading: {percent}%",
  uploadProcessing: "Upload complete, processing…",
  uploadFailed:
    "The connection was lost and your report was not sent. Check your connection and press “Submit report” again: what you entered and the files you chose are still on this page.",
  uploadProgressLabel: "Upload progress",

  declaration:
    "You are responsible for the truth of your report. Fabricating facts or making false accusations is punished under Party rules and the law.",
  submit: "Submit report",

  errorSummaryHeading: "Your report was not sent: please correct the following",
  labelSeparator: ": ",
  problemHeading: "Your report was not sent",

  receiptTitle: "Report submitted",
  receiptLead: "We have received your report.",
  codeLabel: "Your tracking code",
  codeAdvice: "Write the tracking code down or photograph it now.",
  codeOnce:
    "It is shown only this once. The platform keeps nothing from which the code could be recovered, so a lost code cannot be found or sent again. Do not share it with anyone.",
  codeUse: "With the tracking code you can follow the progress, read the reply and add information.",
  officeLabel: "Received by",
  receivedLabel: "Received at",
  realNameNotice:
    "You made a real-name report: within 15 working days of receipt you will be told whether it was accepted, and within 15 working days of its conclusion you will be told the outcome. A repeated report of the same matter is not answered again.",
  trackLink: "Track your report",
  receiptPublicNote: "On a shared or public computer, close the browser window once you have kept the code.",
};

export const REPORT: Record<Lang, typeof zh> = { zh, en };

/** Fills `{name}` placeholders of a message: fill("最多 {count} 个", { count: 5 }). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** A byte count for people: 10485760 → "10 MB". */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
