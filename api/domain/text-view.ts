/**
 * A normalised view of reporter text for matching identifiers however they were typed, with
 * every character of the view mapped back to its place in the original text.
 *
 * The view keeps only letters and digits: each code point of the original is taken through
 * Unicode NFKD (full-width １３９ → 139, ＡＢＣ → abc, ① → 1, ǐ → i) and lower-cased, and everything
 * that is not a letter or a number afterwards (spaces incl. U+3000, . / - · _ ， 、 zero-width
 * characters, combining marks, …) is left out. So `王 小明`, `１３９-１２３４-５６７８` and
 * `139.1234.5678` read as `王小明` and `13912345678`. NFKD is applied one code point at a time,
 * which is what keeps the mapping exact; a combining accent typed after its letter is a mark and
 * left out, so it reads as the letter alone, as the precomposed letter does.
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
 * What NFKD leaves alone but a person writes for a digit or an ID's final x:
 * - the dingbat and double-circled digits ❶–❿ ➀–➉ ➊–➓ ⓵–⓾ ⓿ ⓫–⓴ (① and ⑴ NFKD reads itself);
 * - ○ ◯ ⚪ for a zero (一三九○…), read as 〇, so the numeral view takes it as a digit;
 * - the Suzhou numerals 〡〢〣…;
 * - × ✕ ✖ ✗ ✘ ╳ ❌ (and the Cyrillic and Greek x) for the x of an 18-digit ID (…123×);
 * - the Cyrillic and Greek O for the letter o (itself typed for a zero: 138ОО138ООО);
 * - nothing for letters that show as nothing (the Hangul fillers) or as a dot or a dash between
 *   the parts of a name or a number (王ꞏ小明, 139ー1234ー5678);
 * - the simplified form of a few traditional characters the patterns are built on, and the
 *   character a CJK radical shows as (⻩ is 黄, ⻢ is 马, ⺩ is 王);
 * - the Latin letter that a Cyrillic, Greek or small-capital letter looks like (Zhаng with a
 *   Cyrillic а, ʟɪ ɴᴀ, the dotless ı).
 */
function specialFold(cp: number): number[] | undefined {
  const digits = (n: number) => [...String(n)].map((d) => d.codePointAt(0)!);
  if (cp >= 0x2776 && cp <= 0x2793) return digits(((cp - 0x2776) % 10) + 1);
  if (cp >= 0x24f5 && cp <= 0x24fe) return digits(cp - 0x24f5 + 1);
  if (cp === 0x24ff) return [48];
  if (cp >= 0x24eb && cp <= 0x24f4) return digits(cp - 0x24eb + 11);
  if (cp === 0x25cb || cp === 0x25ef || cp === 0x26aa) return [0x3007];
  // The Suzhou (Hangzhou) numerals 〡–〩 and 〸 〹 〺.
  if (cp >= 0x3021 && cp <= 0x3029) return digits(cp - 0x3020);
  if (cp >= 0x3038 && cp <= 0x303a) return digits((cp - 0x3037) * 10);
  if (X_MARKS.has(cp)) return [120];
  if (O_LIKE.has(cp)) return [111];
  if (INVISIBLE_LETTERS.has(cp) || SEPARATOR_LETTERS.has(cp)) return [];
  const simplified = TRADITIONAL.get(cp) ?? RADICALS.get(cp);
  if (simplified !== undefined) return [simplified];
  const latin = LATIN_LOOKALIKES.get(cp);
  if (latin !== undefined) return [latin];
  return undefined;
}

