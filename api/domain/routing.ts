import type { Office, OfficeDirectory } from "./divisions";

export const MANAGEMENT_LEVELS = ["province", "city", "county", "other"] as const;
export type ManagementLevel = (typeof MANAGEMENT_LEVELS)[number];

/**
 * 分级受理 by management authority (管理权限) of the person reported:
 * 省管 → the province office; 市管 → the city office of the division (the province office when
 * only the province is given); 县管 and below → the county office of the division, the city
 * office when only a city is given, the province office when only the province is given.
 * Returns undefined for a division outside the directory.
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
      return dir.cityOf(divisionCode) ?? dir.province;
    case "county":
    case "other":
      return division;
  }
}
