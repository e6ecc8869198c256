import { chineseDigit, foldCodePoint } from "./text-view";

/** A mainland mobile written with its middle four digits masked: 139****5678. */
export interface MaskedMobile {
  /** [start, end) UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** The first three and the last four digits, ASCII: `1395678`. */
  digits: string;
}

// Characters people mask digits with: * ＊ ∗ ✱ × x X ｘ Ｘ ● • ﹡ ⁎ ※ · ・ … ⋯ ? ？ # ＃, the tildes ~ ～ 〜 ∼
// ⁓, the x's ✕ ✖ ✗ ✘ ╳ ❌ ❎, and 口 typed for a box.
const MASKS = new Set([
  0x2a, 0xff0a, 0x2217, 0x2731, 0xd7, 0x78, 0x58, 0xff58, 0xff38, 0x25cf, 0x2022, 0xfe61, 0x204e, 0x203b,
  0xb7, 0x30fb, 0x2026, 0x22ef, 0x3f, 0xff1f, 0x23, 0xff03, 0x7e, 0xff5e, 0x301c, 0x223c, 0x2053, 0x2573,
  0x274c, 0x274e, 0x53e3, 0x2299, 0x2662, 0x2666, 0x2588, 0x2b50, 0x2b55, 0x26ab,
  // The x's of other alphabets and symbol sets: Cyrillic Х х, Greek Χ χ, Roman ⅹ Ⅹ, circled ⓧ Ⓧ,
  // ⨯ ☓ ⊗ ⊕ ⁕, ❓ ❔ ❗, ⦿ ⚬ ⦁ ⸱ ﹏.
  0x425, 0x445, 0x3a7, 0x3c7, 0x2179, 0x2169, 0x24e7, 0x24cd, 0x2a2f, 0x2613, 0x2297, 0x2295, 0x2055, 0x2753,
  0x2754, 0x2757, 0x29bf, 0x26ac, 0x2981, 0x2e31, 0xfe4f,
]);
/**
 * Blocks of symbols that all read as a hidden digit: the geometric shapes (□ ■ ○ ● ◆ ◇ △ ▲ ◎ …,
 * U+25A0–25FF), the stars ★ ☆, the dingbat stars, asterisks and crosses (✕ ✦ ✩ ✱ ❄ …, U+2715–274B),
 * the shades ░ ▒ ▓, the large squares and circles ⬛ ⬜ ⬤ ….
 */
const MASK_BLOCKS: readonly [number, number][] = [
  [0x25a0, 0x25ff],
  [0x2605, 0x2606],
  [0x2715, 0x274b],
  [0x2591, 0x2593],
  [0x2b1b, 0x2b2f],
  // The block elements ▀ ▄ █ ▇ ▉ …, the card suits ♠ ♡ ♥ ♣ ….
  [0x2580, 0x259f],
  [0x2660, 0x2667],
  // The emoji beyond the BMP (🔒 💗 🔴 🟢 …: pictographs, emoticons, transport, the geometric extensions).
  [0x1f300, 0x1faff],
];
/**
 * Masks that are also a Chinese zero: 〇, and ○ ◯ ⚪ that text-view.ts reads as 〇. Between a
 * mobile's first three and last four digits they are read both ways (139〇〇〇〇5678 is masked,
 * 一三九〇〇〇〇五六七八 is 13900005678 too; both are a mobile).
 */
const ZERO_MASKS = new Set([0x3007, 0x25cb, 0x25ef, 0x26aa]);
// Separators that, three or more of one kind in a row, stand for the masked digits (139----5678,
// 139...5678, 139＿＿＿＿5678) rather than separate two groups.
const RUN_MASKS = new Set([
  0x2d, 0xff0d, 0x2e, 0xff0e, 0x5f, 0xff3f, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015,
]);
// Separators inside one number (space, dashes, dot, slash, underscore, zero-width), and what a
// phone's keyboard writes after a symbol or a digit (the emoji and text presentation selectors,
// the keycap: ✖️, 1️⃣): skipped.
const SEPS = new Set(
  [..." \t\u00a0\u3000-‐‑‒–—―－/／.．_＿\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u20e3"].map(
    (c) => c.codePointAt(0)!,
  ),
);