/** × ✕ ✖ ✗ ✘ ╳ ❌, and the Cyrillic х Х and Greek χ Χ that look like x. */
const X_MARKS = new Set([0xd7, 0x2715, 0x2716, 0x2717, 0x2718, 0x2573, 0x274c, 0x445, 0x425, 0x3c7, 0x3a7]);
/** The Cyrillic о О and Greek ο Ο, which look like the o typed for a zero. */
const O_LIKE = new Set([0x43e, 0x41e, 0x3bf, 0x39f]);
/**
 * Letters that show as nothing: the Hangul fillers (ㅤ U+3164, its half-width U+FFA0, U+115F,
 * U+1160) and the Khmer inherent vowels. Unicode calls them letters, so they would otherwise
 * break a number or a name (139ㅤ1234ㅤ5678) while a reader sees a blank.
 */
const INVISIBLE_LETTERS = new Set([0x115f, 0x1160, 0x3164, 0xffa0, 0x17b4, 0x17b5]);
/**
 * Letters that show as a dot or a dash: the sinological dot ꞏ, the Hangul araea ㆍ, the modifier
 * letters ˑ ː, the katakana prolonged-sound mark ー (ｰ folds to it), the Hangul eu ㅡ. Between the
 * parts of a name or a number a reader sees a separator, so the view leaves them out as it leaves
 * out · and -.
 */
const SEPARATOR_LETTERS = new Set([0xa78f, 0x318d, 0x2d1, 0x2d0, 0x30fc, 0xff70, 0x3161, 0xffda]);
/**
 * CJK radicals (the supplement block, which NFKD leaves alone) that show as a whole character
 * common in names and places: ⻩ 黄, ⻢ 马, ⺩ 王 …
 */
const RADICALS: ReadonlyMap<number, number> = new Map(
  [
    ["⻩", "黄"],
    ["⻢", "马"],
    ["⺩", "王"],
    ["⻄", "西"],
    ["⻅", "见"],
    ["⻆", "角"],
    ["⻉", "贝"],
    ["⻋", "车"],
    ["⻓", "长"],
    ["⻔", "门"],
    ["⻘", "青"],
    ["⻙", "韦"],
    ["⻜", "飞"],
    ["⻝", "食"],
    ["⻤", "鬼"],
    ["⻦", "鸟"],
    ["⻨", "麦"],
    ["⻬", "齐"],
    ["⻯", "龙"],
    ["⻰", "龙"],
    ["⻳", "龟"],
    ["⺠", "民"],
    ["⺟", "母"],
    ["⺝", "月"],
    ["⺼", "月"],
    ["⻍", "辶"],
  ].map(([r, c]) => [r.codePointAt(0)!, c.codePointAt(0)!]),
);
/**
 * Letters of other alphabets that look like a Latin one (Cyrillic а е р с у і ј ѕ һ ԁ ԛ ԝ ӏ, Greek
 * α ι κ ν ρ, the small capitals ᴀ ʙ ᴄ …, the dotless ı ȷ), upper case too: a name typed as Zhаng
 * or ʟɪ ɴᴀ reads as zhang and li na. (о and х are read above, as o and x.)
 */
const LATIN_LOOKALIKES: ReadonlyMap<number, number> = (() => {
  const pairs: [string, string][] = [
    ..."аеруіјѕһԁԛԝӏ".split("").map((c, i) => [c, "aepyijshdqwl"[i]] as [string, string]),
    ["с", "c"],
    ..."αικνρ".split("").map((c, i) => [c, "aiknp"[i]] as [string, string]),
    ..."ᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ"
      .split("")
      .map((c, i) => [c, "abcdeghijklmnoprstuvwyz"[i]] as [string, string]),
    ["ı", "i"],
    ["ȷ", "j"],
  ];
  const m = new Map<number, number>();
  for (const [c, l] of pairs) {
    m.set(c.codePointAt(0)!, l.codePointAt(0)!);
    const upper = c.toUpperCase();
    if (upper !== c && [...upper].length === 1 && upper !== l.toUpperCase())
      m.set(upper.codePointAt(0)!, l.codePointAt(0)!);
  }
  return m;
})();
/**
 * Traditional forms of the words the patterns are built on (the address's 號 棟 單元 樓 戶, the
 * cue words 尾號 後四位 身份證 證件號碼 尾數, the place names' 區 縣 鄉 鎮), read as the
 * simplified: 住麓山南路932號5棟2單元301室 is the address given as 932号5栋2单元301室.
 */
