import { findEmails } from "./email-scan";
import { findMaskedMobiles } from "./masked-mobile";
import { isAsciiDigit, isChineseDigit, type KeyView, keyView, numeralView } from "./text-view";

/** Codes of 可能含身份信息 warnings, in the order staff see them. */
export const IDENTITY_WARNING_CODES = ["id_number", "mobile"] as const;
export type IdentityWarning = (typeof IDENTITY_WARNING_CODES)[number];

// Separators people type inside one number: spaces, dashes, dots, slashes, underscores, middle
// dots, zero-width characters (also their full-width forms). Anything else (，。；： …) ends it.
const WEAK = /^[\s\-‐‑‒–—―－/／.．_＿·・\u200b-\u200d\u2060\ufeff]$/u;

/**
 * What in already-redacted text still looks like a Chinese ID number (15 or 18 digits, the 18th
 * may be X; checksum not checked) or a mainland mobile number (1[3-9] and 9 more digits, with or
 * without 86/0086; also masked, 139****5678: see masked-mobile.ts), however written: full-width,
 * with separators between digit groups. These may be a third party's (the official's phone), so
 * they are flagged for staff, not removed.
 *
 * Numbers are read several ways: ignoring every separator; ending a number at any separator
 * other than a space, dash, dot, slash or underscore, so `ID，mobile` written one after the other
 * counts as two numbers; ending it at a space too; and as groups between separators of any kind,
 * where one group, or a few grouped the way a mobile or an ID is written (139 1234 5678,
 * 430102 19900307 1234), is a number of its own (13912345678/13812345678, 139 1234 5678 2次).
 * One pass each: linear.
 */
export function identityWarnings(...texts: string[]): IdentityWarning[] {
  const found = new Set<IdentityWarning>();
  for (const text of texts) {
    if (!mayHoldNumber(text)) continue;
    const view = keyView(text);
    for (const v of views(view)) {
      scan(v, undefined, found, undefined, v === view ? undefined : view);
      scan(v, text, found, undefined, v === view ? undefined : view);
      scan(v, text, found, undefined, v === view ? undefined : view, true);
      scanGroups(v, text, found);
    }
    if (findMaskedMobiles(text).length > 0) found.add("mobile");
  }
  return IDENTITY_WARNING_CODES.filter((c) => found.has(c));
}

/**
 * Where in `text` identityWarnings finds an ID or unmasked mobile number: [start, end) UTF-16
 * offsets, from both readings (so they may overlap). Masked mobiles: masked-mobile.ts.
 */
export function identityNumberSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  if (!mayHoldNumber(text)) return spans;
  const found = new Set<IdentityWarning>();
  const view = keyView(text);
  for (const v of views(view)) {
    scan(v, undefined, found, spans, v === view ? undefined : view);
    scan(v, text, found, spans, v === view ? undefined : view);
    scan(v, text, found, spans, v === view ? undefined : view, true);
    scanGroups(v, text, found, spans);
  }
  return spans;
}

/** A digit of any script, or a Chinese digit character (一三九…). */
const mayHoldNumber = (text: string) => /[\p{N}〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]/u.test(text);

/**
 * The view, and the view with numbers in Chinese numerals read as digits (text-view.ts,
 * `numeralView`) when that differs: the first keeps 王一13912345678 an 11-digit number, the
 * second reads 一三九一二三四五六七八 as one.
 */
function views(view: KeyView): KeyView[] {
  const numerals = numeralView(view);
  return numerals === view ? [view] : [view, numerals];
}

// Code points of WEAK, for the per-character test in the hot loop.
const WEAK_CODES = new Set(
  [..." \t\n\r\f\v\u00a0\u3000-‐‑‒–—―－/／.．_＿·・\u200b\u200c\u200d\u2060\ufeff"].map(
    (c) => c.codePointAt(0)!,
  ),
);

