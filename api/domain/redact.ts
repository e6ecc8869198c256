import bidiFactory from "bidi-js";
import { findEmails } from "./email-scan";
import { findMaskedIdNumbers } from "./masked-id";
import { findMaskedMobiles } from "./masked-mobile";
import {
  failureTable,
  findAll,
  foldCodePoint,
  isAsciiDigit,
  type KeyView,
  keyOf,
  keyView,
  numeralView,
} from "./text-view";

export const REDACTED = "〔已隐去〕";

/** What the reporter told us about themselves (all optional: an anonymous report has none). */
export interface OwnIdentifiers {
  name?: string;
  /** Mainland mobile (11 digits) or a landline (with or without its area code). */
  phone?: string;
  /** Further phone numbers. */
  phones?: string[];
  /** 18-digit 身份证号. */
  idNumber?: string;
  email?: string;
  address?: string;
}

/**
 * One identifier in normalised form (see text-view.ts) and the conditions under which an
 * occurrence counts. Plain data, so a reporter's patterns can be stored (secretbox'ed) and used
 * again to redact their follow-up messages.
 */
export interface RedactionPattern {
  /** The normalised identifier (letters lower-cased, digits ASCII, no separators). */
  key: string;
  /** A Latin letter at an end of the key must not continue a word in the text (`Li` ≠ `police`). */
  word?: boolean;
  /** A fragment: counts when no digit is next to it, or (with `cue`) when it follows a cue word. */
  standalone?: boolean;
  /** Counts when it follows a cue word (身份证, 尾号, 后四位 …) closely. */
  cue?: boolean;
  /** Counts only when no digit follows (an address written without its final 室). */
  noDigitAfter?: boolean;
  /** Also removes a +86 / 0086 / 86 written right before it. */
  countryPrefix?: boolean;
  /**
   * The key is a mobile's first three and last four digits: counts in a masked mobile
   * (139****5678, 139-xxxx-5678) and nowhere else.
   */
  masked?: boolean;
  /** Counts only when no digit comes right before it (5栋301室 is not in 15栋301室). */
  noDigitBefore?: boolean;
  /**
   * The key is the address's numbers joined by `-` (932-5-2-301): counts where numbers joined by
   * dashes in the text (5-2-301, 5—301) are those numbers in order, up to and with the last one.
   */
  dashed?: boolean;
  /**
   * The key is the whole 18-character ID: counts where the text holds it with some characters
   * masked (4301021990****1234, 430***********1234, 430102****1234; api/domain/masked-id.ts).
   */
  maskedId?: boolean;
}

export interface RedactionPatterns {
  v: 1;
  patterns: RedactionPattern[];
}

/** Cue words after which a short number is the reporter's ID or phone fragment (normalised). */
const CUES = [
  "身份证",
  "证件号",
  "证号",
  "尾号",
  "后四位",
  "后4位",
  "后六位",
  "后6位",
  "末四位",
  "末4位",
  "末六位",
  "末6位",
  "尾数",
  "末尾",
  "尾四位",
  "尾4位",
  "后四个数字",
  "后4个数字",
  "后四个数",
  "后4个数",
  "末四个数字",
  "末4个数字",
  "后面四位",
  "后面4位",
  "后面的四位",
  "后面的4位",
  // The first seven of a mobile (前七位1391234) count after these.
  "前七位",
  "前7位",
  // Traditional forms (尾號, 後四位, 身份證) read as these: text-view.ts folds them.
  // 最后四位 / 最后四个数字 … contain 后四位 / 后四个数字 and are cues through them.
].map(keyOf);
/** The cues by their first code point: one pass over a text finds them all. */
const CUES_BY_FIRST = new Map<number, number[][]>();
for (const cue of CUES) CUES_BY_FIRST.set(cue[0], [...(CUES_BY_FIRST.get(cue[0]) ?? []), cue]);
/** How many normalised characters may stand between a cue and the fragment (号码是, 号码为 …). */
const CUE_WINDOW = 8;