const TRADITIONAL: ReadonlyMap<number, number> = new Map(
  [
    ["號", "号"],
    ["棟", "栋"],
    ["單", "单"],
    ["樓", "楼"],
    ["戶", "户"],
    ["後", "后"],
    ["證", "证"],
    ["數", "数"],
    ["碼", "码"],
    ["區", "区"],
    ["縣", "县"],
    ["鄉", "乡"],
    ["鎮", "镇"],
    ["機", "机"],
    ["個", "个"],
    ["為", "为"],
  ].map(([t, s]) => [t.codePointAt(0)!, s.codePointAt(0)!]),
);

/**
 * The value of a decimal digit of any script (Arabic-Indic ٣, extended ۳, Devanagari ३ …): the
 * digits of a script are ten consecutive code points from its zero, so the value is the distance
 * from the start of the run of decimal digits, modulo 10 (mathematical digits come in five sets of
 * ten in one run; NFKD has already read those).
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
  const special = specialFold(cp);
  const out: number[] = special ?? [];
  if (special === undefined) {
    // NFKD, then only letters and numbers: accents go (Lǐ Nà reads li na), as combining marks do.
    for (const ch of String.fromCodePoint(cp).normalize("NFKD").toLowerCase()) {
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
 * 幺 and 么 (1) and 两 (2) as phone numbers are read, the radio digits 洞 (0), 拐 (7), 勾 (9), the
 * capitals 壹贰叁肆伍陆柒捌玖 (and 参 and 叄 for 叁), the traditional forms 兩貳參陸, and the bopomofo ㄧ
 * that looks like 一.
 */
const CN_DIGIT: ReadonlyMap<number, number> = new Map(
  [
    ["〇零洞", 0],
    ["一幺么壹ㄧ", 1],
    ["二两兩贰貳", 2],
    ["三叁參参叄", 3],
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
/** The ASCII digit a Chinese digit character stands for (三 → 51), or undefined. */
export const chineseDigit = (cp: number): number | undefined => CN_DIGIT.get(cp);
/**
 * Letters typed for a digit: o for 0 (O, Ｏ, and the Cyrillic and Greek O fold to it), l and i for
 * 1 (l39l2345678, I39I2345678), the Cyrillic з for 3 (1З912345678). Read as digits only in a block next to a digit and not next to another Latin
 * letter (1三8OO138OOO, not foo1234567 or call13912345678).
 */
const LOOKALIKE: ReadonlyMap<number, number> = new Map([
  [111, 48],
  [108, 49],
  [105, 49], // i (I39I2345678)
  [0x437, 51], // the Cyrillic з (З) for a 3
]);
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
      if (LOOKALIKE.has(cps[j])) {
        // The block of one look-alike, as typed together (Tel:l39… is `tel` and `l39…`).
        const glued = (k: number) => view.end[k - 1] === view.start[k];
        let b = j + 1;
        while (b < length && cps[b] === cps[j] && glued(b)) b++;
        // Another letter of a word; a block of the other look-alike (l38OOl38OOO) is not one.
        const word = (k: number) => isAsciiLetter(cps[k]) && !LOOKALIKE.has(cps[k]);
        const letterBefore = j > 0 && word(j - 1) && glued(j);
        const letterAfter = b < length && word(b) && glued(b);
        // Next to a digit, or to a run already read (1三8O O: the second O follows the first).
        const digitNext = j > i || (j > 0 && digitLike(j - 1)) || (b < length && digitLike(b));
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
        out[k] = LOOKALIKE.get(cps[k]) ?? (cps[k] === CHA ? 120 : (CN_DIGIT.get(cps[k]) ?? cps[k]));
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
