// The reporter's own ID number written with some of its characters masked (4301021990****1234,
// 4301021990030712**, 430***********1234, and the shortened 430102****1234): redact.ts covers the
// spans found here. Pure; linear in the length of the text.
import { isMaskChar, isNumberSeparator, isRunMask, isZeroMask } from "./masked-mobile";
import { chineseDigit, foldCodePoint } from "./text-view";

const X = 120;
/** At least this many characters revealed in a masked form of full length. */
const MIN_REVEALED = 4;
/** At least this many revealed in all, as a prefix and a suffix, around a shortened mask. */
const MIN_PREFIX_SUFFIX = 7;
/** …or on one side only, when the other is masked entirely (4301021990******: place and year). */
const MIN_ONE_SIDE = 10;
/** How many mask characters a shortened form has between its prefix and suffix. */
const MIN_SHORT_MASKS = 2;
const MAX_SHORT_MASKS = 14;

/**
 * The reporter's text read as units: each character that is a digit (any width or script, or a
 * Chinese numeral), an x, or a mask character, with separators (space, dash, slash …) skipped and
 * anything else ending a run of units.
 */
interface Units {
  n: number;
  /** The character a unit reveals: an ASCII digit, x (120), or -1 (a mask only). */
  val: Int16Array;
  /** Whether the unit can stand for a hidden character (a mask; x and 〇 are both). */
  mask: Uint8Array;
  /** Which run of units (without anything but separators between them) the unit is in. */
  run: Int32Array;
  /** Whether a separator stands between the unit and the one before it. */
  sep: Uint8Array;
  start: Int32Array;
  end: Int32Array;
}

// What an ASCII character is, looked up (the hot loop of a long text): ASCII digits, x, the
// masks (* # ? ~ and x), the separators, the run masks (- . _).
const A_OTHER = 0;
const A_DIGIT = 1;
const A_X = 2;
const A_MASK = 3;
const A_SEP = 4;
const A_RUN = 5;
const ASCII = new Uint8Array(128).map((_, c) => {
  if (c >= 48 && c <= 57) return A_DIGIT;
  if (c === 120 || c === 88) return A_X;
  const run = isRunMask(c);
  if (run) return A_RUN;
  if (isNumberSeparator(c)) return A_SEP;
  return isMaskChar(c) ? A_MASK : A_OTHER;
});

function readUnits(text: string): Units {
  const cap = text.length + 1;
  const val = new Int16Array(cap);
  const mask = new Uint8Array(cap);
  const runOf = new Int32Array(cap);
  const sep = new Uint8Array(cap);
  const start = new Int32Array(cap);
  const end = new Int32Array(cap);
  let n = 0;
  let run = 0;
  let sepPending = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    let v = -1;
    let m = 0;
    let cls = cp < 0x80 ? ASCII[cp] : -1;
    if (cls === A_RUN || (cls < 0 && isRunMask(cp))) {
      // Three or more of one dash, dot or underscore stand for hidden digits, one each.
      if (text.charCodeAt(next) === cp && text.charCodeAt(next + 1) === cp) {
        let e = i;
        while (text.charCodeAt(e) === cp) {
          val[n] = -1;
          mask[n] = 1;
          runOf[n] = run;
          sep[n] = sepPending;
          start[n] = e;
          end[n] = e + 1;
          sepPending = 0;
          n++;
          e++;
        }
        i = e;
        continue;
      }
      cls = A_SEP;
    }
    if (cls < 0) {
      // Not ASCII: full-width and other digits, x's, masks, Chinese numerals.
      const f = foldCodePoint(cp);
      const one = f.length === 1 ? f[0] : -1;
      if (isNumberSeparator(cp)) cls = A_SEP;
      else if (isZeroMask(cp)) {
        cls = A_MASK;
        v = 48;
      } else if (one === X) cls = A_X;
      else if (isMaskChar(cp)) cls = A_MASK;
      else if (one >= 48 && one <= 57) {
        cls = A_DIGIT;
        v = one;
      } else if (chineseDigit(cp) !== undefined) {
        cls = A_DIGIT;
        v = chineseDigit(cp)!;
      } else cls = A_OTHER;
    } else if (cls === A_DIGIT) v = cp;
    if (cls === A_SEP) {
      sepPending = 1;
      i = next;
      continue;
    }
    if (cls === A_OTHER) {
      // Anything else ends the run.
      run++;
      sepPending = 0;
      i = next;
      continue;
    }
    if (cls === A_X) {
      v = X;
      m = 1;
    } else if (cls === A_MASK) m = 1;
    val[n] = v;
    mask[n] = m;
    runOf[n] = run;
    sep[n] = sepPending;
    start[n] = i;
    end[n] = next;
    sepPending = 0;
    n++;
    i = next;
  }
  return { n, val, mask, run: runOf, sep, start, end };
}

