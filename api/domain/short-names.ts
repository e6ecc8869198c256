// 地名简称 for the front of an office's 信访件编号 (长沙〔2026〕第123号): the division's name
// without its administrative suffix and, for autonomous divisions, the names of the peoples
// (湘西土家族苗族自治州 → 湘西, 靖州苗族侗族自治县 → 靖州). A name that would shrink to one
// character keeps its suffix (澧县, 南县), and when two offices would share a short name the
// lower level keeps its full name (长沙市 → 长沙, 长沙县 stays 长沙县), so no two offices of a
// province number alike. A division may carry its own `shortName` in the seed to override this.

/** The peoples named in autonomous divisions' names, longest first so 土家族 is tried before 土族. */
const PEOPLES = [
  "维吾尔族",
  "哈萨克族",
  "柯尔克孜族",
  "塔吉克族",
  "乌孜别克族",
  "鄂温克族",
  "鄂伦春族",
  "达斡尔族",
  "土家族",
  "蒙古族",
  "布依族",
  "仡佬族",
  "朝鲜族",
  "撒拉族",
  "东乡族",
  "保安族",
  "裕固族",
  "锡伯族",
  "哈尼族",
  "拉祜族",
  "纳西族",
  "景颇族",
  "傈僳族",
  "普米族",
  "独龙族",
  "阿昌族",
  "德昂族",
  "基诺族",
  "布朗族",
  "毛南族",
  "仫佬族",
  "苗族",
  "瑶族",
  "侗族",
  "白族",
  "回族",
  "壮族",
  "彝族",
  "藏族",
  "黎族",
  "傣族",
  "水族",
  "羌族",
  "满族",
  "畲族",
  "土族",
  "佤族",
  "怒族",
  "京族",
  "各族",
];

const AUTONOMOUS = ["自治州", "自治县", "自治旗", "自治区"];
const SUFFIXES = ["地区", "省", "市", "区", "县", "盟", "旗"];

/** The short name of one division by its name alone (before collisions are settled). */
export function shortNameOf(name: string): string {
  let s = name;
  const autonomous = AUTONOMOUS.find((a) => s.endsWith(a));
  if (autonomous) {
    s = s.slice(0, -autonomous.length);
    for (let stripped = true; stripped; ) {
      stripped = false;
      for (const p of PEOPLES) {
        if (s.endsWith(p) && s.length - p.length >= 2) {
          s = s.slice(0, -p.length);
          stripped = true;
          break;
        }
      }
    }
    return s.length >= 2 ? s : name;
  }
  const suffix = SUFFIXES.find((x) => s.endsWith(x));
  if (suffix && s.length - suffix.length >= 2) s = s.slice(0, -suffix.length);
  return s;
}

const LEVEL_RANK = { province: 0, city: 1, county: 2 } as const;

export interface NamedDivision {
  code: string;
  name: string;
  level: keyof typeof LEVEL_RANK;
  /** From the seed: the office's own short name, used as it is. */
  shortName?: string;
}

/**
 * Short names for a province's divisions, by code, unique across the province: where two would
 * be alike, the ones below the highest level among them keep their full name.
 */
export function shortNames(divisions: NamedDivision[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of divisions) out.set(d.code, d.shortName || shortNameOf(d.name));
  const byShort = new Map<string, NamedDivision[]>();
  for (const d of divisions) {
    const s = out.get(d.code)!;
    byShort.set(s, [...(byShort.get(s) ?? []), d]);
  }
  for (const same of byShort.values()) {
    if (same.length < 2) continue;
    const top = Math.min(...same.map((d) => LEVEL_RANK[d.level]));
    const atTop = same.filter((d) => LEVEL_RANK[d.level] === top);
    for (const d of same) {
      // One office at the highest level keeps the short form; everyone else is named in full.
      if (atTop.length === 1 && atTop[0] === d) continue;
      if (!d.shortName) out.set(d.code, d.name);
    }
  }
  return out;
}
