// 重复件: is a new 信访件 about the same 被反映人 and the same matter as an earlier one? Pure
// functions, no I/O; the service (api/services/repeats/) retrieves candidates by the stored
// subject key through an index and scores them here.
//
// Measured on the labelled set in test/fixtures/repeats (bench/repeats/run.ts, bench/RESULTS.md):
// pg_trgm's similarity() does not separate Chinese repeats from unrelated reports (issue 11), so
// the matter is compared by character bigrams of title and narrative, with the person's name,
// their unit and the generic words every report uses taken out, after the same person is
// established by a normalised name and a unit that tolerates 简称 and suffixes.
import type { Division } from "./divisions";
import { shortNames } from "./short-names";

/** Likely repeats are looked for among the cases received in the last five years. */
export const REPEAT_WINDOW_YEARS = 5;

/**
 * The matter similarity from which two reports about the same person are likely repeats: chosen on
 * the labelled set (bench/repeats/run.ts prints the precision and recall at every threshold).
 */
export const REPEAT_THRESHOLD = 0.08;

/** At most this many earlier cases about the same person are scored (the most recent first). */
export const REPEAT_CANDIDATES = 200;

// Whitespace, punctuation and symbols of every script (· ・ • ‧ included), and the marks NFKC leaves.
const NOISE = /[\s\p{P}\p{S}\p{Cf}]+/gu;

/**
 * Text as compared: NFKC (full-width letters, digits and spaces become their half-width forms,
 * compatibility ideographs their unified ones), lower case, without whitespace, punctuation or
 * symbols.
 */
export function normalizeText(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(NOISE, "");
}

// A note typed after the name: 王志强（村支书）, 李四(副局长).
const BRACKETED = /[（(［[【〔][^）)］\]】〕]*[）)］\]】〕]/gu;

/** A person's name as compared: 刘 建军, 刘·建军, 刘建军（局长） and ＬＩＵ all read alike. */
export function normalizeName(name: string): string {
  return normalizeText(name.normalize("NFKC").replace(BRACKETED, ""));
}

/** The redaction mark (〔已隐去〕): a name that was redacted identifies no one. */
const REDACTED = "已隐去";

/**
 * The stored key of the person reported (cases.subject_key): the normalised name, or null when the
 * report names no one, or only a redacted or one-character name.
 */
export function subjectKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const key = normalizeName(name);
  // Characters, not UTF-16 units: migration 0010 keys the cases before it with SQL's length().
  if ([...key].length < 2 || key.includes(REDACTED)) return null;
  return key;
}

/** A unit (单位) as compared: the division it names (the most specific), and the rest. */
export interface UnitParts {
  /** The division code named at its start (长沙市岳麓区… → 430104), else the case's division. */
  division: string | null;
  /** Whether the division was named in the unit itself (rather than taken from the case). */
  explicit: boolean;
  /** What is left, normalised, without legal-form suffixes (有限公司). */
  rest: string;
}

// Legal-form suffixes that say nothing about which unit it is.
const LEGAL_FORMS = ["股份有限公司", "有限责任公司", "有限公司", "公司"];

/** Reads units against one province's divisions (their full names and 简称). */
export class UnitReader {
  private readonly prefixes: [string, string][];
  private readonly parents = new Map<string, string | null>();
  private readonly names = new Map<string, string[]>();

  constructor(divisions: Division[]) {
    const short = shortNames(divisions);
    const names = new Map<string, string>();
    for (const d of divisions) {
      this.parents.set(d.code, d.parent);
      names.set(normalizeText(d.name), d.code);
      const s = short.get(d.code);
      this.names.set(d.code, [d.name, ...(s && s !== d.name ? [s] : [])]);
      // A one-character 简称 (澧县 stays 澧县) would read too much as a division.
      if (s && s.length >= 2 && !names.has(normalizeText(s))) names.set(normalizeText(s), d.code);
    }
    // Longest first: 长沙县 before 长沙.
    this.prefixes = [...names.entries()].sort((a, b) => b[0].length - a[0].length);
  }

  /** The names of a division and of those above it (岳麓区 → 岳麓区, 岳麓, 长沙市, 长沙, 湖南省, 湖南). */
  namesOf(code: string | null): string[] {
    const out: string[] = [];
    for (let cur = code; cur; cur = this.parents.get(cur) ?? null) out.push(...(this.names.get(cur) ?? []));
    return out;
  }

  /** True when `a` is `b` or above it. */
  isSameOrAbove(a: string, b: string): boolean {
    for (let cur: string | null | undefined = b; cur; cur = this.parents.get(cur)) if (cur === a) return true;
    return false;
  }