/** The patterns for a reporter's identifiers. */
export function redactionPatterns(ids: OwnIdentifiers): RedactionPatterns {
  const out: RedactionPattern[] = [];
  const add = (p: RedactionPattern) => {
    if (p.key.length > 0 && !out.some((q) => samePattern(p, q))) out.push(p);
  };
  const str = codePointsToString;

  for (const name of nameKeys(ids.name ?? "")) add({ key: name, word: true });

  const id = str(keyOf(ids.idNumber ?? ""));
  if (/^\d{17}[\dx]$/.test(id)) {
    add({ key: id });
    // The 15-digit form of the first-generation card: no century digits, no check digit.
    if (id.slice(6, 8) === "19") add({ key: id.slice(0, 6) + id.slice(8, 17) });
    // The first 17 alone (the x left off, or written as something else: …123❌, 最后一位是X).
    add({ key: id.slice(0, 17) });
    // The last six or four only after a cue word: on their own they are years and amounts
    // (2019年, 2019元) far more often than a reporter's ID.
    add({ key: id.slice(12), cue: true });
    add({ key: id.slice(14), cue: true });
    add({ key: id, maskedId: true });
  }

  for (const raw of [ids.phone, ...(ids.phones ?? [])]) {
    if (!raw) continue;
    let digits = str(keyOf(raw)).replace(/\D/g, "");
    if (/^(?:86|0086)1[3-9]\d{9}$/.test(digits)) digits = digits.slice(digits.length - 11);
    if (/^1[3-9]\d{9}$/.test(digits)) {
      add({ key: digits, countryPrefix: true });
      add({ key: digits.slice(7), cue: true });
      add({ key: digits.slice(0, 7), cue: true });
      add({ key: digits.slice(0, 3) + digits.slice(7), masked: true });
    } else if (/^0\d{9,11}$/.test(digits)) {
      // Landline with area code: 010 and 02x are three digits, the others four.
      const area = /^0[12]/.test(digits) ? 3 : 4;
      add({ key: digits, countryPrefix: true });
      add({ key: digits.slice(1), countryPrefix: true });
      add({ key: digits.slice(area), standalone: true });
    } else if (/^\d{7,8}$/.test(digits)) {
      add({ key: digits, standalone: true });
    }
  }

  // No word boundary: the normalised address is long and specific, and letters glued to it
  // (`ab` + `wxm @ qq . com`) must not save it.
  const email = str(keyOf(ids.email ?? ""));
  if (email.length >= 3) add({ key: email });
  // The part before the @ on its own: a QQ mailbox's number is the QQ number (我的QQ号是123456789),
  // and a mailbox name is written without its domain (163邮箱wxm1990).
  const at = (ids.email ?? "").search(/[@＠]/);
  if (at > 0) {
    const local = str(keyOf(ids.email!.slice(0, at)));
    if (/^\d{5,12}$/.test(local)) add({ key: local, standalone: true });
    else if (local.length >= 5 && /[a-z]/.test(local)) add({ key: local, word: true });
  }

  for (const p of addressPatterns(keyOf(ids.address ?? ""))) add(p);
  return { v: 1, patterns: out };
}

function samePattern(a: RedactionPattern, b: RedactionPattern): boolean {
  return (
    a.key === b.key &&
    !!a.word === !!b.word &&
    !!a.standalone === !!b.standalone &&
    !!a.cue === !!b.cue &&
    !!a.noDigitAfter === !!b.noDigitAfter &&
    !!a.countryPrefix === !!b.countryPrefix &&
    !!a.masked === !!b.masked &&
    !!a.noDigitBefore === !!b.noDigitBefore &&
    !!a.dashed === !!b.dashed &&
    !!a.maskedId === !!b.maskedId
  );
}

/** Words put before or after a name in the name field: 王小明（本人）, 王小明 先生. */
const NAME_AFFIXES = [
  "本人",
  "先生",
  "女士",
  "小姐",
  "同志",
  "同学",
  "老师",
  "师傅",
  "实名",
  "举报人",
  "联名",
].map((w) => codePointsToString(keyOf(w)));
/**
 * Where a name field holds several names of letters: 王小明、李华 (a joint report), Li Na/Wang Wei,
 * 王小明和李华, 王小明跟李华 (Han names separated by spaces are read as runs, in nameKeys).
 */
const NAME_SEPARATORS = /[、，,；;／/|｜&＆+＋和与及跟]+/u;
/**
 * Words that stand beside a name in a name field but are not a name (王小明及家人, 王小明和妻子):
 * never a pattern of their own, so they are not removed from the whole text.
 */
