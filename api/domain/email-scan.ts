/**
 * Finds e-mail-like strings — what `[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}` would match —
 * however they are typed to slip past that regex, in one pass:
 *
 * - any character whose NFKD form, marks dropped, is one ASCII character reads as it: full-width
 *   (ｗｘｍ＠ｑｑ．ｃｏｍ), ﹫, mathematical and circled letters, accented letters;
 * - `。` `｡` and the middle dots `·` `・` read as a dot (NFKD does not fold them: foo.bar@qq。com);
 * - characters that show as nothing (zero-width space and joiners, U+2060, BOM, soft hyphen,
 *   variation selectors, bidi controls, combining marks, Hangul fillers) are skipped, so
 *   `ad\u200Bmin@q\u200Bq.com` is found whole, the invisible characters inside it with it;
 * - spaces (any Unicode space, U+3000 too, not a line break) around the `@` and around dots
 *   (`admin @ qq . com`, `admin@qq. com`). A space after a full stop is how a sentence ends
 *   (`me @ home. Then`), so an address with a space in its domain part or around its `@` only
 *   counts when its top-level domain is one of the common ones (KNOWN_TLDS); written tight, any
 *   two letters or more do, as before;
 * - with a right-to-left override (U+202E) in the text, also read backwards (`moc.qq@nimda` shows
 *   as admin@qq.com).
 *
 * The regex costs quadratic time on inputs like `a.a.a.a…` without an `@`, or many `@`s; this
 * scanner looks at a character a fixed number of times: the local part of an `@` and the domain
 * of the `@` before it lie between the two and hold no `@`.
 *
 * Returns [start, end) UTF-16 offsets into the original text, in order, not overlapping.
 */
export function findEmails(text: string): [number, number][] {
  const n = text.length;
  // One entry per visible code point: what it reads as (see fold); invisible ones are left out.
  const ch = new Uint8Array(n);
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  let m = 0;
  let hasAt = false;
  let rtl = false;
  for (let i = 0; i < n; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    const c = fold(cp);
    if (cp === 0x202e) rtl = true;
    if (c !== INVISIBLE) {
      if (c === AT) hasAt = true;
      ch[m] = c;
      from[m] = i;
      to[m] = next;
      m++;
    }
    i = next;
  }
  if (!hasAt) return [];

  const spans: [number, number][] = [];
  for (const [s, e] of scan(ch, m)) spans.push([from[s], to[e - 1]]);
  if (rtl) {
    const back = new Uint8Array(m);
    for (let k = 0; k < m; k++) back[k] = ch[m - 1 - k];
    for (const [s, e] of scan(back, m)) spans.push([from[m - e], to[m - 1 - s]]);
    spans.sort((a, b) => a[0] - b[0]);
  }
  // Two addresses may share characters (`a@b.com@c.com`): one span, so callers that skip an
  // overlapping span never leave part of one visible.
  const out: [number, number][] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && span[0] < last[1]) last[1] = Math.max(last[1], span[1]);
    else out.push(span);
  }
  return out;
}

const INVISIBLE = 1;
const OTHER = 0;
const SPACE = 0x20;
const AT = 0x40;
const DOT = 0x2e;

/**
 * Top-level domains accepted after a space (`admin @ qq.com`, `admin@qq. com`): the ones
 * reporters' addresses end in, and none that is also a word starting an English sentence (in,
 * me, co, us, online …).
 */
const KNOWN_TLDS = new Set([
  "com",
  "cn",
  "net",
  "org",
  "edu",
  "gov",
  "info",
  "biz",
  "io",
  "cc",
  "tv",
  "xyz",
  "vip",
  "top",
  "hk",
  "tw",
  "mo",
  "jp",
  "kr",
  "uk",
  "de",
  "fr",
  "ru",
  "sg",
  "au",
  "ca",
]);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLocal = (c: number) =>
  isAlnum(c) || c === DOT || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
const isDomain = (c: number) => isAlnum(c) || c === DOT || c === 0x2d;