  parse(unit: string, fallbackDivision: string | null): UnitParts {
    let rest = normalizeText(unit);
    let division: string | null = null;
    for (let found = true; found; ) {
      found = false;
      for (const [prefix, code] of this.prefixes) {
        if (rest.startsWith(prefix) && rest.length > prefix.length) {
          division = code;
          rest = rest.slice(prefix.length);
          found = true;
          break;
        }
      }
    }
    for (const form of LEGAL_FORMS) {
      if (rest.endsWith(form) && rest.length - form.length >= 2) {
        rest = rest.slice(0, -form.length);
        break;
      }
    }
    return { division: division ?? fallbackDivision, explicit: division !== null, rest };
  }

  /**
   * The same unit, as two reporters would write it: the same division (or, where one of them
   * named none, one within the other), and one name an abbreviation of the other — its characters
   * in order within the other's (住建局 in 住房和城乡建设局, 城发集团 in 城乡建设发展集团), or
   * a sub-unit of it (住建局质监科 of 住房和城乡建设局).
   */
  sameUnit(a: UnitParts, b: UnitParts): boolean {
    if (a.rest.length < 2 || b.rest.length < 2) return false;
    if (a.division && b.division && a.division !== b.division) {
      if (a.explicit && b.explicit) return false;
      if (!this.isSameOrAbove(a.division, b.division) && !this.isSameOrAbove(b.division, a.division))
        return false;
    }
    return abbreviates(a.rest, b.rest) || abbreviates(b.rest, a.rest);
  }
}

// Where the name of an organisation ends and a sub-unit may follow (住建局|质监科).
const ORG_ENDS =
  /(委员会|办事处|支队|大队|中队|中心|集团|公司|政府|街道|局|委|院|校|学|所|镇|乡|村|站|队|厅|部|会|科|股|室)/gu;

// Stems that start the names of unrelated units (人民医院, 人民政府).
const SHARED_STEMS = new Set(["人民", "中共", "中国", "国家", "湖南"]);

/** `short` is `long` abbreviated, or `short` names a sub-unit of what `long` abbreviates. */
function abbreviates(short: string, long: string): boolean {
  if (isSubsequence(short, long)) return true;
  for (const m of short.matchAll(ORG_ENDS)) {
    // 住建局质监科 → 住建局: the head organisation of a sub-unit.
    const head = short.slice(0, m.index + m[0].length);
    if (head.length >= 2 && head.length < short.length && isSubsequence(head, long)) return true;
    // 城管执法支队 of 城市管理和综合执法局: a sub-unit named by the organisation's stem. Three
    // characters at least (人民医院 is not 人民政府).
    const stem = short.slice(0, m.index);
    if (stem.length >= 3 && isSubsequence(stem, long)) return true;
    // 城管局 and 城管执法支队: two names of one organisation's parts, by the same stem.
    if (m.index + m[0].length === short.length && stem.length >= 2 && !SHARED_STEMS.has(stem)) {
      if (long.startsWith(stem)) return true;
    }
  }
  return false;
}

function isSubsequence(short: string, long: string): boolean {
  const s = [...short];
  let i = 0;
  for (const ch of long) if (i < s.length && ch === s[i]) i++;
  return i === s.length;
}

/**
 * Words every report uses (举报、反映、调查、群众…): bigrams that say nothing about which matter
 * it is. Kept short on purpose: a matter's own nouns (工程、补偿、低保) stay.
 */
const GENERIC = new Set([
  "举报",
  "反映",
  "反应",
  "问题",
  "情况",
  "希望",
  "请求",
  "恳请",
  "要求",
  "调查",
  "查处",
  "查一",
  "一查",
  "核查",
  "纪委",
  "上级",
  "领导",
  "群众",
  "我们",
  "他们",
  "大家",
  "这个",
  "一个",
  "没有",
  "什么",
  "知道",
  "听说",
  "据说",
  "来电",
  "电人",
  "来信",
  "信人",
  "来访",
  "访人",
  "涉嫌",
  "利用",
  "职务",
  "便利",
  "职权",
  "严重",
  "影响",
  "处理",
  "予以",
  "请予",
  "再次",
  "已经",
  "多次",
  "长期",
  "经常",
  "的问",
  "的人",
  "的钱",
  "了一",
  "一下",
  // The redaction mark 〔已隐去〕.
  "已隐",
  "隐去",
]);