const NOT_NAMES = new Set(
  [
    ..."家人 家属 妻子 丈夫 爱人 老婆 老公 父亲 母亲 父母 儿子 女儿 子女 孩子 兄弟 姐妹 哥哥 弟弟 姐姐 妹妹".split(
      " ",
    ),
    ..."亲属 亲戚 朋友 同事 同学 邻居 村民 群众 居民 职工 员工 工人 农民 股东 业主 家长 老师 领导 全家 大家".split(
      " ",
    ),
    ..."其他人 多人 多名 若干".split(" "),
    // Titles, labels and facts written beside a name (王小明 先生, 王小明：举报人, 王小明 书记).
    ..."先生 女士 小姐 同志 师傅 本人 举报人 实名 实名举报人 联名 证人 汉族 党员 干部 退休 教师 医生".split(
      " ",
    ),
    ..."书记 副书记 主任 副主任 局长 副局长 科长 副科长 处长 县长 市长 镇长 乡长 村长 支书 经理 主席 部长 厅长 所长 站长 队长 组长".split(
      " ",
    ),
  ].map((w) => codePointsToString(keyOf(w))),
);
const HAN_RUN = /^\p{Script=Han}{2,8}$/u;
/** What may follow a name in its field: 等, 等人, 等3人, 一家三口, 全家, 夫妇, 男, 女 (normalised). */
const NAME_TAIL =
  /(?:等(?:[0-9一二两三四五六七八九十]+人|人)?|一家(?:[0-9一二两三四五六七八九十]+口)?|全家|夫妇|男|女)$/u;
/** A name as people write one: letters, with spaces, dots, apostrophes or hyphens between them. */
const NAME_LIKE = /^[\p{L}\p{M}][\p{L}\p{M} .·•'’-]{0,38}[\p{L}\p{M}]$/u;

/**
 * The name as given, and each name in it: a field holding several (王小明、李华) or words beside
 * the name (王小明（本人）, 王小明 先生) gives each name on its own. A part shorter than two
 * characters is never a pattern (王和平 is one name, not 王 and 平): then the field is one name.
 */
function nameKeys(raw: string): string[] {
  const keys: string[] = [];
  const push = (s: string) => {
    const whole = codePointsToString(keyOf(s));
    let k = whole;
    let sex = false;
    for (let again = true; again; ) {
      again = false;
      // 王小明等3人, 王小明等三人, 王小明一家三口, 王小明 男 (the sex written after the name).
      const tail = NAME_TAIL.exec(k);
      if (tail && [...k].length - [...tail[0]].length >= 2) {
        k = k.slice(0, k.length - tail[0].length);
        if (tail[0] === "男" || tail[0] === "女") sex = true;
        again = true;
      }
      for (const w of NAME_AFFIXES) {
        if (k.length > w.length + 1 && k.endsWith(w)) {
          k = k.slice(0, -w.length);
          again = true;
        }
        if (k.length > w.length + 1 && k.startsWith(w)) {
          k = k.slice(w.length);
          again = true;
        }
      }
    }
    // The name without its words; and as typed when a 男 or 女 came off (a name may end in it: 陈亚男).
    for (const key of sex ? [k, whole] : [k])
      if ([...key].length >= 2 && !keys.includes(key) && !NOT_NAMES.has(key)) keys.push(key);
  };
  push(raw);
  // Words in brackets are not the name: 王小明（本人）, 王小明(实名); nor a label before a colon
  // (姓名：王小明).
  const unbracketed = raw
    .replace(/[（(［[【〔][^）)］\]】〕]*[）)］\]】〕]?/gu, " ")
    .replace(/^\s*(?:姓名|名字|举报人|实名举报人|联系人|署名|本人)\s*[:：]/u, "");
  push(unbracketed);
  const parts = unbracketed.split(NAME_SEPARATORS);
  // Only when every part is a name of letters (markup or a note split at its / is not names).
  if (
    parts.length > 1 &&
    parts.every((x) => NAME_LIKE.test(x.trim()) && [...codePointsToString(keyOf(x))].length >= 2)
  ) {
    for (const part of parts) push(part);
  }
  // Each run of Han characters in the field, brackets and all, is a name when it has two to eight
  // characters (a name and the words after it, NAME_TAIL, taken off) and is no title or word from
  // the list above: 王小明 男, 王小明，男，汉族,
  // Wang Xiaoming (王小明), 主任：王小明, 王小明等3人, 王小明 李华. Runs split by a space only merge
  // when together at most four characters: 王 小明 and 欧阳 娜娜 are one name each.
  const runs: string[] = [];
  let lastEnd = -1;
  for (const m of raw.matchAll(/\p{Script=Han}+/gu)) {
    const gap = lastEnd >= 0 ? raw.slice(lastEnd, m.index) : "";
    const prev = runs.at(-1);
    if (prev !== undefined && /^\s+$/u.test(gap) && [...prev].length + [...m[0]].length <= 4)
      runs[runs.length - 1] = prev + m[0];
    else runs.push(m[0]);
    lastEnd = m.index + m[0].length;
  }
  for (const run of runs) if (HAN_RUN.test(run)) push(run);
  return keys;
}

