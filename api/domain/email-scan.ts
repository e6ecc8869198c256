/**
 * Finds e-mail-like strings — what `[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}` would match,
 * also written in full-width characters (ｗｘｍ＠ｑｑ．ｃｏｍ) and with the ideographic full stop
 * for the dot (foo.bar@qq。com: `。` is not folded by NFKC, so it is mapped here) — in one pass. The regex costs
 * quadratic time on inputs like `a.a.a.a…` without an `@`, or many `@`s; this scanner never
 * looks at a character more than a fixed number of times.
 *
 * Returns [start, end) UTF-16 offsets into the original text.
 */
export function findEmails(text: string): [number, number][] {
  // One entry per code point: its NFKC form when that is a single ASCII character, else 0.
  const n = text.length;
  const ch = new Int32Array(n + 1);
  const off = new Int32Array(n + 2);
  let m = 0;
  let hasAt = false;
  for (let i = 0; i < n; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    let a = 0;
    if (cp < 0x80) a = cp;
    else if (cp >= 0xff01 && cp <= 0xff5e)
      a = cp - 0xfee0; // full-width ASCII is NFKC → ASCII
    else if (cp === 0xfe6b)
      a = 0x40; // small commercial at ﹫
    else if (cp === 0xfe52 || cp === 0x3002 || cp === 0xff61) a = 0x2e; // small full stop ﹒, ideographic full stop 。 and its half-width ｡ (not NFKC's)
    if (a === 0x40) hasAt = true;
    ch[m] = a;
    off[m] = i;
    m++;
    i = next;
  }
  off[m] = n;
  if (!hasAt) return [];

  const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const isLocal = (c: number) =>
    isAlnum(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
  const isDomain = (c: number) => isAlnum(c) || c === 0x2e || c === 0x2d;

  // localStart[i]: where the run of local-part characters ending at i begins.
  const localStart = new Int32Array(m);
  for (let i = 0; i < m; i++)
    localStart[i] = isLocal(ch[i]) ? (i > 0 && isLocal(ch[i - 1]) ? localStart[i - 1] : i) : -1;
  // letterEnd[i]: the end of the run of letters starting at i.
  const letterEnd = new Int32Array(m + 1);
  letterEnd[m] = m;
  for (let i = m - 1; i >= 0; i--) letterEnd[i] = isLetter(ch[i]) ? letterEnd[i + 1] : i;

  const out: [number, number][] = [];
  for (let at = 0; at < m; at++) {
    if (ch[at] !== 0x40 || at === 0 || localStart[at - 1] < 0) continue;
    // The domain run after this @ holds no @, so the runs of different @s never overlap.
    let j = at + 1;
    let lastDot = -1;
    while (j < m && isDomain(ch[j])) {
      // A dot with two letters after it, not first in the domain: a candidate end.
      if (ch[j] === 0x2e && j > at + 1 && letterEnd[j + 1] - (j + 1) >= 2) lastDot = j;
      j++;
    }
    if (lastDot < 0) continue;
    const end = letterEnd[lastDot + 1];
    out.push([off[localStart[at - 1]], off[end]]);
  }
  return out;
}
