import type { Lang } from "./lang";

/** Strings of the layout shared by every citizen page. zh-CN first, en second. */
const zh = {
  /** Follows the province office's name: 湖南省纪委监委 + 网络举报平台 · 清风 */
  portalSuffix: "网络举报平台 · 清风",
  skipLink: "跳到主要内容",
  navLabel: "主导航",
  navHome: "首页",
  navReport: "我要举报",
  navTrack: "查询进度",
  langSwitchLabel: "语言",
  /** The name of the other language, written in that language. */
  otherLangName: "English",
  otherLangHint: "View this page in English",
  footerHotline: "纪检监察举报电话：12388",
  footerEmergency: "遇到正在发生的违法犯罪或人身危险，请立即拨打 110 报警。",
  footerPrivacy: "本平台不记录您的 IP 地址和浏览器信息，不使用任何第三方字体、脚本或统计服务。",
  footerOffice: "主办：",
  errorTitlePrefix: "错误：",
  optional: "（选填）",
};

const en: typeof zh = {
  portalSuffix: " Online Reporting Platform · Qingfeng",
  skipLink: "Skip to main content",
  navLabel: "Main navigation",
  navHome: "Home",
  navReport: "Make a report",
  navTrack: "Track a report",
  langSwitchLabel: "Language",
  otherLangName: "中文",
  otherLangHint: "以中文查看此页",
  footerHotline: "Discipline inspection reporting hotline: 12388",
  footerEmergency: "If a crime is happening now or someone is in danger, call the police on 110.",
  footerPrivacy:
    "This platform does not record your IP address or browser details and uses no third-party fonts, scripts or analytics.",
  footerOffice: "Run by ",
  errorTitlePrefix: "Error: ",
  optional: " (optional)",
};

export const COMMON: Record<Lang, typeof zh> = { zh, en };
