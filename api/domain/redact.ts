import { findEmails } from "./email-scan";
import { findMaskedMobiles } from "./masked-mobile";
import { findAll, isAsciiDigit, type KeyView, keyOf, keyView } from "./text-view";

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
  // 最后四位 / 最后四个数字 … contain 后四位 / 后四个数字 and are cues through them.
].map(keyOf);
/** How many normalised characters may stand between a cue and the fragment (号码是, 号码为 …). */
const CUE_WINDOW = 8;

/** The patterns for a reporter's identifiers. */
export function redactionPatterns(ids: OwnIdentifiers): RedactionPatterns {
  const out: RedactionPattern[] = [];
  const add = (p: RedactionPattern) => {
    if (p.key.length > 0 && !out.some((q) => samePattern(p, q))) out.push(p);
  };
  const str = (cps: number[]) => String.fromCodePoint(...cps);

  const name = str(keyOf(ids.name ?? ""));
  if ([...name].length >= 2) add({ key: name, word: true });

  const id = str(keyOf(ids.idNumber ?? ""));
  if (/^\d{17}[\dx]$/.test(id)) {
    add({ key: id });
    // The 15-digit form of the first-generation card: no century digits, no check digit.
    if (id.slice(6, 8) === "19") add({ key: id.slice(0, 6) + id.slice(8, 17) });
    add({ key: id.slice(12), standalone: true, cue: true });
    add({ key: id.slice(14), standalone: true, cue: true });
  }

  for (const raw of [ids.phone, ...(ids.phones ?? [])]) {
    if (!raw) continue;
    let digits = str(keyOf(raw)).replace(/\D/g, "");
    if (/^(?:86|0086)1[3-9]\d{9}$/.test(digits)) digits = digits.slice(digits.length - 11);
    if (/^1[3-9]\d{9}$/.test(digits)) {
      add({ key: digits, countryPrefix: true });
      add({ key: digits.slice(7), cue: true });
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
    !!a.masked === !!b.masked
  );
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
 */
function addressPatterns(k: number[]): RedactionPattern[] {
  const out: RedactionPattern[] = [];
  const str = (a: number, b: number) => String.fromCodePoint(...k.slice(a, b));
  if (k.length >= 3) out.push({ key: str(0, k.length) });
  const comps = addressComponents(k);
  if (comps.length === 0) return out;
  const last = comps[comps.length - 1];
  const dropLast = last.marker.length === 1 && (last.marker[0] === 0x5ba4 || last.marker[0] === 0x6237); // 室, 户
  for (let c = 0; c < comps.length - 1; c++) {
    out.push({ key: str(comps[c].s, last.e) });
    if (dropLast) out.push({ key: str(comps[c].s, last.e - 1), noDigitAfter: true });
  }
  const f = comps[0].s;
  let q = f - 2;
  while (q >= 0 && !PLACE_ENDS.has(k[q])) q--;
  if (q + 1 < f) out.push({ key: str(q + 1, comps[0].e) });
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

  for (const [a, b] of findEmails(text)) cover(a, b);

  const masked = new Set(set.patterns.filter((p) => p.masked).map((p) => p.key));
  if (masked.size > 0)
    for (const m of findMaskedMobiles(text)) if (masked.has(m.digits)) cover(m.start, m.end);

  if (set.patterns.length > 0) {
    const view = keyView(text);
    const cueEnd = set.patterns.some((p) => p.cue) ? lastCueEnds(view) : undefined;
    for (const p of set.patterns) {
      if (p.masked) continue;
      const needle = keyOf(p.key);
      for (const s of findAll(view.cps, view.length, needle)) {
        const e = s + needle.length;
        if (!counts(view, p, needle, s, e, cueEnd)) continue;
        let from = view.start[s];
        if (p.countryPrefix) from = withCountryPrefix(text, view, s);
        cover(from, view.end[e - 1]);
      }
    }
  }
  if (!any) return text;

  let out = "";
  let depth = 0;
  let last = 0;
  for (let i = 0; i <= text.length; i++) {
    const was = depth;
    depth += covered[i];
    if (was === 0 && depth > 0) {
      out += text.slice(last, i) + REDACTED;
    } else if (was > 0 && depth === 0) {
      last = i;
    }
  }
  return out + (depth === 0 ? text.slice(last) : "");
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
  for (const cue of CUES) for (const s of findAll(view.cps, view.length, cue)) mark[s + cue.length] = 1;
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
    });
  }
  return { v: 1, patterns };
}
