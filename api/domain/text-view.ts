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
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const cache = new Map<number, number[]>();

/**
 * What NFKC leaves alone but a person writes for a digit or an ID's final x:
 * - the dingbat and double-circled digits ❶–❿ ➀–➉ ➊–➓ ⓵–⓾ ⓿ ⓫–⓴ (① and ⑴ NFKC reads itself);
 * - ○ ◯ ⚪ for a zero (一三九○…), read as 〇, so the numeral view takes it as a digit;
 * - × ✕ ✖ ✗ ✘ ╳ for the x of an 18-digit ID (…123×).
 */
function specialFold(cp: number): number[] | undefined {
  const digits = (n: number) => [...String(n)].map((d) => d.codePointAt(0)!);
  if (cp >= 0x2776 && cp <= 0x2793) return digits(((cp - 0x2776) % 10) + 1);
  if (cp >= 0x24f5 && cp <= 0x24fe) return digits(cp - 0x24f5 + 1);
  if (cp === 0x24ff) return [48];
  if (cp >= 0x24eb && cp <= 0x24f4) return digits(cp - 0x24eb + 11);
  if (cp === 0x25cb || cp === 0x25ef || cp === 0x26aa) return [0x3007];
  if (cp === 0xd7 || cp === 0x2715 || cp === 0x2716 || cp === 0x2717 || cp === 0x2718 || cp === 0x2573)
    return [120];
  return undefined;
}

/**
 * The value of a decimal digit of any script (Arabic-Indic ٣, extended ۳, Devanagari ३ …): the
 * digits of a script are ten consecutive code points from its zero, so the value is the distance
 * from the start of the run of decimal digits, modulo 10 (mathematical digits come in five sets of
 * ten in one run; NFKC has already read those).
 */
function decimalValue(cp: number): number {
  let z = cp;
  while (z > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(z - 1))) z--;
  return (cp - z) % 10;
}

/** The normalised letters/digits one code point stands for ([] for a separator). */
export function foldCodePoint(cp: number): number[] {
  if (cp < 0x80) {
    if ((cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122)) return [cp];
    if (cp >= 65 && cp <= 90) return [cp + 32];
    return [];
  }
  const hit = cache.get(cp);
  if (hit) return hit;
  const out: number[] = specialFold(cp) ?? [];
  if (out.length === 0) {
    for (const ch of String.fromCodePoint(cp).normalize("NFKC").toLowerCase()) {
      const c = ch.codePointAt(0)!;
      if (c >= 0x80 && DECIMAL_DIGIT.test(ch)) out.push(48 + decimalValue(c));
      else if (LETTER_OR_NUMBER.test(ch)) out.push(c);
    }
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

/**
 * Chinese characters read as digits when a number is written out or read aloud: 〇零一二三四五六七八九,
 * 幺 (1) and 两 (2) as phone numbers are read, the radio digits 洞 (0), 拐 (7), 勾 (9), the capitals
 * 壹贰叁肆伍陆柒捌玖, and the traditional forms 兩貳參陸.
 */
const CN_DIGIT: ReadonlyMap<number, number> = new Map(
  [
    ["〇零洞", 0],
    ["一幺壹", 1],
    ["二两兩贰貳", 2],
    ["三叁參", 3],
    ["四肆", 4],
    ["五伍", 5],
    ["六陆陸", 6],
    ["七柒拐", 7],
    ["八捌", 8],
    ["九玖勾", 9],
  ].flatMap(([chars, d]) =>
    [...(chars as string)].map((c) => [c.codePointAt(0)!, 48 + (d as number)] as const),
  ),
);
/** Whether a code point is one of the Chinese digit characters `numeralView` reads as a digit. */
export const isChineseDigit = (cp: number) => CN_DIGIT.has(cp);
const O = 111; // o, after lower-casing (O, Ｏ and o fold to it)
const CHA = 0x53c9; // 叉, said for the x of an ID

/** How many digit-like characters a run needs before it is read as a number (a landline: 7). */
export const NUMERAL_RUN = 7;

/**
 * The view with numbers written in Chinese numerals read as digits: every run of at least
 * `NUMERAL_RUN` consecutive digit-like characters of the view (separators are already out of it)
 * that holds a Chinese digit (一三九一二三四五六七八, 1三8OO138OOO, 壹叁玖…) gets ASCII digits in
 * place of the Chinese ones, and of a letter o standing for a zero (a block of o's next to a digit
 * and not next to another Latin letter: 1三8OO138OOO, not foo1234567). Shorter runs are left as
 * they are, so names and words (王一, 一二九运动, 三十一日 — 十 is not a digit) keep their
 * characters. `minRun` lowers the length for a caller that only counts a match after a cue word
 * (尾号五六七八). A 叉 right after a run of three or more reads as x (an ID's check character).
 * The map to the original text is the same as the view's (one code point for one).
 * Returns `view` itself when nothing is read differently. One pass: linear.
 */
export function numeralView(view: KeyView, minRun = NUMERAL_RUN): KeyView {
  const { cps, length } = view;
  const digitLike = (i: number) => isAsciiDigit(cps[i]) || CN_DIGIT.has(cps[i]);
  let out: Int32Array | undefined;
  let i = 0;
  while (i < length) {
    // A run: digits, Chinese digits, and o-blocks that stand for zeros.
    let j = i;
    let foreign = false;
    let skip = i + 1; // where to go on when no run starts at i (past a block of o's read once)
    while (j < length) {
      if (digitLike(j)) {
        if (!isAsciiDigit(cps[j])) foreign = true;
        j++;
        continue;
      }
      if (cps[j] === O) {
        let b = j;
        while (b < length && cps[b] === O) b++;
        const letterBefore = j > 0 && isAsciiLetter(cps[j - 1]);
        const letterAfter = b < length && isAsciiLetter(cps[b]);
        const digitNext = (j > 0 && digitLike(j - 1)) || (b < length && digitLike(b));
        if (!letterBefore && !letterAfter && digitNext) {
          foreign = true;
          j = b;
          continue;
        }
        if (j === i) skip = b;
      }
      break;
    }
    if (j === i) {
      i = skip;
      continue;
    }
    // 叉 closing a run of digits is an ID's final x (…123叉): only numeric keys ending in x (an
    // ID's) can be matched through it.
    let end = j;
    if (j < length && cps[j] === CHA && j - i >= 3) {
      end = j + 1;
      foreign = true;
    }
    if (foreign && end - i >= minRun) {
      if (!out) out = cps.slice(0, Math.max(length, 1));
      for (let k = i; k < end; k++)
        out[k] = cps[k] === O ? 48 : cps[k] === CHA ? 120 : (CN_DIGIT.get(cps[k]) ?? cps[k]);
    }
    i = end;
  }
  if (!out) return view;
  return { cps: out, start: view.start, end: view.end, length };
}

/** The normalised form of a string with numbers in Chinese numerals read as digits (for tests). */
export function numeralText(s: string): string {
  const v = numeralView(keyView(s));
  return String.fromCodePoint(...v.cps.subarray(0, v.length));
}
