import type { Office, OfficeDirectory } from "./divisions";

/**
 * 被反映人级别 by management authority (管理权限): 省管, 市管, 县管, `other` 一般干部及其他人员
 * (stays at the county), and `unknown` 不清楚 (the reporter does not know: the city office's
 * 信访室 分流s it).
 */
export const MANAGEMENT_LEVELS = ["province", "city", "county", "other", "unknown"] as const;
export type ManagementLevel = (typeof MANAGEMENT_LEVELS)[number];

/** Why a report went one level above the office management authority picks. */
export const ONE_LEVEL_UP_REASONS = ["discipline_staff", "principal_leader"] as const;
export type OneLevelUpReason = (typeof ONE_LEVEL_UP_REASONS)[number];

/** What the reporter said about the person reported that decides the office. */
export interface RouteFacts {
  managementLevel: ManagementLevel;
  divisionCode: string;
  /** The person reported is a 纪检监察机关 or one of its staff. */
  isDisciplineStaff?: boolean;
  /** The person reported is the 主要负责人 of a 纪检监察机关 (书记, 主任). */
  isPrincipalLeader?: boolean;
}

export interface Route {
  /** The office the report goes to. */
  office: Office;
  /** The office management authority alone picks (the same as `office` unless it went up). */
  byAuthority: Office;
  /** Set when the report went (or, at the province, would have gone) one level up. */
  oneLevelUp: OneLevelUpReason | null;
  /**
   * 报中央纪委国家监委: the report is about a province office's own staff or 主要负责人, and there is
   * no office above it in the deployment. The province office takes it and flags it.
   */
  reportToCentral: boolean;
}

/**
 * 分级受理 by management authority (管理权限) of the person reported:
 * 省管 → the province office; 市管 → the city office of the division (the province office when
 * only the province is given); 县管 and 一般干部及其他人员 → the county office of the division, the
 * city office when only a city is given, the province office when only the province is given;
 * 不清楚 → the city office of the division (the province office for a province-level division),
 * whose 信访室 分流s it. Returns undefined for a division outside the directory.
 */
export function routeCase(
  dir: OfficeDirectory,
  level: ManagementLevel,
  divisionCode: string,
): Office | undefined {
  const division = dir.get(divisionCode);
  if (!division) return undefined;
  switch (level) {
    case "province":
      return dir.province;
    case "city":
    case "unknown":
      return dir.cityOf(divisionCode) ?? dir.province;
    case "county":
    case "other":
      return division;
  }
}

/**
 * The office a report goes to. A report about a 纪检监察机关 or its staff, or about the
 * 主要负责人 of one, goes one level above the office management authority picks (county → city,
 * city → province): an office never handles a report about itself (检举控告工作规则 Art. 15:
 * 收到反映本机关主要负责人问题的检举控告，应当径送上一级纪检监察机关信访举报部门). The province
 * office has no office above it here: it keeps the report and flags it 报中央纪委国家监委. Both
 * facts together still go up one level only.
 */
export function routeReport(dir: OfficeDirectory, facts: RouteFacts): Route | undefined {
  const byAuthority = routeCase(dir, facts.managementLevel, facts.divisionCode);
  if (!byAuthority) return undefined;
  const oneLevelUp: OneLevelUpReason | null = facts.isPrincipalLeader
    ? "principal_leader"
    : facts.isDisciplineStaff
      ? "discipline_staff"
      : null;
  if (!oneLevelUp) return { office: byAuthority, byAuthority, oneLevelUp, reportToCentral: false };
  const parent = byAuthority.parentCode ? dir.get(byAuthority.parentCode) : undefined;
  return parent
    ? { office: parent, byAuthority, oneLevelUp, reportToCentral: false }
    : { office: byAuthority, byAuthority, oneLevelUp, reportToCentral: true };
}

/** What intake knows when it routes: the person reported, or the office an appeal is against. */
export interface IntakeRouteFacts {
  subject?: RouteFacts;
  /** 申诉: the division code of the office that made the decision. */
  appealOfficeCode?: string;
}

/**
 * The office a new report goes to: 申诉 to the office that made the decision; a report about a
 * person by `routeReport`; a 批评建议 about no one in particular to the province office, whose
 * 信访室 分流s it. Undefined for a division or office outside the directory.
 */
export function routeIntake(dir: OfficeDirectory, facts: IntakeRouteFacts): Route | undefined {
  const at = (office: Office | undefined): Route | undefined =>
    office && { office, byAuthority: office, oneLevelUp: null, reportToCentral: false };
  if (facts.appealOfficeCode !== undefined) return at(dir.get(facts.appealOfficeCode));
  if (facts.subject) return routeReport(dir, facts.subject);
  return at(dir.province);
}
