/** 六项纪律, 职务违法犯罪, and everything else. Labels for the UI live in site/i18n. */
export const CATEGORY_CODES = [
  "political",
  "organizational",
  "integrity",
  "mass",
  "work",
  "life",
  "duty_crime",
  "other",
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const CATEGORY_LABELS: Record<CategoryCode, { zh: string; en: string }> = {
  political: { zh: "违反政治纪律", en: "Political discipline" },
  organizational: { zh: "违反组织纪律", en: "Organizational discipline" },
  integrity: { zh: "违反廉洁纪律", en: "Integrity discipline" },
  mass: { zh: "违反群众纪律", en: "Discipline towards the public" },
  work: { zh: "违反工作纪律", en: "Work discipline" },
  life: { zh: "违反生活纪律", en: "Discipline in private life" },
  duty_crime: { zh: "职务违法犯罪", en: "Duty-related violations of law and crimes" },
  other: { zh: "其他", en: "Other" },
};

export const REPORT_TYPES = ["accusation", "appeal", "suggestion", "other"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

export const REPORT_TYPE_LABELS: Record<ReportType, { zh: string; en: string }> = {
  accusation: { zh: "检举控告", en: "Accusation" },
  appeal: { zh: "申诉", en: "Appeal" },
  suggestion: { zh: "批评建议", en: "Criticism or suggestion" },
  other: { zh: "其他", en: "Other" },
};
