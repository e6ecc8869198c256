// The repeat detector's parts (api/domain/repeats.ts): the name and unit normalisers and the scorer,
// by example and by property (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadDivisionsSync } from "../../api/domain/divisions";
import {
  normalizeName,
  prepareReport,
  type RepeatSubject,
  scoreRepeat,
  subjectKey,
  UnitReader,
} from "../../api/domain/repeats";
import { asSubject, loadLabelledSet } from "../fixtures/repeats/labelled";

const units = new UnitReader(loadDivisionsSync("430000"));
const { reports } = loadLabelledSet();
const pool = [...reports.values()].map(asSubject);

/** `s` with ASCII letters and digits in their full-width forms (Ａ, ０). */
const fullWidth = (s: string) =>
  s.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x20 + 0xff00));

const NAMES = ["刘建军", "王志强", "欧阳娜娜", "阿不都热合曼", "张三", "lisi", "Zhang Wei", "李2号"];
const SEPARATORS = [" ", "\u3000", "\u00a0", "·", "・", "•", "\t", "-", "．"];

/** A name as a reporter may type it: separators between its characters, full-width letters and digits. */
const typedName = fc
  .record({
    name: fc.constantFrom(...NAMES),
    cuts: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SEPARATORS)), { maxLength: 4 }),
    wide: fc.boolean(),
    around: fc.constantFrom("", " ", "\u3000"),
  })
  .map(({ name, cuts, wide, around }) => {
    const chars = [...(wide ? fullWidth(name) : name)];
    for (const [at, sep] of cuts) chars.splice(at % (chars.length + 1), 0, sep);
    return { name, typed: `${around}${chars.join("")}${around}` };
  });

describe("the name normaliser", () => {
  it("reads a name alike however it is spaced, dotted or written in full-width forms", () => {
    fc.assert(
      fc.property(typedName, ({ name, typed }) => {
        expect(normalizeName(typed)).toBe(normalizeName(name));
        expect(subjectKey(typed)).toBe(subjectKey(name));
      }),
      { numRuns: 500 },
    );
  });

  it("leaves out a note in brackets, and keys no one for a redacted, empty or one-character name", () => {
    expect(subjectKey("王志强（村支书）")).toBe("王志强");
    expect(subjectKey("王志强(村支书)")).toBe("王志强");
    expect(subjectKey("〔已隐去〕")).toBeNull();
    expect(subjectKey("  ")).toBeNull();
    expect(subjectKey("王")).toBeNull();
    expect(subjectKey(null)).toBeNull();
    // Different people stay different.
    expect(subjectKey("刘建军")).not.toBe(subjectKey("刘建国"));
  });
});

describe("the unit reader", () => {
  const same = (a: string, b: string, da: string | null = null, db: string | null = null) =>
    units.sameUnit(units.parse(a, da), units.parse(b, db));

  it.each([
    ["长沙市岳麓区住建局", "岳麓区住房和城乡建设局"],
    ["岳麓区住建局质监科", "长沙市岳麓区住房和城乡建设局"],
    ["常德市鼎城区人社局", "鼎城区人力资源和社会保障局"],
    ["岳阳市城管局", "岳阳市城市管理和综合执法局"],
    ["岳阳市城管执法支队", "岳阳市城市管理和综合执法局"],
    ["湘潭县医院", "湘潭县人民医院"],
    ["湘潭城发集团", "湘潭城乡建设发展集团有限公司"],
    ["吉首市乾州派出所", "吉首市公安局乾州派出所"],
    ["湖南省长沙市岳麓区住建局", "岳麓区住建局"],
    ["ＸＸ县交通局", "XX县交通局"],
  ])("%s is %s", (a, b) => {
    expect(same(a, b)).toBe(true);
    expect(same(b, a)).toBe(true);
  });

  it.each([
    ["长沙市住建局", "岳麓区住建局"],
    ["长沙县教育局", "长沙市教育局"],
    ["衡阳市自然资源和规划局", "衡阳县自然资源局"],
    ["长沙县星沙街道办事处", "长沙县泉塘街道"],
    ["湘潭县人民医院", "湘潭县人民政府"],
    ["岳麓区民政局", "岳麓区人社局"],
    ["岳麓区住建局", "局"],
  ])("%s is not %s", (a, b) => {
    expect(same(a, b)).toBe(false);
    expect(same(b, a)).toBe(false);
  });

  it("takes the case's division for a unit that names none, and tolerates one division above the other", () => {
    // 丁字湾村 of 浏阳市 (430181), written with and without its town and city.
    expect(same("丁字湾村", "浏阳市永安镇丁字湾村", "430181", "430181")).toBe(true);
    // A unit without its division, the case filed under the city: the district's bureau may be meant.
    expect(same("住建局", "岳麓区住建局", "430100", "430104")).toBe(true);
    // …but not a unit of another city.
    expect(same("住建局", "岳麓区住建局", "430200", "430104")).toBe(false);
  });
});

describe("the scorer", () => {
  const report = fc.constantFrom(...pool);
  /** A report of the pool with its title or narrative cut, or its name retyped. */
  const variant = fc
    .tuple(report, fc.nat(), fc.nat(), fc.constantFrom(...SEPARATORS))
    .map(([r, cut, at, sep]): RepeatSubject => {
      const chars = [...(r.name ?? "")];
      chars.splice(at % (chars.length + 1), 0, sep);
      return { ...r, name: chars.join(""), body: r.body.slice(0, 20 + (cut % r.body.length)) };
    });

  it("is symmetric", () => {
    fc.assert(
      fc.property(fc.oneof(report, variant), fc.oneof(report, variant), (a, b) => {
        expect(scoreRepeat(a, b, units)).toEqual(scoreRepeat(b, a, units));
      }),
      { numRuns: 300 },
    );
  });

  it("gives a similarity between 0 and 1, and a report is a repeat of itself however its name is typed", () => {
    fc.assert(
      fc.property(report, typedName, (r, { typed }) => {
        const a = { ...r, name: typed };
        const b = { ...r, name: fullWidth(typed).replace(/\s/g, "") };
        const s = scoreRepeat(a, b, units);
        expect(s.similarity).toBeGreaterThanOrEqual(0);
        expect(s.similarity).toBeLessThanOrEqual(1);
        expect(s).toEqual({ samePerson: true, similarity: 1, repeat: true });
      }),
      { numRuns: 200 },
    );
  });

  it("does not count the person's name, unit or place as the same matter", () => {
    const base = { unit: "岳麓区住建局", division: "430104" };
    const a = { ...base, name: "刘建军", title: "反映岳麓区住建局刘建军", body: "岳麓区住建局刘建军刘局长" };
    const b = { ...base, name: "刘建军", title: "岳麓区住建局的刘建军", body: "长沙市岳麓区刘建军刘局长" };
    expect(scoreRepeat(a, b, units).similarity).toBe(0);
    expect(prepareReport(a, units).bigrams.size).toBeGreaterThan(0);
  });

  it("never calls a repeat without the same person", () => {
    const r = pool[0];
    expect(scoreRepeat(r, { ...r, name: "刘建国" }, units).repeat).toBe(false);
    expect(scoreRepeat(r, { ...r, unit: "芦淞区教育局", division: "430203" }, units).repeat).toBe(false);
    expect(scoreRepeat(r, { ...r, name: null, unit: null }, units).repeat).toBe(false);
  });
});
