/**
 * A normalised view of reporter text for matching identifiers however they were typed, with
 * every character of the view mapped back to its place in the original text.
 *
 * The view keeps only letters and digits: each code point of the original is taken through
 * Unicode NFKC (full-width １３９ → 139, ＡＢＣ → abc, ① → 1) and lower-cased, and everything
 * that is not a letter or a number afterwards (spaces incl. U+3000, . / - · _ ， 、 zero-width
 * characters, combining marks, …) is left out. So `王 小明`, `１３９-１２３４-５６７８` and
 * `139.1234.5678` read as `王小明` and `13912345678`. NFKC is applied one code point at a time,
 * which is what keeps the mapping exact; sequences that only compose as a whole (a letter and a
 * separate combining accent) are not folded together.
 *
 * Building the view is one pass over the text; matching on it is KMP (`findAll`): both linear.
 */
export interface KeyView {
  /** Normalised code points (letters lower-cased, digits ASCII). */
  cps: Int32Array;
  /** Original UTF-16 offset where the code point that produced cps[i] starts. */
  start: Int32Array;
  /** Original UTF-16 offset just after that code point. */
  end: Int32Array;
  length: number;
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const cache = new Map<number, number[]>();

/** The normalised letters/digits one code point stands for ([] for a separator). */
export function foldCodePoint(cp: number): number[] {
  if (cp < 0x80) {
    if ((cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122)) return [cp];
    if (cp >= 65 && cp <= 90) return [cp + 32];
    return [];
  }
  const hit = cache.get(cp);
  if (hit) return hit;
  const out: number[] = [];
  for (const ch of String.fromCodePoint(cp).normalize("NFKC").toLowerCase()) {
    if (LETTER_OR_NUMBER.test(ch)) out.push(ch.codePointAt(0)!);
  }
  if (cache.size < 20000) cache.set(cp, out);
  return out;
}

export function keyView(text: string): KeyView {
  const n = text.length;
  const cps = new Int32Array(n * 2 + 4);
  const start = new Int32Array(n * 2 + 4);
  const end = new Int32Array(n * 2 + 4);
  let len = 0;
  let buf = { cps, start, end };
  for (let i = 0; i < n; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    if (cp < 0x80) {
      // ASCII inline (foldCodePoint's first branch, without its one-element array).
      const c = cp >= 65 && cp <= 90 ? cp + 32 : cp;
      if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) {
        if (len === buf.cps.length) buf = grow(buf);
        buf.cps[len] = c;
        buf.start[len] = i;
        buf.end[len] = next;
        len++;
      }
      i = next;
      continue;
    }
    for (const c of foldCodePoint(cp)) {
      if (len === buf.cps.length) buf = grow(buf);
      buf.cps[len] = c;
      buf.start[len] = i;
      buf.end[len] = next;
      len++;
    }
    i = next;
  }
  return { cps: buf.cps, start: buf.start, end: buf.end, length: len };
}

function grow(b: { cps: Int32Array; start: Int32Array; end: Int32Array }) {
  const size = b.cps.length * 2;
  const cps = new Int32Array(size);
  const start = new Int32Array(size);
  const end = new Int32Array(size);
  cps.set(b.cps);
  start.set(b.start);
  end.set(b.end);
  return { cps, start, end };
}

/** The normalised form of a string, as code points (the same folding as `keyView`). */
export function keyOf(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(...foldCodePoint(ch.codePointAt(0)!));
  return out;
}

/** The normalised form as a string: what tests and comparisons use. */
export function normalizedText(s: string): string {
  return String.fromCodePoint(...keyOf(s));
}

/** KMP's failure table of `needle`: made once for a needle searched in many texts. */
export function failureTable(needle: readonly number[]): Int32Array {
  const m = needle.length;
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1];
    if (needle[i] === needle[k]) k++;
    fail[i] = k;
  }
  return fail;
}

/**
 * Start indices of every occurrence (overlapping ones too) of `needle` in `hay[0..hayLen)`:
 * Knuth–Morris–Pratt, O(hayLen + needle.length) whatever the input. `fail` is the needle's
 * failureTable, when the caller keeps it.
 */
export function findAll(
  hay: Int32Array,
  hayLen: number,
  needle: readonly number[],
  fail?: Int32Array,
): number[] {
  const m = needle.length;
  const found: number[] = [];
  if (m === 0 || m > hayLen) return found;
  const f = fail ?? failureTable(needle);
  for (let i = 0, k = 0; i < hayLen; i++) {
    while (k > 0 && hay[i] !== needle[k]) k = f[k - 1];
    if (hay[i] === needle[k]) k++;
    if (k === m) {
      found.push(i - m + 1);
      k = f[k - 1];
    }
  }
  return found;
}

export const isAsciiDigit = (cp: number) => cp >= 48 && cp <= 57;
export const isAsciiLetter = (cp: number) => cp >= 97 && cp <= 122;
