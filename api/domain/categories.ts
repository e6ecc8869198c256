/**
 * 六项纪律 (each with its second-level items), 涉嫌职务违法、职务犯罪, and everything else, in the
 * order a form lists them. Their words live in messages/labels.ts.
 */
export const CATEGORY_CODES = [
  "political",
  "organizational",
  "integrity",
  "eight_point_rules",
  "mass",
  "work",
  "formalism_bureaucratism",
  "life",
  "duty_crime",
  "other",
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

/**
 * Second-level categories under one of the six disciplines (the home page promises them: 违反中央
 * 八项规定精神、形式主义官僚主义等作风问题). A report filed under one counts under its parent too.
 * The parent is the discipline the 纪律处分条例 mostly charges them under: 享乐主义、奢靡之风
 * (违规吃喝、收送礼品礼金、公款旅游 …) as 廉洁纪律, 形式主义、官僚主义 as 工作纪律.
 */
export const CATEGORY_PARENTS: Partial<Record<CategoryCode, CategoryCode>> = {
  eight_point_rules: "integrity",
  formalism_bureaucratism: "work",
};

export function categoryParent(code: CategoryCode): CategoryCode | null {
  return CATEGORY_PARENTS[code] ?? null;
}

export const REPORT_TYPES = ["accusation", "appeal", "suggestion", "other"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/**
 * Whether a kind of report names a person reported (被反映人): 申诉 concerns the reporter's own
 * 处分/处理 and names none; a 批评建议 may leave it out; 检举控告 (and `other`) must name one.
 */
export function subjectRule(type: ReportType): "required" | "optional" | "forbidden" {
  if (type === "appeal") return "forbidden";
  if (type === "suggestion") return "optional";
  return "required";
}

/** Who files a real-name report: a person under their name, or a unit (单位) under its name. */
export const REPORTER_KINDS = ["person", "unit"] as const;
export type ReporterKind = (typeof REPORTER_KINDS)[number];