// The most specific levels of an address: 5栋, 2单元, 301室, 3组 … (longest marker first).
const MARKERS = ["单元", "号楼", "组", "号", "栋", "幢", "室", "楼", "座", "层", "户"].map(keyOf);
const NUMERALS = new Set(keyOf("〇零一二两三四五六七八九十百"));
// Administrative and street suffixes that end the place name before the house number.
const PLACE_ENDS = new Set(keyOf("省市区县旗州盟镇乡村道"));

interface Component {
  s: number;
  e: number;
  marker: number[];
}

function addressComponents(k: number[]): Component[] {
  const comps: Component[] = [];
  const isNum = (cp: number) => isAsciiDigit(cp) || NUMERALS.has(cp);
  const isLatin = (cp: number) => cp >= 97 && cp <= 122;
  let i = 0;
  while (i < k.length) {
    let j = i;
    if (isNum(k[i])) {
      while (j < k.length && isNum(k[j])) j++;
      // One building letter before the number: B3栋.
    } else if (isLatin(k[i]) && (i === 0 || !isLatin(k[i - 1])) && !(i + 1 < k.length && isLatin(k[i + 1]))) {
      j = i + 1;
      while (j < k.length && isNum(k[j])) j++;
    } else {
      i++;
      continue;
    }
    const marker = MARKERS.find((m) => m.every((c, x) => k[j + x] === c));
    if (marker) {
      comps.push({ s: i, e: j + marker.length, marker });
      i = j + marker.length;
    } else i = j;
  }
  return comps;
}

/**
 * The address as given, and its most specific part (the 组/号/栋/幢/单元/室/楼 levels): every run
 * of two or more of those levels up to the last one (932号5栋2单元301室, 5栋2单元301室,
 * 2单元301室, also without a final 室/户), and the first level with the place name just before
 * it (麓山南路932号, 某某村3组). A place name alone is never a pattern: it is a fact of the case.
 *
 * Also, with no digit right before them: the levels written skipping some (5栋301室, 932号301室),
 * any two or more of them in order (932号5栋, 932号院5栋, 5栋2单元), the final 室/户 alone (301室),
 * the same written in Chinese numerals (五栋二单元三零一室), and the numbers joined by dashes
 * (5-2-301, see `findDashedNumbers`).
 */
function addressPatterns(k: number[]): RedactionPattern[] {
  const out: RedactionPattern[] = [];
  const str = (a: number, b: number) => codePointsToString(k.slice(a, b));
  if (k.length >= 3) out.push({ key: str(0, k.length) });
  const comps = addressComponents(k);
  if (comps.length === 0) return out;
  const last = comps[comps.length - 1];
  const isRoom = (c: Component) =>
    c.marker.length === 1 && (c.marker[0] === 0x5ba4 || c.marker[0] === 0x6237); // 室, 户
  const dropLast = isRoom(last);
  // The runs up to the last level, from at most the eight levels before it (an address is a few
  // levels; a hostile one of thousands would make a pattern of each run).
  // Each starts with its number, so none counts after a digit (15栋2单元301室 is another building's).
  for (let c = Math.max(0, comps.length - 9); c < comps.length - 1; c++) {
    out.push({ key: str(comps[c].s, last.e), noDigitBefore: true });
    if (dropLast) out.push({ key: str(comps[c].s, last.e - 1), noDigitAfter: true, noDigitBefore: true });
  }
  const f = comps[0].s;
  let q = f - 2;
  while (q >= 0 && !PLACE_ENDS.has(k[q])) q--;
  if (q + 1 < f) out.push({ key: str(q + 1, comps[0].e) });

  // The most specific levels only (a village's 组 is not one of them), the last four: at most 11
  // runs of them, so a few dozen patterns.
  const levels = comps.filter((c) => !(c.marker.length === 1 && c.marker[0] === 0x7ec4)).slice(-4); // 组
  if (levels.length === 0) return out;
  const lastLevel = levels[levels.length - 1];
  if (isRoom(lastLevel)) out.push({ key: str(lastLevel.s, lastLevel.e), noDigitBefore: true });
  const YUAN = 0x9662; // 院: 932号院5栋
  const HAO = 0x53f7; // 号
  for (let mask = 1; mask < 1 << levels.length; mask++) {
    const chosen = levels.filter((_, i) => mask & (1 << i));
    if (chosen.length < 2) continue;
    const plain = chosen.map((c) => k.slice(c.s, c.e));
    const variants = [plain.flat()];
    if (chosen[0].marker.length === 1 && chosen[0].marker[0] === HAO) {
      variants.push([...plain[0], YUAN, ...plain.slice(1).flat()]);
    }
    for (const v of variants) {
      out.push({ key: String.fromCodePoint(...v), noDigitBefore: true });
      // The flat written without its 室 (5栋301, 932号301, 5栋301房间): a whole number on both sides.
      if (chosen[chosen.length - 1] === lastLevel && isRoom(lastLevel))
        out.push({ key: String.fromCodePoint(...v.slice(0, -1)), noDigitBefore: true, noDigitAfter: true });
    }
    // Chinese numerals: only for runs up to the last level (what is written in full).
    if (chosen[chosen.length - 1] === lastLevel) {
      for (const v of chineseForms(chosen.map((c) => k.slice(c.s, c.e)))) {
        out.push({ key: String.fromCodePoint(...v) });
      }
    }
  }
  const numbers = levels.map((c) => String.fromCodePoint(...k.slice(c.s, c.e - c.marker.length)));
  // Four digits or more in all: 8-3 (8号3楼) is a score or a date far more often than a flat.
  if (numbers.length >= 2 && numbers.every((n) => /^\d{1,5}$/.test(n)) && numbers.join("").length >= 4) {
    out.push({ key: numbers.join("-"), dashed: true });
  }
  return out;
}