// Titles that follow a name or a surname (刘局长, 王书记, 吴所长): about the person, not the matter.
const TITLES = [
  "副局长",
  "局长",
  "副主任",
  "主任",
  "副书记",
  "书记",
  "支书",
  "副院长",
  "院长",
  "所长",
  "科长",
  "股长",
  "站长",
  "校长",
  "镇长",
  "乡长",
  "副区长",
  "区长",
  "县长",
  "市长",
  "处长",
  "大队长",
  "队长",
  "总经理",
  "经理",
  "副总",
  "董事长",
];
const TITLE_STARTS = [...new Set(TITLES.map((t) => t[0]))];

function bigramsOf(text: string, into = new Set<string>()): Set<string> {
  const chars = [...text];
  for (let i = 0; i + 1 < chars.length; i++) into.add(chars[i] + chars[i + 1]);
  return into;
}

/** Bigrams that never tell one matter from another: the generic words and the titles. */
const NEVER = new Set<string>(GENERIC);
for (const t of TITLES) bigramsOf(t, NEVER);

/** A report as the detector sees it: sanitised text only, nothing from the sealed identity. */
export interface RepeatSubject {
  title: string;
  body: string;
  /** The person reported (被反映人), as typed (and redacted); null when the report names no one. */
  name: string | null;
  unit: string | null;
  /** The division code of the person reported (cases.subject_division_code). */
  division: string | null;
}

/** A report read once, to be compared with many (intake scores every candidate against one). */
export interface PreparedReport {
  key: string | null;
  unit: UnitParts | null;
  /** Bigrams of title and narrative, without the person's name and the bigrams in NEVER. */
  bigrams: Set<string>;
  /**
   * Bigrams that say who the report is about rather than what: of the name, the unit, the
   * division and those above it, and the surname followed by a title (刘局长).
   */
  about: Set<string>;
}

export function prepareReport(r: RepeatSubject, units: UnitReader): PreparedReport {
  const name = r.name ? normalizeName(r.name) : "";
  const about = bigramsOf(name);
  if (r.unit) bigramsOf(normalizeText(r.unit), about);
  const unit = r.unit ? units.parse(r.unit, r.division) : null;
  // Place names say where the person works, not what happened.
  for (const place of units.namesOf(unit?.division ?? r.division)) bigramsOf(normalizeText(place), about);
  const surname = [...name][0];
  if (surname) for (const c of TITLE_STARTS) about.add(surname + c);

  let text = normalizeText(`${r.title}\n${r.body}`);
  if (name.length >= 2) text = text.split(name).join("|");
  const bigrams = new Set<string>();
  for (const run of text.split("|")) for (const g of bigramsOf(run)) if (!NEVER.has(g)) bigrams.add(g);
  return { key: subjectKey(r.name), unit, bigrams, about };
}

/**
 * How much two reports tell the same matter, 0…1: the share of the shorter report's bigrams the
 * other one has too (a telephone note of three lines against a letter of a page still scores),
 * once what says who either report is about is taken out of both (so the score is symmetric).
 */
export function matterSimilarity(a: PreparedReport, b: PreparedReport): number {
  const keep = (g: string) => !a.about.has(g) && !b.about.has(g);
  let inA = 0;
  let shared = 0;
  for (const g of a.bigrams) {
    if (!keep(g)) continue;
    inA++;
    if (b.bigrams.has(g)) shared++;
  }
  let inB = 0;
  for (const g of b.bigrams) if (keep(g)) inB++;
  if (inA === 0 || inB === 0) return 0;
  return shared / Math.min(inA, inB);
}

export interface RepeatScore {
  /** The same 被反映人: normalised name and unit. */
  samePerson: boolean;
  /** The matter similarity, 0…1, rounded to 3 places. */
  similarity: number;
  /** samePerson and a similarity of at least the threshold. */
  repeat: boolean;
}

/** Scores one pair of prepared reports; symmetric in `a` and `b`. */
export function scorePrepared(
  a: PreparedReport,
  b: PreparedReport,
  units: UnitReader,
  threshold = REPEAT_THRESHOLD,
): RepeatScore {
  const samePerson =
    a.key !== null && a.key === b.key && a.unit !== null && b.unit !== null && units.sameUnit(a.unit, b.unit);
  const similarity = Math.round(matterSimilarity(a, b) * 1000) / 1000;
  return { samePerson, similarity, repeat: samePerson && similarity >= threshold };
}

/** Scores one pair of reports; symmetric in `a` and `b`. */
export function scoreRepeat(
  a: RepeatSubject,
  b: RepeatSubject,
  units: UnitReader,
  threshold = REPEAT_THRESHOLD,
): RepeatScore {
  return scorePrepared(prepareReport(a, units), prepareReport(b, units), units, threshold);
}