/** [start, end) indices into ch of each e-mail-like string, in order of their `@`. */
function scan(ch: Uint8Array, m: number): [number, number][] {
  // letterEnd[i]: the end of the run of letters starting at i.
  const letterEnd = new Int32Array(m + 1);
  letterEnd[m] = m;
  for (let i = m - 1; i >= 0; i--) letterEnd[i] = isLetter(ch[i]) ? letterEnd[i + 1] : i;
  const out: [number, number][] = [];
  for (let at = 0; at < m; at++) {
    if (ch[at] !== AT) continue;

    // The local part, backwards: spaces before the @, then local characters, crossing spaces
    // only next to a dot (`wang . xiao @`).
    let i = at - 1;
    while (i >= 0 && ch[i] === SPACE) i--;
    let start = i + 1;
    for (;;) {
      while (i >= 0 && isLocal(ch[i])) i--;
      start = i + 1;
      if (i < 0 || ch[i] !== SPACE) break;
      let q = i;
      while (q >= 0 && ch[q] === SPACE) q--;
      if (q < 0 || !isLocal(ch[q]) || (ch[q] !== DOT && ch[start] !== DOT)) break;
      i = q;
    }
    // A local part does not start with a dot: `好的。wxm@qq.com` keeps its full stop. A list's
    // number is not part of it either: `1. wxm@qq.com` keeps its `1. `.
    let k = start;
    while (k < at && k - start < 3 && isDigit(ch[k])) k++;
    if (k > start && k - start <= 2 && ch[k] === DOT && ch[k + 1] === SPACE) start = k;
    while (start < at && (ch[start] === DOT || ch[start] === SPACE)) start++;
    if (start === at) continue;

    // The domain: domain characters, crossing spaces only next to a dot.
    let spaced = ch[at - 1] === SPACE;
    let j = at + 1;
    while (j < m && ch[j] === SPACE) {
      j++;
      spaced = true;
    }
    const first = j;
    let end = -1;
    while (j < m) {
      const c = ch[j];
      // dot, s: a dot and where the label after it starts, when it may end the address.
      let dot = -1;
      let s = 0;
      if (isDomain(c)) {
        if (c === DOT) {
          dot = j;
          s = j + 1;
        }
        j++;
      } else {
        if (c !== SPACE || j === first) break;
        let q = j;
        while (q < m && ch[q] === SPACE) q++;
        if (q === m) break;
        if (ch[j - 1] === DOT && isAlnum(ch[q])) {
          dot = j - 1;
          s = q;
        } else if (ch[j - 1] === DOT || ch[q] !== DOT) break;
        spaced = true;
        j = q;
      }
      // A dot with two letters after it, not first in the domain, is a candidate end; the last
      // one wins.
      if (dot > first) {
        const e = letterEnd[s];
        if (e - s >= 2 && (!spaced || knownTld(ch, s, e))) end = e;
      }
    }
    if (end >= 0) out.push([start, end]);
  }
  return out;
}

function knownTld(ch: Uint8Array, s: number, e: number): boolean {
  if (e - s > 4) return false;
  let tld = "";
  for (let k = s; k < e; k++) tld += String.fromCharCode(ch[k] | 0x20);
  return KNOWN_TLDS.has(tld);
}

/** fold's answers for code points from U+0080, each computed once: the answer | 0x80, 0 unknown. */
const folded = new Uint8Array(0x110000);

/**
 * What a code point reads as in an address: an ASCII character from `!` to `~`, SPACE, INVISIBLE,
 * or OTHER (a line break is OTHER: an address does not run over lines).
 */
function fold(cp: number): number {
  if (cp < 0x80) return cp === 0x09 ? SPACE : cp >= 0x20 && cp < 0x7f ? cp : OTHER;
  // CJK ideographs and Hangul syllables, most of a report: never part of an address.
  if ((cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3)) return OTHER;
  const cached = folded[cp];
  if (cached !== 0) return cached & 0x7f;
  const answer = foldOnce(cp);
  folded[cp] = answer | 0x80;
  return answer;
}

function foldOnce(cp: number): number {
  if (
    cp === 0x00ad || // soft hyphen
    cp === 0x034f || // combining grapheme joiner
    cp === 0x061c || // Arabic letter mark
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x3164 ||
    cp === 0xffa0 || // Hangul fillers: show as a blank or nothing
    cp === 0x17b4 ||
    cp === 0x17b5 || // Khmer inherent vowels, invisible
    (cp >= 0x180b && cp <= 0x180f) || // Mongolian variation selectors and vowel separator
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space, ZWNJ, ZWJ, LRM, RLM
    (cp >= 0x202a && cp <= 0x202e) || // bidi embeddings and overrides
    (cp >= 0x2060 && cp <= 0x206f) || // word joiner, invisible operators, bidi isolates
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    cp === 0xfeff || // zero-width no-break space (BOM)
    (cp >= 0x1d173 && cp <= 0x1d17a) || // musical formatting controls
    (cp >= 0xe0000 && cp <= 0xe0fff) // tags, variation selectors supplement
  )
    return INVISIBLE;
  const s = String.fromCodePoint(cp);
  if (/\p{Zs}/u.test(s)) return SPACE;
  if (/[\p{Mn}\p{Me}]/u.test(s)) return INVISIBLE; // a combining mark sits on the letter before it
  // 。 ｡ and the middle dots · ・ ‧ ∙ ⋅ ･, which NFKD leaves alone (｡ → 。, ･ → ・).
  if (cp === 0x3002 || cp === 0xff61 || cp === 0x00b7 || cp === 0x30fb || cp === 0xff65) return DOT;
  if (cp === 0x2027 || cp === 0x2219 || cp === 0x22c5) return DOT;
  const base = s.normalize("NFKD").replace(/\p{M}/gu, "");
  if (base.length !== 1) return OTHER;
  const c = base.charCodeAt(0);
  return c > 0x20 && c < 0x7f ? c : OTHER;
}