const CN_DIGITS = [..."零一二三四五六七八九"].map((c) => c.codePointAt(0)!);
const CN_ZERO = "〇".codePointAt(0)!;
const CN_TEN = "十".codePointAt(0)!;

/** 5 → 五, 12 → 十二, 23 → 二十三; 301 → 三零一 and 三〇一 (how a number is read out). */
function chineseNumber(digits: string): number[][] {
  const n = Number(digits);
  const d = (c: string) => CN_DIGITS[c.charCodeAt(0) - 48];
  if (digits.length === 1) return [[d(digits)]];
  if (n < 100 && digits[0] !== "0") {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return [[...(tens > 1 ? [CN_DIGITS[tens]] : []), CN_TEN, ...(ones > 0 ? [CN_DIGITS[ones]] : [])]];
  }
  const read = [...digits].map(d);
  return digits.includes("0") ? [read, [...digits].map((c) => (c === "0" ? CN_ZERO : d(c)))] : [read];
}

/** The components with every ASCII number in Chinese numerals (each combination of forms, ≤ 4). */
function chineseForms(parts: number[][]): number[][] {
  let forms: number[][] = [[]];
  for (const part of parts) {
    let e = 0;
    while (e < part.length && isAsciiDigit(part[e])) e++;
    if (e === 0) return []; // a letter (B3栋) or Chinese already: the plain pattern covers it
    const rest = part.slice(e);
    const next: number[][] = [];
    for (const f of forms)
      for (const cn of chineseNumber(String.fromCodePoint(...part.slice(0, e))))
        next.push([...f, ...cn, ...rest]);
    forms = next.slice(0, 4);
  }
  return forms;
}

// Dashes that join the numbers of 栋-单元-室: - ‐ ‑ ‒ – — ― － ─, and the slashes / ／.
const DASHES = new Set([0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0xff0d, 0x2500, 0x2f, 0xff0f]);

/**
 * Spans where numbers joined by single dashes (5-2-301, ５—２—３０１, 932-5-301) are the address's
 * numbers (`key`: 932-5-2-301) in order, two or more of them, the last one included, each a
 * whole number (no digit glued to it), and nothing more joined to them by a dash. One pass to
 * read the dash-joined numbers, each chain compared once: linear.
 */
export function findDashedNumbers(text: string, key: string): [number, number][] {
  const wanted = key.split("-");
  const out: [number, number][] = [];
  if (wanted.length < 2) return out;
  const room = wanted[wanted.length - 1];
  // Chains of numbers joined by one dash each.
  let chain: { v: string; s: number; e: number }[] = [];
  let cur: { v: string; s: number; e: number } | undefined;
  let dashAt = -1; // end of the dash after the last number of the chain, when one follows
  const flush = () => {
    // The whole chain (6-2-301 is another building's flat, not 2-301 of ours), matched greedily
    // in order against the wanted numbers, ending on the last one.
    if (chain.length >= 2 && chain.length <= wanted.length && chain[chain.length - 1].v === room) {
      let w = 0;
      for (const g of chain) {
        while (w < wanted.length && wanted[w] !== g.v) w++;
        w++;
      }
      // Four digits or more, as for the pattern itself: 3-12 is a date far more often than a flat.
      const digits = chain.reduce((n, g) => n + g.v.length, 0);
      if (w === wanted.length && digits >= 4) out.push([chain[0].s, chain[chain.length - 1].e]);
    }
    chain = [];
  };
  for (let i = 0; i <= text.length; ) {
    const cp = i < text.length ? text.codePointAt(i)! : -1;
    const next = i + (cp > 0xffff ? 2 : 1);
    const f = cp >= 0 ? foldDigit(cp) : -1;
    if (f >= 0) {
      if (cur) {
        cur.v += String.fromCharCode(f);
        cur.e = next;
      } else {
        if (dashAt !== i) flush();
        cur = { v: String.fromCharCode(f), s: i, e: next };
      }
    } else {
      if (cur) {
        chain.push(cur);
        cur = undefined;
        dashAt = DASHES.has(cp) ? next : -1;
      } else dashAt = -1;
      if (dashAt < 0) flush();
    }
    i = next;
  }
  flush();
  return out;
}

