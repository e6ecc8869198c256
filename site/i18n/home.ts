import type { Lang } from "./lang";

/** The home page: what can be reported here, what cannot and where to turn, how identity is kept. */
const zh = {
  title: "首页",
  heroHeading: "网上举报，清风护航",
  heroLead:
    "受理对党组织、党员违反党纪行为，以及对公职人员职务违法、职务犯罪行为的检举控告，受理党员和公职人员不服处分处理的申诉，接受对纪检监察工作的批评建议。",
  ctaReport: "我要举报",
  ctaTrack: "查询办理进度",

  scopeHeading: "可以在这里反映什么",
  scopeIntro: "被反映人应当是党员、党组织或者公职人员（监察对象）。可以反映：",
  scopeItems: [
    "党员、党组织违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律（六项纪律）的行为；",
    "公职人员涉嫌贪污贿赂、滥用职权、玩忽职守、权力寻租、利益输送、徇私舞弊以及浪费国家资财等职务违法和职务犯罪行为；",
    "违反中央八项规定精神、形式主义官僚主义等作风问题；",
    "党员、公职人员对所受党纪处分、政务处分或者其他处理不服的申诉；",
    "对党风廉政建设和纪检监察工作的批评建议。",
  ],

  outOfScopeHeading: "不在这里受理的事项，请向以下机关反映",
  outOfScopeIntro:
    "下列事项不属于纪检监察机关受理范围。提交到本平台会被告知不予受理，耽误您的时间，请直接向有关机关提出：",
  outOfScope: [
    {
      what: "已经或者依法应当通过诉讼解决的民事、行政纠纷",
      where: "依法向人民法院提起诉讼。",
    },
    {
      what: "依法应当通过行政复议解决的事项",
      where: "向行政复议机关申请行政复议。",
    },
    {
      what: "涉法涉诉事项：对法院裁判、检察机关决定不服等",
      where: "依法向人民法院、人民检察院申请再审、申诉，或向政法机关反映。",
    },
    {
      what: "治安、刑事案件（不涉及公职人员职务行为的）",
      where: "向公安机关报案；紧急情况请拨打 110。",
    },
    {
      what: "政务服务、民生诉求、一般意见建议和投诉",
      where: "拨打 12345 政务服务便民热线，或向有关主管部门反映。",
    },
    {
      what: "其他信访事项",
      where: "向有权处理的机关或者信访工作机构提出。",
    },
  ],

  identityHeading: "我们如何保护您的身份",
  identityItems: [
    "您的姓名、身份证号、电话、地址和举报原文，在到达服务器的那一刻就用身份保管密钥加密封存，网站本身无法解开。",
    "办理人员看到的是处理过的案件：举报内容中您的姓名、身份证号、电话和邮箱已被隐去，显示为“〔已隐去〕”。",
    "只有专门的身份保管人凭个人口令、写明理由才能解开封存的身份，每一次都留下不可删改的记录。",
    "本平台不记录您的 IP 地址和浏览器信息。",
  ],

  modesHeading: "匿名举报与实名举报",
  anonymousHeading: "匿名举报",
  anonymousItems: [
    "不需要留下姓名和联系方式。",
    "提交后会得到一个查询码，凭它查询办理进度、查看答复、补充材料。",
    "查询码只显示一次，丢失后无法找回，请务必抄写或拍照保存。",
  ],
  realNameHeading: "实名举报",
  realNameItems: [
    "需要填写姓名、身份证号和手机号码，我们会严格保密。",
    "实名举报优先办理，并在 15 个工作日内告知您是否受理。",
    "同样会得到查询码，可以在网上查询进度和答复。",
  ],

  dutyHeading: "举报须知",
  dutyItems: [
    "请如实反映问题，尽可能写明被反映人的姓名、单位、职务和具体事实、线索。",
    "举报人应当对举报内容的真实性负责。捏造事实、伪造材料、诬告陷害他人的，将依规依纪依法追究责任。",
    "同一问题请不要重复提交；如有新情况，请用查询码补充材料。",
  ],
};

