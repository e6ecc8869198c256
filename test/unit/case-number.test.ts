import { describe, expect, it } from "vitest";
import { parseConfig } from "../../api/config";
import {
  CaseNumberPatternError,
  DEFAULT_CASE_NUMBER_PATTERN,
  formatCaseNumber,
  parseCaseNumber,
  parseCaseNumberPattern,
} from "../../api/domain/case-number";
import { loadDivisionsSync, OfficeDirectory } from "../../api/domain/divisions";
import { shortNameOf, shortNames } from "../../api/domain/short-names";

const DEFAULT = parseCaseNumberPattern(DEFAULT_CASE_NUMBER_PATTERN);

describe("信访件编号 format", () => {
  it("reads 长沙〔2026〕第123号 by default", () => {
    expect(formatCaseNumber(DEFAULT, { office: "长沙", year: 2026, seq: 123 })).toBe("长沙〔2026〕第123号");
    expect(formatCaseNumber(DEFAULT, { office: "长沙县", year: 2027, seq: 1 })).toBe("长沙县〔2027〕第1号");
  });

  it("follows a configured pattern, with zero padding", () => {
    const p = parseCaseNumberPattern("湘纪信{office}字〔{year}〕{n:4}号");
    expect(formatCaseNumber(p, { office: "岳阳", year: 2026, seq: 7 })).toBe("湘纪信岳阳字〔2026〕0007号");
    expect(formatCaseNumber(p, { office: "岳阳", year: 2026, seq: 12345 })).toBe(
      "湘纪信岳阳字〔2026〕12345号",
    );
    expect(formatCaseNumber(parseCaseNumberPattern("{year}-{n}"), { office: "x", year: 2026, seq: 5 })).toBe(
      "2026-5",
    );
  });

  it("refuses a pattern without the year or the number, with either twice, or with an unknown brace", () => {
    for (const bad of [
      "{office}第{n}号",
      "{office}〔{year}〕",
      "{year}{year}{n}",
      "{year}{n}{n}",
      "{office}{office}{year}{n}",
      "{year}{n}{seq}",
      "{year:2}{n}",
      "{year}{n}}",
    ]) {
      expect(() => parseCaseNumberPattern(bad), bad).toThrow(CaseNumberPatternError);
    }
    expect(() => parseConfig({ CASE_NUMBER_PATTERN: "第{n}号" })).toThrow(/CASE_NUMBER_PATTERN/);
    expect(parseConfig({}).caseNumberPattern.source).toBe(DEFAULT_CASE_NUMBER_PATTERN);
  });

  it("reads a typed number back: spaces, full-width digits, other brackets and a missing office name are fine", () => {
    for (const typed of [
      "长沙〔2026〕第12号",
      " 长沙 〔2026〕 第 12 号",
      "长沙[２０２６]第１２号",
      "（2026）第12号",
      "〔2026〕第12号",
    ]) {
      expect(parseCaseNumber(DEFAULT, "长沙", typed), typed).toEqual({ year: 2026, seq: 12 });
    }
    expect(parseCaseNumber(DEFAULT, "长沙", "株洲〔2026〕第12号")).toBeUndefined();
    expect(parseCaseNumber(DEFAULT, "长沙", "长沙〔2026〕第0号")).toBeUndefined();
    expect(parseCaseNumber(DEFAULT, "长沙", "第12号")).toBeUndefined();
    const padded = parseCaseNumberPattern("{office}{year}-{n:4}");
    expect(parseCaseNumber(padded, "望城", "望城2026-0042")).toEqual({ year: 2026, seq: 42 });
  });
});

describe("office short names", () => {
  it("drops the administrative suffix and the peoples of an autonomous division", () => {
    expect(shortNameOf("湖南省")).toBe("湖南");
    expect(shortNameOf("长沙市")).toBe("长沙");
    expect(shortNameOf("湘西土家族苗族自治州")).toBe("湘西");
    expect(shortNameOf("靖州苗族侗族自治县")).toBe("靖州");
    expect(shortNameOf("城步苗族自治县")).toBe("城步");
    expect(shortNameOf("岳阳楼区")).toBe("岳阳楼");
    expect(shortNameOf("津市市")).toBe("津市");
    // One character left: the suffix stays.
    expect(shortNameOf("澧县")).toBe("澧县");
    expect(shortNameOf("南县")).toBe("南县");
  });

  it("gives every Hunan office its own short name; a county named like its city keeps its full name", () => {
    const dir = new OfficeDirectory(loadDivisionsSync("430000"));
    const all = dir.all().map((o) => o.shortName);
    expect(new Set(all).size).toBe(all.length);
    expect(dir.get("430100")?.shortName).toBe("长沙");
    expect(dir.get("430121")?.shortName).toBe("长沙县");
    expect(dir.get("430621")?.shortName).toBe("岳阳县");
    expect(dir.get("430600")?.shortName).toBe("岳阳");
    expect(dir.get("433100")?.shortName).toBe("湘西");
    expect(dir.get("430000")?.shortName).toBe("湖南");
    expect(dir.get("430112")?.shortName).toBe("望城");
  });

  it("takes a short name the seed gives", () => {
    const names = shortNames([
      { code: "430000", name: "湖南省", level: "province", shortName: "湘纪" },
      { code: "430100", name: "长沙市", level: "city" },
    ]);
    expect(names.get("430000")).toBe("湘纪");
    expect(names.get("430100")).toBe("长沙");
  });
});