/** The ASCII digit a code point folds to (full-width ５ → 5), or -1. */
function foldDigit(cp: number): number {
  if (cp >= 48 && cp <= 57) return cp;
  if (cp < 0x80) return -1;
  const f = foldCodePoint(cp);
  return f.length === 1 && isAsciiDigit(f[0]) ? f[0] : -1;
}

/** Code points to a string without spreading them into one call (a long input would overflow the stack). */
function codePointsToString(cps: readonly number[]): string {
  let out = "";
  for (let i = 0; i < cps.length; i += 4096) out += String.fromCodePoint(...cps.slice(i, i + 4096));
  return out;
}

/** Removes the reporter's identifiers (and any e-mail address) from text staff will read. */
export function redactOwnIdentifiers(text: string, ids: OwnIdentifiers): string {
  return redactWith(text, redactionPatterns(ids));
}

/**
 * Replaces every occurrence of the patterns, and every e-mail-like string, with 〔已隐去〕. The
 * text around a match keeps its layout; text without a match is returned unchanged. Linear in the
 * length of the text for each pattern (KMP on the normalised view, a one-pass e-mail scanner).
 */
export function redactWith(text: string, set: RedactionPatterns): string {
  const covered = new Int32Array(text.length + 1);
  let any = false;
  const cover = (a: number, b: number) => {
    if (b <= a) return;
    covered[a]++;
    covered[b]--;
    any = true;
  };
  const c = compiled(set);
  findIn(text, c, cover);
  // Text that a browser shows in another order than it is stored (right-to-left letters or
  // digits, bidi controls: 电话\u200F5678 1234 139 shows as 电话139 1234 5678) is also read as it
  // is shown; what is found there is covered in the stored text, from its first character to its
  // last.
  const shown = visualOrder(text);
  if (shown) {
    findIn(shown.text, c, (a, b) => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = -1;
      for (let i = a; i < b; i++) {
        lo = Math.min(lo, shown.at[i]);
        hi = Math.max(hi, shown.at[i]);
      }
      if (hi >= 0) cover(lo, hi + 1);
    });
  }
  if (!any) return text;

  let out = "";
  let depth = 0;
  let last = 0;
  for (let i = 0; i <= text.length; i++) {
    const was = depth;
    depth += covered[i];
    if (was === 0 && depth > 0) {
      out += text.slice(Math.min(last, i), i) + REDACTED;
    } else if (was > 0 && depth === 0) {
      // Marks that belong to the last character removed go with it (the keycap of 8️⃣, a strike-through).
      last = i;
      while (last < text.length) {
        const cp = text.codePointAt(last)!;
        if (!isAttached(cp)) break;
        last += cp > 0xffff ? 2 : 1;
      }
    }
  }
  return out + (depth === 0 ? text.slice(last) : "");
}

/** What attaches to the character before it: combining marks, variation selectors, the keycap, ZWJ. */
const MARK = /^\p{M}$/u;
const isAttached = (cp: number) =>
  cp === 0x200d ||
  cp === 0x20e3 ||
  (cp >= 0xfe00 && cp <= 0xfe0f) ||
  (cp >= 0xe0100 && cp <= 0xe01ef) ||
  MARK.test(String.fromCodePoint(cp));

