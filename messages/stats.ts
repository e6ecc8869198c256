// 形势分析 (issue 12 §1): the words of the statistics' tables, shared by the page
// (site/pages/staff/stats.astro) and the CSV/XLSX exports (api/services/stats/export.ts).
import type { Text } from "./text";

export const STATS_TABLE_TITLES = {
  summary: { zh: "主要指标", en: "Key figures" },
  month: { zh: "按月份", en: "By month" },
  channel: { zh: "按渠道", en: "By channel" },
  type: { zh: "按类型", en: "By type" },
  category: { zh: "按问题类别", en: "By category" },
  level: { zh: "按被反映人级别", en: "By level of the person reported" },
  stage: { zh: "按办理情况", en: "By stage" },
  disposition: { zh: "按处置方式", en: "By disposition" },
  finding: { zh: "按办结结果", en: "By finding" },
  city: { zh: "按市州及所辖县市区", en: "By city and its counties" },
  office: { zh: "按承办机关", en: "By office" },
} as const satisfies Record<string, Text>;
export type StatsTableKey = keyof typeof STATS_TABLE_TITLES;

export const STATS_COLUMNS = {
  figure: { zh: "指标", en: "Figure" },
  item: { zh: "项目", en: "Item" },
  month: { zh: "月份", en: "Month" },
  current: { zh: "本期", en: "This period" },
  previous: { zh: "上年同期", en: "Same period last year" },
  share: { zh: "占比", en: "Share" },
  change: { zh: "同比", en: "Year on year" },
  office: { zh: "机关", en: "Office" },
  parent: { zh: "上级机关", en: "Office above" },
  overdue: { zh: "超期件", en: "Overdue" },
  city: { zh: "市州", en: "City" },
  cityOwn: { zh: "市本级", en: "City office" },
  counties: { zh: "所辖县市区", en: "Its counties" },
  total: { zh: "合计", en: "Total" },
} as const satisfies Record<string, Text>;

export const STATS_FIGURES = {
  total: { zh: "收件数", en: "Cases received" },
  realName: { zh: "实名举报", en: "Real-name reports" },
  realNameShare: { zh: "实名举报占比", en: "Real-name share" },
  repeats: { zh: "重复件", en: "Repeats" },
  repeatShare: { zh: "重复件占比", en: "Repeat share" },
  active: { zh: "在办件", en: "Still being handled" },
  overdue: { zh: "超期件（当前）", en: "Overdue (today)" },
  overdueRate: { zh: "超期率", en: "Overdue rate" },
  substantiatedRate: {
    zh: "查实率（属实、部分属实占已有结果件）",
    en: "Substantiated (fully or partly, of cases with a finding)",
  },
  medianDaysToRegister: { zh: "受理用时中位数（自然日）", en: "Median days to acceptance (calendar days)" },
  medianDaysToConclude: { zh: "办结用时中位数（自然日）", en: "Median days to conclusion (calendar days)" },
} as const satisfies Record<string, Text>;

/** Words for a dimension's `none` (the summary's value when the field is empty). */
export const STATS_NONE = {
  level: { zh: "未反映具体人员", en: "No person named" },
  disposition: { zh: "尚未处置", en: "No disposition yet" },
  finding: { zh: "尚无结果", en: "No finding yet" },
} as const satisfies Record<string, Text>;

/** A city's own office in the city table (the province office is shown in the office table). */
export const STATS_PROVINCE_OWN = { zh: "省本级", en: "Province office" } as const satisfies Text;
