import { foldCodePoint } from "./text-view";

/** A mainland mobile written with its middle four digits masked: 139****5678. */
export interface MaskedMobile {
  /** [start, end) UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** The first three and the last four digits, ASCII: `1395678`. */
  digits: string;
}

// Characters people mask digits with: * ＊ ∗ ✱ × x X ｘ Ｘ ● •.
const MASKS = new Set([0x2a, 0xff0a, 0x2217, 0x2731, 0xd7, 0x78, 0x58, 0xff58, 0xff38, 0x25cf, 0x2022]);
// Separators inside one number (space, dashes, dot, slash, underscore, zero-width): skipped.
const SEPS = new Set(
  [..." \t\u00a0\u3000-‐‑‒–—―－/／.．_＿\u200b\u200c\u200d\u2060\ufeff"].map((c) => c.codePointAt(0)!),
);

const DIGIT = 1;
const MASK = 2;
const OTHER = 3;

/**
 * Every masked mobile: `1[3-9]\d`, exactly four mask characters, four digits, with no further
 * digit or mask character right before or after; digits may be full-width and the groups may be
 * separated by spaces or dashes (139-****-5678). One pass to classify the characters, then a
 * fixed-width check at each position: linear.
 */
export function findMaskedMobiles(text: string): MaskedMobile[] {
  const kind: number[] = [];
  const digit: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let sawMask = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const next = i + (cp > 0xffff ? 2 : 1);
    if (!SEPS.has(cp)) {
      let k = OTHER;
      let d = 0;
      if (MASKS.has(cp)) {
        k = MASK;
        sawMask = true;
      } else {
        const f = foldCodePoint(cp);
        if (f.length === 1 && f[0] >= 48 && f[0] <= 57) {
          k = DIGIT;
          d = f[0];
        }
      }
      kind.push(k);
      digit.push(d);
      start.push(i);
      end.push(next);
    }
    i = next;
  }
  const out: MaskedMobile[] = [];
  if (!sawMask) return out;
  const shape = [DIGIT, DIGIT, DIGIT, MASK, MASK, MASK, MASK, DIGIT, DIGIT, DIGIT, DIGIT];
  const n = kind.length;
  for (let i = 0; i + shape.length <= n; i++) {
    if (digit[i] !== 49 || digit[i + 1] < 51 || digit[i + 1] > 57) continue;
    if (i > 0 && kind[i - 1] !== OTHER) continue;
    const after = i + shape.length;
    if (after < n && kind[after] !== OTHER) continue;
    let ok = true;
    for (let k = 0; k < shape.length && ok; k++) ok = kind[i + k] === shape[k];
    if (!ok) continue;
    const ds = [0, 1, 2, 7, 8, 9, 10].map((k) => String.fromCharCode(digit[i + k])).join("");
    out.push({ start: start[i], end: end[after - 1], digits: ds });
  }
  return out;
}