/**
 * Where `text` holds a masked form of the ID number `id` (normalised: 17 digits and a digit or a
 * lowercase x): [start, end) UTF-16 offsets, sorted (one inside another left out; two forms may
 * overlap). A form is a run of digits (any width, Chinese numerals too) and mask characters
 * (* ＊ × x ● ○ 〇 □ ■ ★ ☆ # ? _ ~ · and the others of masked-mobile.ts), separators between its
 * groups allowed, with nothing but a separator glued to either end (no further digit or mask),
 * that is either
 * - as long as the ID (18, or 15 for the first-generation card of one born in the 1900s), with at
 *   least one mask and at least four characters revealed, every revealed one the ID's at its place
 *   (4301021990****1234, 4301021990030712**, 430***********1234); or
 * - shortened: a revealed prefix of the ID, 2–14 masks, a revealed suffix of the ID, seven or more
 *   revealed in all (430102****1234, 4301021990**1234); or ten or more on one side with the other
 *   side all masks (4301021990******).
 * A revealed digit that is not the ID's at its place means no match. One pass to read the text,
 * then a bounded check at each place: linear.
 */
export function findMaskedIdNumbers(text: string, id: string): [number, number][] {
  if (!/^\d{17}[\dx]$/.test(id)) return [];
  const u = readUnits(text);
  // Running counts of what may show a character (a digit, an x) and of masks: a window without four
  // of the first or one of the second is skipped.
  const digits = new Int32Array(u.n + 1);
  const masks = new Int32Array(u.n + 1);
  for (let k = 0; k < u.n; k++) {
    digits[k + 1] = digits[k] + ((u.val[k] >= 0 && u.mask[k] === 0) || u.val[k] === X ? 1 : 0);
    masks[k + 1] = masks[k] + u.mask[k];
  }
  if (masks[u.n] === 0 || digits[u.n] + masks[u.n] < MIN_REVEALED + 1) return [];
  const targets = [id];
  // The 15-digit first-generation form: no century digits, no check character.
  if (id.slice(6, 8) === "19") targets.push(id.slice(0, 6) + id.slice(8, 17));
  const spans: [number, number][] = [];
  for (const t of targets) {
    const want = Int16Array.from(t, (c) => c.charCodeAt(0));
    fullLength(u, want, digits, masks, spans);
    shortened(u, want, spans);
  }
  return outermost(spans);
}

/**
 * Whether a form may start at unit s: at the start of a run or after a separator (nothing glued
 * before it: 94301021990****1234 and ***4301021990****1234 are not a form of 18).
 */
const startOk = (u: Units, s: number) => s === 0 || u.run[s - 1] !== u.run[s] || u.sep[s] === 1;
/** Whether a form may end before unit e: at the end of a run or before a separator. */
const endOk = (u: Units, e: number) => e >= u.n || u.run[e] !== u.run[e - 1] || u.sep[e] === 1;

/** Masked forms as long as the target: every unit a mask or the target's character at its place. */
function fullLength(
  u: Units,
  want: Int16Array,
  digits: Int32Array,
  masks: Int32Array,
  spans: [number, number][],
): void {
  const len = want.length;
  const { val, mask, run } = u;
  for (let s = 0; s + len <= u.n; s++) {
    const e = s + len;
    if (digits[e] - digits[s] < MIN_REVEALED || masks[e] === masks[s]) continue;
    if (run[s] !== run[e - 1] || !startOk(u, s) || !endOk(u, e)) continue;
    let revealed = 0;
    let hidden = 0;
    let ok = true;
    for (let k = 0; k < len && ok; k++) {
      const v = val[s + k];
      if (v === want[k]) {
        // A digit, or the ID's final x (an x is a mask too, but over the ID's x it shows it).
        if (mask[s + k] === 0 || v === X) revealed++;
      } else if (mask[s + k] === 1) hidden++;
      else ok = false;
    }
    if (ok && hidden > 0 && revealed >= MIN_REVEALED) spans.push([u.start[s], u.end[e - 1]]);
  }
}

