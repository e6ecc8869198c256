import type { Division } from "../../../api/domain/divisions";

export interface DivisionGroup {
  /** The city (or prefecture) itself; its option reads "长沙市（市本级）". */
  city: Division;
  counties: Division[];
}

/** The province and its cities, each with its counties, in code order: the division picker's options. */
export function divisionGroups(divisions: readonly Division[]): {
  province: Division;
  groups: DivisionGroup[];
} {
  const province = divisions.find((d) => d.level === "province");
  if (!province) throw new Error("division list has no province");
  const byCode = (a: Division, b: Division) => a.code.localeCompare(b.code);
  const groups = divisions
    .filter((d) => d.level === "city")
    .sort(byCode)
    .map((city) => ({
      city,
      counties: divisions.filter((d) => d.level === "county" && d.parent === city.code).sort(byCode),
    }));
  return { province, groups };
}