/** Whether what stands between view[i-1] and view[i] in `text` ends a number (`spaces`: a space does too). */
function strongGap(view: KeyView, text: string | undefined, i: number, spaces = false): boolean {
  if (text === undefined) return false;
  for (let p = view.end[i - 1]; p < view.start[i]; p++) {
    const c = text.charCodeAt(p);
    if (spaces && SPACES.test(text[p])) return true;
    if (!WEAK_CODES.has(c) && !WEAK.test(text[p])) return true;
  }
  return false;
}
const SPACES = /^\s$/u;

/** Whether cps[i..] starts with the digits of `prefix` followed by a digit 3–9. */
function startsMobile(cps: Int32Array, i: number, prefix: string): boolean {
  for (let k = 0; k < prefix.length; k++) if (cps[i + k] !== prefix.charCodeAt(k)) return false;
  const next = cps[i + prefix.length];
  return next >= 51 && next <= 57;
}

/**
 * Reads the numbers of `view`. `orig`: when `view` is the view with Chinese numerals read as digits,
 * the view it was made from; then a run may also be read without one Chinese digit at either end
 * (王五一三九一二三四五六七八, 一三九一二三四五六七八一直…: the 五 of a name, the 一 of a word).
 */
function scan(
  view: KeyView,
  tightOn: string | undefined,
  found: Set<IdentityWarning>,
  spans?: [number, number][],
  orig?: KeyView,
  /** A third reading: a space ends a number too (张科长13812345678 13912345678 are two). */
  spaces = false,
): void {
  const gap = (j: number) => strongGap(view, tightOn, j, spaces);
  const { cps, length } = view;
  const read = (k: number) => orig !== undefined && orig.cps[k] !== cps[k];
  /** What the digits [i, j) are read as: the last index of the number found, or -1. */
  const classify = (i: number, j: number, xAllowed: boolean): number => {
    const digits = j - i;
    let last = -1;
    if (digits === 15 || digits === 18) {
      found.add("id_number");
      last = j - 1;
    } else if (xAllowed && digits === 17 && j < length && cps[j] === 120 && !gap(j)) {
      // 17 digits and an x, not followed by more digits.
      const more = j + 1 < length && isAsciiDigit(cps[j + 1]) && !gap(j + 1);
      if (!more) {
        found.add("id_number");
        last = j;
      }
    }
    if (
      (digits === 11 && startsMobile(cps, i, "1")) ||
      (digits === 13 && startsMobile(cps, i, "861")) ||
      (digits === 15 && startsMobile(cps, i, "00861"))
    ) {
      found.add("mobile");
      last = Math.max(last, j - 1);
    }
    return last;
  };
  let i = 0;
  while (i < length) {
    if (!isAsciiDigit(cps[i])) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < length && isAsciiDigit(cps[j]) && !gap(j)) j++;
    // Without a Chinese digit at an end first (王五 + an ID: the 五 is not the ID's), then whole.
    let from = i;
    let last = -1;
    for (const [a, b] of [
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ]) {
      if (a + b > 0 && (j - i - a - b < 11 || (a && !read(i)) || (b && !read(j - 1)))) continue;
      last = classify(i + a, j - b, b === 0);
      if (last >= 0) {
        from = i + a;
        break;
      }
    }
    if (spans && last >= 0) spans.push([view.start[from], view.end[last]]);
    i = j;
  }
}

/** Zero-width characters: between two digits they do not part them into groups. */
const INVISIBLE = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

/**
 * What stands between view[i-1] and view[i] in `text`: 0 nothing that shows, 1 a separator of
 * one number's groups (space, dash, dot, slash, underscore, middle dot), 2 anything else.
 */
function joint(view: KeyView, text: string, i: number): 0 | 1 | 2 {
  let kind: 0 | 1 = 0;
  for (let p = view.end[i - 1]; p < view.start[i]; p++) {
    const c = text.charCodeAt(p);
    if (INVISIBLE.has(c)) continue;
    if (!WEAK_CODES.has(c) && !WEAK.test(text[p])) return 2;
    kind = 1;
  }
  return kind;
}

