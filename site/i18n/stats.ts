/**
 * Strings of the statistics page (/staff/stats, 形势分析), zh-CN first, en second. The tables'
 * titles, columns and figures are messages/stats.ts's (the exports use them too); the labels of
 * channels, categories, levels, stages, dispositions and findings are messages/labels.ts's.
 */
export const STATS = {
  zh: {
    nav: "形势分析",
    title: "形势分析",
    intro:
      "本机关及下级机关在所选期间收到的信访件，按收到日期统计，并与上年同期比较。信访件计入当前承办机关；超期件按今日计算。",
    period: "统计期间",
    from: "收到日期（起）",
    to: "收到日期（止）",
    office: "统计范围",
    officeAll: (name: string) => `${name}（含下级机关）`,
    show: "统计",
    comparison: (from: string, to: string) => `上年同期：${from} 至 ${to}`,
    scope: (name: string, from: string, to: string) => `${name}及下级机关，${from} 至 ${to}`,
    exports: "导出全部表格",
    csv: "CSV（Excel 可直接打开）",
    xlsx: "Excel 工作簿（XLSX，每表一页）",
    exportNote: "导出会记入审计日志。",
    json: "JSON 数据接口",
    chartLabel: (title: string) => `${title}柱状图，数据见旁边的表格`,
    current: "本期",
    previous: "上年同期",
    cityOwn: "市本级",
    counties: "所辖县市区",
    forbidden: "形势分析仅供督办人员和领导查看。",
    invalid: "统计条件有误，请修改后重新统计：",
    empty: "所选期间没有收到信访件。",
    notes:
      "说明：查实率＝属实、部分属实件数÷已有办结结果件数；受理、办结用时为自收到之日起的自然日数中位数；重复件为并案办理或留存备查的信访件；超期件为尚在办理、办理期限已过的信访件。",
  },
  en: {
    nav: "Statistics",
    title: "Statistics",
    intro:
      "The cases your office and the offices below it received in the period chosen, counted by the day received, beside the same period a year earlier. A case counts at the office that holds it now; overdue is as of today.",
    period: "Period",
    from: "Received from",
    to: "Received to",
    office: "Offices counted",
    officeAll: (name: string) => `${name} (and the offices below)`,
    show: "Show",
    comparison: (from: string, to: string) => `Same period last year: ${from} to ${to}`,
    scope: (name: string, from: string, to: string) => `${name} and the offices below, ${from} to ${to}`,
    exports: "Export every table",
    csv: "CSV (opens in Excel)",
    xlsx: "Excel workbook (XLSX, one sheet per table)",
    exportNote: "Exports are recorded in the audit log.",
    json: "JSON API",
    chartLabel: (title: string) => `Bar chart: ${title}; the numbers are in the table beside it`,
    current: "This period",
    previous: "Same period last year",
    cityOwn: "City office",
    counties: "Its counties",
    forbidden: "The statistics are for supervisors and leaders.",
    invalid: "Please correct the period or office:",
    empty: "No cases were received in this period.",
    notes:
      "Substantiated rate = fully or partly substantiated ÷ cases with a finding; days to acceptance and to conclusion are medians of calendar days from the day received; repeats are cases merged or kept for reference; overdue cases are still being handled and past a deadline.",
  },
} as const;