const en: typeof zh = {
  title: "Home",
  heroHeading: "Report misconduct online, safely",
  heroLead:
    "This platform receives reports about Communist Party members and organizations breaking Party discipline and about public officials committing duty-related violations of law or crimes. It also receives appeals from Party members and officials against a sanction, and criticism or suggestions about discipline inspection work.",
  ctaReport: "Make a report",
  ctaTrack: "Track a report",

  scopeHeading: "What you can report here",
  scopeIntro:
    "The person reported must be a Party member, a Party organization or a public official. You can report:",
  scopeItems: [
    "breaches of the six disciplines by Party members or organizations: political, organizational, integrity, discipline towards the public, work and private life;",
    "duty-related violations of law and crimes by public officials, such as embezzlement and bribery, abuse of power, dereliction of duty, trading on power, improper transfers of benefits, favouritism and waste of state assets;",
    "breaches of the Central Committee's eight-point rules on conduct, formalism and bureaucratism;",
    "appeals by Party members and public officials against a Party or administrative sanction or another decision about them;",
    "criticism of and suggestions about integrity work and discipline inspection.",
  ],

  outOfScopeHeading: "Matters handled elsewhere, and where to turn",
  outOfScopeIntro:
    "The commissions for discipline inspection and supervision cannot accept the following. A report about them would be declined and cost you time, so please go directly to:",
  outOfScope: [
    {
      what: "Civil or administrative disputes that are, or by law should be, settled in court",
      where: "bring a lawsuit at a people's court.",
    },
    {
      what: "Matters that by law go to administrative review",
      where: "apply to the administrative review authority.",
    },
    {
      what: "Disagreement with a court judgment or a procuratorate's decision",
      where:
        "apply for a retrial or appeal to the people's court or people's procuratorate, as the law provides.",
    },
    {
      what: "Public-order offences and crimes not involving an official's duties",
      where: "report to the police; in an emergency call 110.",
    },
    {
      what: "Public services, everyday concerns, general complaints and suggestions",
      where: "call the 12345 government service hotline or contact the competent department.",
    },
    {
      what: "Other petitions (信访)",
      where: "address the competent authority or the petitions office.",
    },
  ],

  identityHeading: "How we protect your identity",
  identityItems: [
    "Your name, ID number, phone, address and the original text of your report are sealed with the identity vault key the moment they reach the server. The website itself cannot open them.",
    "Staff handling the case see a redacted version: your name, ID number, phone and e-mail are replaced by “〔已隐去〕” (withheld) in the text.",
    "Only a designated custodian, with a personal passphrase and a written reason, can unseal an identity, and every unsealing leaves a record that cannot be altered.",
    "This platform does not store your IP address or browser details.",
  ],

  modesHeading: "Anonymous or real-name",
  anonymousHeading: "Anonymous report",
  anonymousItems: [
    "You leave no name or contact details.",
    "You receive a tracking code to follow the progress, read the reply and add information.",
    "The tracking code is shown only once and cannot be recovered: write it down or photograph it.",
  ],
  realNameHeading: "Real-name report (实名举报)",
  realNameItems: [
    "You give your name, ID number and mobile number, which are kept strictly confidential.",
    "Real-name reports are handled with priority, and you are told within 15 working days whether your report was accepted.",
    "You also receive a tracking code to follow the case online.",
  ],

  dutyHeading: "Before you report",
  dutyItems: [
    "Describe the facts truthfully and give as much as you can: the person's name, unit, position, what happened and any leads.",
    "You are responsible for the truth of your report. Fabricating facts, forging material or making false accusations is punished under Party rules and the law.",
    "Please do not submit the same matter twice; use your tracking code to add new information.",
  ],
};

export const HOME: Record<Lang, typeof zh> = { zh, en };