/** Every span of `text` the compiled set covers, given to `cover`. */
function findIn(text: string, c: Compiled, cover: (a: number, b: number) => void): void {
  for (const [a, b] of findEmails(text)) cover(a, b);
  if (c.masked.size > 0)
    for (const m of findMaskedMobiles(text)) if (c.masked.has(m.digits)) cover(m.start, m.end);
  for (const key of c.dashed) for (const [a, b] of findDashedNumbers(text, key)) cover(a, b);
  for (const id of c.maskedIds) for (const [a, b] of findMaskedIdNumbers(text, id)) cover(a, b);
  if (c.plain.length === 0) return;
  const view = keyView(text);
  // Numbers written in Chinese numerals (一三九…, 1三8OO…) read as digits, for the patterns that
  // are numbers; the same view when the text has none.
  const numerals = c.anyNumeric ? numeralView(view) : view;
  const cueEnd = c.anyCue ? lastCueEnds(view) : undefined;
  // A fragment after a cue word may be in numerals as short as itself (尾号五六七八): a view
  // reading runs from three characters, where only a cued match counts.
  const cueNumerals = c.anyNumericCue ? numeralView(view, 3) : view;
  for (const { p, needle, fail, numeric } of c.plain) {
    const views = numeric && numerals !== view ? [view, numerals] : [view];
    if (numeric && p.cue && cueNumerals !== view && cueNumerals !== numerals) views.push(cueNumerals);
    for (const v of views) {
      const cueOnly = v === cueNumerals && v !== numerals && v !== view;
      for (const s of findAll(v.cps, v.length, needle, fail)) {
        const e = s + needle.length;
        if (!counts(v, cueOnly ? { ...p, standalone: false } : p, needle, s, e, cueEnd)) continue;
        let from = v.start[s];
        if (p.countryPrefix) from = withCountryPrefix(text, v, s);
        cover(from, v.end[e - 1]);
      }
    }
  }
}

/**
 * Characters that make a browser show text in another order than it is stored: right-to-left
 * letters and digits (Hebrew, Arabic and its digits, Syriac, Thaana, N'Ko …, their presentation
 * forms and the right-to-left blocks beyond the BMP) and the bidi controls (LRM RLM ALM, LRE RLE
 * PDF LRO RLO, LRI RLI FSI PDI).
 */