/** Group sizes as one number (at most five groups of at most 18 digits: base 32). */
function sizesCode(sizes: number[]): number {
  let code = 0;
  for (const n of sizes) code = code * 32 + n;
  return code;
}
/** How a mobile is grouped when it is written in groups (a country code 86/0086 may come first). */
const MOBILE_GROUPS = new Set([[11], [3, 4, 4], [3, 8], [4, 3, 4], [7, 4]].map(sizesCode));
/** How an ID number is grouped: 18 digits, 17 and an x (the x glued to the last group), 15 digits. */
const ID18_GROUPS = new Set([[18], [6, 8, 4], [6, 4, 4, 4]].map(sizesCode));
const ID17X_GROUPS = new Set([[17], [6, 8, 3], [6, 4, 4, 3]].map(sizesCode));
const ID15_GROUPS = new Set([[15], [6, 6, 3]].map(sizesCode));

/**
 * A fourth reading: the digits of a run (digits with separators of one number between them) in
 * groups, parted by every separator. A window of one group, or of up to five grouped as a mobile or
 * an ID number is written (3-4-4, 6-8-4, …, after a country code group 86/0086), that makes a
 * mobile or an ID number is one: 13912345678/13812345678 and 139 1234 5678 / 138 1234 5678 are two
 * mobiles, 139 1234 5678 2次 a mobile and a 2. Windows that are neither stay unread, so amounts
 * and dates in a row (100 200 300 400 500, 01 02 2024 01 03 2024 01) are not taken for an ID. At
 * most five windows a group: linear.
 */
function scanGroups(
  view: KeyView,
  text: string,
  found: Set<IdentityWarning>,
  spans?: [number, number][],
): void {
  const { cps, length } = view;
  let i = 0;
  while (i < length) {
    if (!isAsciiDigit(cps[i])) {
      i++;
      continue;
    }
    const starts = [i];
    let j = i + 1;
    for (; j < length && isAsciiDigit(cps[j]); j++) {
      const g = joint(view, text, j);
      if (g === 2) break;
      if (g === 1) starts.push(j);
    }
    starts.push(j);
    // An x glued to the run's last digit, no digit glued after it: an ID's (…123X/139…).
    const xAfter =
      j < length &&
      cps[j] === 120 &&
      joint(view, text, j) === 0 &&
      !(j + 1 < length && isAsciiDigit(cps[j + 1]) && joint(view, text, j + 1) === 0);
    const groups = starts.length - 1;
    for (let a = 0; a < groups; a++) {
      const from = starts[a];
      // The group sizes of the window, and of the window without its first group.
      let code = 0;
      let rest = 0;
      for (let b = a + 1; b <= groups && b - a <= 5; b++) {
        const to = starts[b];
        if (to - from > 18) break;
        const size = to - starts[b - 1];
        code = code * 32 + size;
        if (b > a + 1) rest = rest * 32 + size;
        const g: Window = {
          from,
          to,
          code,
          rest,
          first: starts[a + 1] - from,
          xAfter: xAfter && b === groups,
        };
        const last = groupedNumber(cps, g, found);
        if (spans && last >= 0) spans.push([view.start[from], view.end[last]]);
      }
    }
    i = j;
  }
}

/** A window of groups: the digits cps[from, to), their group sizes (`sizesCode`), the sizes after the first. */
interface Window {
  from: number;
  to: number;
  code: number;
  rest: number;
  /** The size of the first group. */
  first: number;
  /** Whether an x is glued after the window (an ID's check character). */
  xAfter: boolean;
}

/** Whether cps[k..] starts with the ASCII digits of `d`. */
function digitsAt(cps: Int32Array, k: number, d: string): boolean {
  for (let x = 0; x < d.length; x++) if (cps[k + x] !== d.charCodeAt(x)) return false;
  return true;
}

/**
 * Whether a window of groups is a mobile or an ID number grouped as one is written; adds its code.
 * Returns the index of its last character (the x after it for an ID ending in x), or -1.
 */
