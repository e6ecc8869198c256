/** 六项纪律, 职务违法犯罪, and everything else. Their words live in messages/labels.ts. */
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

export const REPORT_TYPES = ["accusation", "appeal", "suggestion", "other"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