/**
 * Shortened forms: a prefix of the target, a run of 2–14 masks, a suffix of the target. Each run
 * of masks is looked at once, with the x's and 〇's at its ends read as masks or as characters;
 * around it at most len units each way are read, a bounded number of times.
 */
function shortened(u: Units, want: Int16Array, spans: [number, number][]): void {
  const len = want.length;
  const { val, run } = u;
  /** How long a prefix of the target the units from s read (one run; at most len - 1). */
  const prefixLen = (s: number) => {
    let l = 0;
    while (l < len - 1 && s + l < u.n && run[s + l] === run[s] && val[s + l] === want[l]) l++;
    return l;
  };
  /** How long a suffix of the target the units before e read (one run; at most len - 1). */
  const suffixLen = (e: number) => {
    let l = 0;
    while (
      l < len - 1 &&
      e - l - 1 >= 0 &&
      run[e - l - 1] === run[e - 1] &&
      val[e - l - 1] === want[len - 1 - l]
    )
      l++;
    return l;
  };
  const isDigit = (k: number) => val[k] >= 48 && val[k] <= 57;
  /**
   * The longest revealed prefix ending right before unit e (0 when none, -1 when something is glued
   * there). Only digits can be in it (an x is only ever the last character), so the units before
   * e are read back to the first that is not a digit.
   */
  const bestPrefix = (e: number) => {
    let reach = 0;
    while (reach < len - 1 && e - reach - 1 >= 0 && run[e - reach - 1] === run[e] && isDigit(e - reach - 1))
      reach++;
    for (let p = reach; p > 0; p--) {
      const s = e - p;
      if (val[s] === want[0] && startOk(u, s) && prefixLen(s) >= p) return p;
    }
    return startOk(u, e) ? 0 : -1;
  };
  /** The longest revealed suffix starting at unit f (0 when none, -1 when something is glued there). */
  const bestSuffix = (f: number) => {
    let reach = 0;
    while (reach < len - 1 && f + reach < u.n && run[f + reach] === run[f - 1] && isDigit(f + reach)) reach++;
    // An x may end it (the check character).
    if (reach < len - 1 && f + reach < u.n && run[f + reach] === run[f - 1] && val[f + reach] === X) reach++;
    for (let q = reach; q > 0; q--) {
      const e = f + q;
      if (val[e - 1] === want[len - 1] && endOk(u, e) && suffixLen(e) >= q) return q;
    }
    return endOk(u, f) ? 0 : -1;
  };
  const prefixes = new Int32Array(len + 1);
  let a = 0;
  while (a < u.n) {
    if (u.mask[a] === 0) {
      a++;
      continue;
    }
    let b = a + 1;
    while (b < u.n && u.mask[b] === 1 && run[b] === run[a]) b++;
    if (b - a >= MIN_SHORT_MASKS) {
      // Units that are only masks bound where the prefix may end and the suffix begin.
      let firstPure = a;
      while (firstPure < b && val[firstPure] >= 0) firstPure++;
      let lastPure = b - 1;
      while (lastPure >= a && val[lastPure] >= 0) lastPure--;
      const eMax = Math.min(firstPure, a + len, b - MIN_SHORT_MASKS);
      const fMin = Math.max(lastPure + 1, b - len, a + MIN_SHORT_MASKS);
      for (let e = a; e <= eMax; e++) prefixes[e - a] = bestPrefix(e);
      for (let f = fMin; f <= b; f++) {
        const q = bestSuffix(f);
        if (q < 0) continue;
        for (let e = Math.max(a, f - MAX_SHORT_MASKS); e <= Math.min(eMax, f - MIN_SHORT_MASKS); e++) {
          const p = prefixes[e - a];
          if (p < 0) continue;
          const both = p > 0 && q > 0 && p + q >= MIN_PREFIX_SUFFIX;
          if (both || p + q >= MIN_ONE_SIDE) spans.push([u.start[e - p], u.end[f + q - 1]]);
        }
      }
    }
    a = b;
  }
}

/**
 * Sorted by start, without a span that another holds. Overlapping spans stay apart: each is a
 * form on its own (4301021990******** and ******** ****1234 of 4301021990** ****** ****1234).
 */
function outermost(spans: [number, number][]): [number, number][] {
  spans.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  const out: [number, number][] = [];
  let reach = -1;
  for (const span of spans) {
    if (span[1] <= reach) continue;
    out.push(span);
    reach = span[1];
  }
  return out;
}
