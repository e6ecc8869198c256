import type { Lang } from "./lang";

/** The home page: what can be reported here, what cannot and where to turn, how identity is kept. */
const zh = {
  title: "首页",
  heroHeading: "网上举报，清风护航",
  heroLead:
    "受理对党员、党组织违反党纪行为，以及对公职人员涉嫌职务违法、职务犯罪行为的检举控告，受理党员、监察对象对党纪处分或者监察机关处理决定不服的申诉，接受对党风廉政建设和反腐败工作的批评建议。",
  ctaReport: "我要举报",
  ctaTrack: "查询办理进度",

  scopeHeading: "受理范围",
  scopeIntro: "本平台受理下列检举控告、申诉和批评建议，并按被反映人的干部管理权限分送有关纪委监委办理：",
  scopeItems: [
    "对党员、党组织违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律（六项纪律）等党纪行为的检举控告，包括违反中央八项规定精神和形式主义、官僚主义问题；",
    "对监察对象不依法履职，违反秉公用权、廉洁从政从业以及道德操守等规定，涉嫌贪污贿赂、滥用职权、玩忽职守、权力寻租、利益输送、徇私舞弊以及浪费国家资财等职务违法、职务犯罪行为的检举控告；",
    "党员、党组织对党纪处分或者纪律检查机关所作的其他处理不服，提出的申诉；监察对象对监察机关涉及本人的处理决定不服，提出的申诉；",
    "对党风廉政建设和反腐败工作的批评建议。",
  ],

  outOfScopeHeading: "不属于受理范围的事项，请向以下机关反映",
  outOfScopeIntro:
    "下列事项不属于纪检监察机关受理范围，提交到本平台将不予受理，耽误您的时间。请直接向有关机关提出：",
  outOfScope: [
    {
      what: "已经或者依法应当通过诉讼、仲裁、行政裁决、行政复议等途径解决的事项",
      where: "依法向人民法院起诉、向仲裁机构申请仲裁，或者向有关行政机关申请行政裁决、行政复议。",
    },
    {
      what: "涉法涉诉事项：对法院裁判、检察机关决定不服等",
      where: "依法向人民法院、人民检察院申请再审或者提出申诉，或者向政法机关反映。",
    },
    {
      what: "劳动争议：拖欠工资、劳动合同、社会保险等与用人单位之间的纠纷",
      where: "向劳动人事争议仲裁委员会申请仲裁，或者向人力资源社会保障部门投诉。",
    },
    {
      what: "选人用人问题：干部选拔任用中的违规用人、跑官要官、买官卖官等",
      where: "向组织部门反映：拨打 12380 举报电话，或者登录 12380 举报网站。",
    },
    {
      what: "对任免机关、单位（而不是监察机关）作出的处分或者其他人事处理不服",
      where:
        "依照公务员法、事业单位人事管理条例等规定，向原处理机关申请复核，或者向公务员主管部门、原处理机关的上一级机关提出申诉。",
    },
    {
      what: "违反治安管理的行为和刑事犯罪（与公职人员履行职务无关的）",
      where: "向公安机关报案；紧急情况请拨打 110。",
    },
    {
      what: "政务服务、民生诉求、一般意见建议和投诉",
      where: "拨打 12345 政务服务便民热线，或者向有关主管部门反映。",
    },
    {
      what: "其他一般信访事项",
      where: "向有权处理的机关或者当地信访部门提出，也可以通过国家信访局网上信访平台提出。",
    },
    {
      what: "仅列举被反映人姓名、单位或者职务名称而无实质内容的举报",
      where: "不予受理。请写明具体的问题事实和可以核实的线索后再提交。",
    },
  ],

  identityHeading: "我们如何保护您的身份",
  identityItems: [
    "您的姓名、身份证号、电话、地址和举报原文，在到达服务器的那一刻就用身份保管密钥加密封存，网站本身无法解开。",
    "办理人员看到的是经过处理的举报内容：其中您的姓名、身份证号、电话和邮箱已被隐去，显示为“〔已隐去〕”。",
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
    "需要填写本人真实姓名（或单位名称）和联系电话（手机或固定电话），身份证号可以不填，我们会严格保密。",
    "实名检举控告优先办理，自收到之日起15个工作日内告知受理情况，办结后15个工作日内反馈处理结果；重复举报的不再告知。",
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
    "This platform receives accusations that Communist Party members or organizations broke Party discipline, or that public officials committed duty-related violations of law or crimes. It also receives appeals from Party members and officials against a Party disciplinary sanction or a supervisory commission's decision about them, and criticism and suggestions about Party conduct, integrity and anti-corruption work.",
  ctaReport: "Make a report",
  ctaTrack: "Track a report",

  scopeHeading: "What we accept",
  scopeIntro:
    "This platform accepts the following accusations, appeals and suggestions, and sends each to the commission responsible for the official concerned:",
  scopeItems: [
    "accusations that Party members or organizations broke Party discipline, such as the six disciplines (political, organizational, integrity, discipline towards the public, work and private life), including breaches of the Central Committee's eight-point rules on conduct, formalism and bureaucratism;",
    "accusations that public officials failed to perform their duties lawfully or broke the rules on using power fairly, integrity and ethics, and are suspected of duty-related violations of law or crimes such as embezzlement and bribery, abuse of power, dereliction of duty, trading on power, improper transfers of benefits, favouritism and waste of state assets;",
    "appeals by Party members or organizations against a Party disciplinary sanction or another decision of a discipline inspection commission, and appeals by public officials against a supervisory commission's decision about them;",
    "criticism of and suggestions about Party conduct, integrity and anti-corruption work.",
  ],

  outOfScopeHeading: "What we cannot accept, and where to turn",
  outOfScopeIntro:
    "The commissions for discipline inspection and supervision cannot accept the following. A report about them would be declined and cost you time, so please go directly to:",
  outOfScope: [
    {
      what: "Matters that are, or by law should be, settled by a lawsuit, arbitration, an administrative ruling or administrative review",
      where:
        "bring a lawsuit at a people's court, apply for arbitration, or ask the competent authority for an administrative ruling or administrative review.",
    },
    {
      what: "Disagreement with a court judgment or a procuratorate's decision",
      where:
        "apply for a retrial or appeal to the people's court or people's procuratorate, as the law provides, or turn to the political and legal authorities.",
    },
    {
      what: "Labour disputes with an employer: unpaid wages, labour contracts, social insurance",
      where:
        "apply to the labour and personnel dispute arbitration commission, or complain to the human resources and social security department.",
    },
    {
      what: "The selection and appointment of officials: irregular appointments, lobbying for or buying posts",
      where:
        "the Party's organization department: call its reporting line 12380 or use the 12380 reporting website.",
    },
    {
      what: "Disagreement with a sanction or another personnel decision made by your employing authority (not by a supervisory commission)",
      where:
        "ask the authority that decided to reconsider it, or appeal to the civil service department or the authority above it, as the Civil Servant Law and the rules for public institutions provide.",
    },
    {
      what: "Public-order offences and crimes that have nothing to do with an official's duties",
      where: "report to the police; in an emergency call 110.",
    },
    {
      what: "Public services, everyday concerns, general complaints and suggestions",
      where: "call the 12345 government service hotline or contact the competent department.",
    },
    {
      what: "Other petitions (信访)",
      where:
        "address the competent authority or the local petitions office, or use the National Public Complaints and Proposals Administration's online petition platform.",
    },
    {
      what: "Reports that only name people, units or posts, with nothing of substance",
      where: "are not accepted: describe the facts and give leads that can be checked, then submit.",
    },
  ],

  identityHeading: "How we protect your identity",
  identityItems: [
    "Your name, ID number, phone, address and the original text of your report are sealed with the identity vault key the moment they reach the server. The website itself cannot open them.",
    "Staff handling your report see a redacted version: your name, ID number, phone and e-mail are replaced by “〔已隐去〕” (withheld) in the text.",
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
    "You give your real name (or your unit's name) and a contact number, mobile or landline; the ID number is optional. All are kept strictly confidential.",
    "Real-name accusations are handled with priority: within 15 working days of receipt you are told whether your report was accepted, and within 15 working days of its conclusion you are told the outcome. A repeated report of the same matter is not answered again.",
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