function groupedNumber(cps: Int32Array, w: Window, found: Set<IdentityWarning>): number {
  const { from, to } = w;
  const digits = to - from;
  let last = -1;
  if ((digits === 18 && ID18_GROUPS.has(w.code)) || (digits === 15 && ID15_GROUPS.has(w.code))) {
    found.add("id_number");
    last = to - 1;
  } else if (digits === 17 && w.xAfter && ID17X_GROUPS.has(w.code)) {
    found.add("id_number");
    last = to;
  }
  // A country code: a group of its own (86 139 1234 5678) or glued to the number (8613912345678).
  let s = from;
  let code = w.code;
  const single = w.first === digits;
  if (!single && w.first === 2 && digitsAt(cps, from, "86")) {
    s = from + 2;
    code = w.rest;
  } else if (!single && w.first === 4 && digitsAt(cps, from, "0086")) {
    s = from + 4;
    code = w.rest;
  } else if (single && digits === 13 && digitsAt(cps, from, "86")) {
    s = from + 2;
    code = 11;
  } else if (single && digits === 15 && digitsAt(cps, from, "0086")) {
    s = from + 4;
    code = 11;
  }
  if (to - s === 11 && cps[s] === 49 && cps[s + 1] >= 51 && cps[s + 1] <= 57 && MOBILE_GROUPS.has(code)) {
    found.add("mobile");
    last = Math.max(last, to - 1);
  }
  return last;
}

/**
 * Text a staff member typed into a search, as the audit trail may keep it: when it looks like it
 * holds an ID or mobile number however written, or holds six digits or more in all (a number
 * split by commas is still a number; six: an ID's last six), every digit is replaced by ＊ (so are Chinese numerals read as
 * a number's digits: 一三九…, and a masked mobile's: 一三九****五六七八), so a reporter's number typed
 * into the search box never reaches the audit log. Other text is kept as typed (a year stays
 * readable).
 */
export function maskForAudit(input: string): string {
  // An e-mail address is someone's: it goes whole.
  const text = maskEmails(input);
  const digits = text.match(/\p{N}/gu)?.length ?? 0;
  if (digits < 6 && identityWarnings(text).length === 0) return text;
  // Chinese numerals (and o's) read as the digits of a flagged number (一三九…, 1三8OO…) go too,
  // and the numerals touching them (the ends of an ID a trimmed reading leaves out); a 五 of a
  // name set apart by a space stays.
  const view = keyView(text);
  const numerals = numeralView(view);
  const read = new Uint8Array(text.length);
  // A masked mobile's digits go whatever they are written in (一三九****五六七八).
  for (const m of findMaskedMobiles(text)) {
    for (let k = m.start; k < m.end; k++) if (isChineseDigit(text.charCodeAt(k))) read[k] = 1;
  }
  if (numerals !== view) {
    const inNumber = new Int32Array(text.length + 1);
    for (const [a, b] of identityNumberSpans(text)) {
      inNumber[a]++;
      inNumber[b]--;
    }
    for (let k = 1; k <= text.length; k++) inNumber[k] += inNumber[k - 1];
    for (let k = 0; k < view.length; k++) {
      if (numerals.cps[k] !== view.cps[k] && inNumber[view.start[k]] > 0) {
        read.fill(1, view.start[k], view.end[k]);
      }
    }
    const digitish = (k: number) => isChineseDigit(text.charCodeAt(k)) || /\p{N}/u.test(text[k]);
    for (let k = 1; k < text.length; k++) if (read[k - 1] && !read[k] && digitish(k)) read[k] = 1;
    for (let k = text.length - 2; k >= 0; k--) if (read[k + 1] && !read[k] && digitish(k)) read[k] = 1;
  }
  let out = "";
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    const ch = text.slice(i, next);
    out += read[i] || /\p{N}/u.test(ch) ? "＊" : ch;
    i = next;
  }
  return out;
}

function maskEmails(text: string): string {
  const spans = findEmails(text);
  if (spans.length === 0) return text;
  let out = "";
  let last = 0;
  for (const [a, b] of spans) {
    if (a < last) continue;
    out += `${text.slice(last, a)}＊@＊`;
    last = b;
  }
  return out + text.slice(last);
}