/** Whether people type `cp` for one hidden digit (139****5678, 139□□□□5678, 4301021990★★★★1234). */
export function isMaskChar(cp: number): boolean {
  if (MASKS.has(cp) || ZERO_MASKS.has(cp)) return true;
  for (const [a, b] of MASK_BLOCKS) if (cp >= a && cp <= b) return true;
  return false;
}
/** Whether `cp` is a mask that is also a Chinese zero (〇 ○ ◯ ⚪): a digit or a mask, by its place. */
export const isZeroMask = (cp: number) => ZERO_MASKS.has(cp);
/** Whether `cp` stands for a hidden digit when it is one of a run of three or more alike (---, ...). */
export const isRunMask = (cp: number) => RUN_MASKS.has(cp);
/** Whether `cp` is a separator people put between the groups of one number (space, dash, slash …). */
export const isNumberSeparator = (cp: number) => SEPS.has(cp);

// What a character can be read as: bits, so a zero mask (〇) is both.
const DIGIT = 1;
const MASK = 2;
const OTHER = 0;

/**
 * Every masked mobile: `1[3-9]\d`, three to five mask characters, four digits, with no further
 * digit or mask character right before or after (a country code 86 or 0086 before it is taken
 * with it); digits may be full-width or Chinese numerals and the groups may be separated by spaces
 * or dashes (139-****-5678, +86 139****5678, 一三九****五六七八, 139----5678, 139○○○○5678). One
 * pass to classify the characters, then a check of at most a few dozen places at each position:
 * linear.
 */
export function findMaskedMobiles(text: string): MaskedMobile[] {
  const kind: number[] = [];
  /** A Chinese digit: next to a number in ASCII digits it is a word (王五139****5678), not a digit. */
  const cn: boolean[] = [];
  const digit: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let sawMask = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    const maskRun = RUN_MASKS.has(cp) && text.codePointAt(next) === cp && text.codePointAt(next + 1) === cp;
    if (maskRun) {
      // The whole run, one mask each.
      let e = i;
      while (text.codePointAt(e) === cp) {
        kind.push(MASK);
        digit.push(0);
        cn.push(false);
        start.push(e);
        end.push(e + 1);
        e++;
      }
      sawMask = true;
      i = e;
      continue;
    }
    if (!SEPS.has(cp)) {
      let k = OTHER;
      let d = 0;
      let chinese = false;
      if (ZERO_MASKS.has(cp)) {
        // 〇 ○ ◯: a mask, or the zero of a number in Chinese numerals.
        k = MASK | DIGIT;
        d = 48;
        chinese = true;
        sawMask = true;
      } else if (isMaskChar(cp)) {
        k = MASK;
        sawMask = true;
      } else {
        const f = foldCodePoint(cp);
        const cnd = chineseDigit(cp);
        if (f.length === 1 && f[0] >= 48 && f[0] <= 57) {
          k = DIGIT;
          d = f[0];
        } else if (cnd !== undefined) {
          // 一三九****五六七八: in this fixed shape a Chinese digit is a digit.
          k = DIGIT;
          d = cnd;
          chinese = true;
        }
      }
      cn.push(chinese);
      kind.push(k);
      digit.push(d);
      start.push(i);
      end.push(next);
    }
    i = next;
  }
  const out: MaskedMobile[] = [];
  if (!sawMask) return out;
  const n = kind.length;
  const isDigit = (k: number) => (kind[k] & DIGIT) !== 0;
  for (let i = 0; i + 10 <= n; i++) {
    if (digit[i] !== 49 || digit[i + 1] < 51 || digit[i + 1] > 57 || !isDigit(i + 2)) continue;
    // The country code before it (+86 139****5678, 0086…) belongs to the number.
    let from = i;
    if (i >= 2 && digit[i - 2] === 56 && digit[i - 1] === 54) {
      from = i - 2;
      if (from >= 2 && digit[from - 2] === 48 && digit[from - 1] === 48) from -= 2;
    }
    const apart = (k: number, own: number) => kind[k] === OTHER || (cn[k] && !cn[own]);
    if (from > 0 && !apart(from - 1, i)) continue;
    // Three to five mask characters, then four digits. A zero mask may be either, so each count
    // of masks the run allows is tried (139〇〇〇〇〇5678: five masks; 139****〇五六七: four).
    let run = 0;
    while (run < 5 && i + 3 + run < n && (kind[i + 3 + run] & MASK) !== 0) run++;
    for (let masks = 3; masks <= run; masks++) {
      const m = i + 3 + masks;
      if (m + 4 > n) break;
      let ok = true;
      for (let k = m; k < m + 4 && ok; k++) ok = isDigit(k);
      if (!ok) continue;
      const after = m + 4;
      if (after < n && !apart(after, after - 1)) continue;
      const ds = [i, i + 1, i + 2, m, m + 1, m + 2, m + 3].map((k) => String.fromCharCode(digit[k])).join("");
      out.push({ start: start[from], end: end[after - 1], digits: ds });
    }
  }
  return out;
}