const REORDERING =
  /[\u0590-\u08ff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
let bidi: ReturnType<typeof bidiFactory> | undefined;

/**
 * The text in the order a left-to-right page shows it (the Unicode Bidirectional Algorithm, by
 * bidi-js; each paragraph one line), with the stored offset of each of its UTF-16 units; undefined
 * when nothing in the text reorders it. A surrogate pair stays a pair.
 */
function visualOrder(text: string): { text: string; at: Int32Array } | undefined {
  if (!REORDERING.test(text)) return undefined;
  bidi ??= bidiFactory();
  const order = bidi.getReorderedIndices(text, bidi.getEmbeddingLevels(text, "ltr"));
  const at = new Int32Array(text.length);
  const units: number[] = [];
  const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
  const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;
  for (const i of order) {
    const u = text.charCodeAt(i);
    if (isLow(u) && i > 0 && isHigh(text.charCodeAt(i - 1))) continue; // written with its high half
    if (isHigh(u) && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      at[units.length] = i;
      units.push(u);
      at[units.length] = i + 1;
      units.push(text.charCodeAt(i + 1));
      continue;
    }
    at[units.length] = i;
    units.push(u);
  }
  let shown = "";
  for (let i = 0; i < units.length; i += 4096) shown += String.fromCharCode(...units.slice(i, i + 4096));
  return { text: shown, at };
}

/** A pattern set read once for the several texts of one report (title, body, subject …). */
interface Compiled {
  patterns: RedactionPattern[];
  length: number;
  masked: Set<string>;
  dashed: string[];
  maskedIds: string[];
  /** The patterns matched on the normalised view, their keys normalised and KMP tables made. */
  plain: { p: RedactionPattern; needle: number[]; fail: Int32Array; numeric: boolean }[];
  anyCue: boolean;
  /** Whether a plain pattern is a number (also matched on the view with Chinese numerals read). */
  anyNumeric: boolean;
  /** Whether a numeric pattern counts after a cue word. */
  anyNumericCue: boolean;
}
const compiledSets = new WeakMap<RedactionPatterns, Compiled>();

function compiled(set: RedactionPatterns): Compiled {
  const hit = compiledSets.get(set);
  // A set whose pattern list was replaced or grown since is read again.
  if (hit && hit.patterns === set.patterns && hit.length === set.patterns.length) return hit;
  const plain = set.patterns
    .filter((p) => !p.masked && !p.dashed && !p.maskedId)
    .map((p) => {
      const needle = keyOf(p.key);
      // Digits, and an ID's final x: a number someone may write in Chinese numerals.
      const numeric = needle.length > 0 && needle.every((cp) => isAsciiDigit(cp) || cp === 120);
      return { p, needle, fail: failureTable(needle), numeric };
    });
  const c: Compiled = {
    patterns: set.patterns,
    length: set.patterns.length,
    masked: new Set(set.patterns.filter((p) => p.masked).map((p) => p.key)),
    dashed: set.patterns.filter((p) => p.dashed).map((p) => p.key),
    maskedIds: set.patterns.filter((p) => p.maskedId && /^\d{17}[\dx]$/.test(p.key)).map((p) => p.key),
    plain,
    // As before: the cue positions are read when any pattern of the set (even one matched
    // otherwise) is a cue pattern.
    anyCue: set.patterns.some((p) => p.cue),
    anyNumeric: plain.some((q) => q.numeric),
    anyNumericCue: plain.some((q) => q.numeric && q.p.cue),
  };
  compiledSets.set(set, c);
  return c;
}

function counts(
  view: KeyView,
  p: RedactionPattern,
  needle: number[],
  s: number,
  e: number,
  cueEnd: Int32Array | undefined,
): boolean {
  const { cps } = view;
  const digitBefore = s > 0 && isAsciiDigit(cps[s - 1]);
  const digitAfter = e < view.length && isAsciiDigit(cps[e]);
  if (p.noDigitAfter && digitAfter) return false;
  if (p.noDigitBefore && digitBefore) return false;
  if (p.word) {
    // A word letter continues the word only when nothing separates them in the original.
    if (s > 0 && isWordLetter(needle[0]) && isWordLetter(cps[s - 1]) && view.end[s - 1] === view.start[s]) {
      return false;
    }
    if (
      e < view.length &&
      isWordLetter(needle[needle.length - 1]) &&
      isWordLetter(cps[e]) &&
      view.end[e - 1] === view.start[e]
    ) {
      return false;
    }
  }
  if (p.standalone || p.cue) {
    const alone = p.standalone === true && !digitBefore && !digitAfter;
    const cued = p.cue === true && cueEnd !== undefined && cueEnd[s] >= 0 && s - cueEnd[s] <= CUE_WINDOW;
    return alone || cued;
  }
  return true;
}

/** Letters of alphabetic scripts (Latin, Greek, Cyrillic …), not CJK, not digits. */
const isWordLetter = (cp: number) => !isAsciiDigit(cp) && cp < 0x2e80;

/** For each index of the view, the end of the last cue word ending at or before it (-1: none). */
function lastCueEnds(view: KeyView): Int32Array {
  const ends = new Int32Array(view.length + 1).fill(-1);
  const mark = new Uint8Array(view.length + 1);
  // Every occurrence of every cue, in one pass: at each place only the cues that start with its
  // character are compared (a handful of short words: linear in the text).
  const { cps, length } = view;
  for (let s = 0; s < length; s++) {
    const cues = CUES_BY_FIRST.get(cps[s]);
    if (!cues) continue;
    for (const cue of cues) {
      if (s + cue.length > length) continue;
      let k = 1;
      while (k < cue.length && cps[s + k] === cue[k]) k++;
      if (k === cue.length) mark[s + cue.length] = 1;
    }
  }
  let lastEnd = -1;
  for (let i = 0; i <= view.length; i++) {
    if (mark[i]) lastEnd = i;
    ends[i] = lastEnd;
  }
  return ends;
}

/** Start offset including a country code (86 or 0086) and a `+` written right before a phone. */
function withCountryPrefix(text: string, view: KeyView, s: number): number {
  const c = view.cps;
  let k = s;
  if (k >= 4 && c[k - 4] === 48 && c[k - 3] === 48 && c[k - 2] === 56 && c[k - 1] === 54) k -= 4;
  else if (k >= 2 && c[k - 2] === 56 && c[k - 1] === 54) k -= 2;
  let from = view.start[k];
  if (k < s) {
    const before = text.charCodeAt(from - 1);
    if (before === 0x2b || before === 0xff0b) from--; // + or ＋
  }
  return from;
}

/** Parses patterns read back from a redaction box; anything unexpected yields no patterns. */
export function parseRedactionPatterns(value: unknown): RedactionPatterns {
  const v = value as { v?: unknown; patterns?: unknown } | null;
  if (v?.v !== 1 || !Array.isArray(v.patterns)) return { v: 1, patterns: [] };
  const patterns: RedactionPattern[] = [];
  for (const p of v.patterns as Record<string, unknown>[]) {
    if (!p || typeof p.key !== "string" || p.key.length === 0) continue;
    patterns.push({
      key: p.key,
      ...(p.word === true ? { word: true } : {}),
      ...(p.standalone === true ? { standalone: true } : {}),
      ...(p.cue === true ? { cue: true } : {}),
      ...(p.noDigitAfter === true ? { noDigitAfter: true } : {}),
      ...(p.countryPrefix === true ? { countryPrefix: true } : {}),
      ...(p.masked === true ? { masked: true } : {}),
      ...(p.noDigitBefore === true ? { noDigitBefore: true } : {}),
      ...(p.dashed === true ? { dashed: true } : {}),
      ...(p.maskedId === true ? { maskedId: true } : {}),
    });
  }
  return { v: 1, patterns };
}
