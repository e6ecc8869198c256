import { isAsciiDigit, type KeyView, keyView } from "./text-view";

/** Codes of 可能含身份信息 warnings, in the order staff see them. */
export const IDENTITY_WARNING_CODES = ["id_number", "mobile"] as const;
export type IdentityWarning = (typeof IDENTITY_WARNING_CODES)[number];

// Separators people type inside one number: spaces, dashes, dots, slashes, underscores, middle
// dots, zero-width characters (also their full-width forms). Anything else (，。；： …) ends it.
const WEAK = /^[\s\-‐‑‒–—―－/／.．_＿·・\u200b-\u200d\u2060\ufeff]$/u;

/**
 * What in already-redacted text still looks like a Chinese ID number (15 or 18 digits, the 18th
 * may be X; checksum not checked) or a mainland mobile number (1[3-9] and 9 more digits, with or
 * without 86/0086), however written: full-width, with separators between digit groups. These
 * may be a third party's (the official's phone), so they are flagged for staff, not removed.
 *
 * Numbers are read twice, once ignoring every separator and once ending a number at any
 * separator other than a space, dash, dot, slash or underscore, so `ID，mobile` written one after
 * the other counts as two numbers. One pass each: linear.
 */
export function identityWarnings(...texts: string[]): IdentityWarning[] {
  const found = new Set<IdentityWarning>();
  for (const text of texts) {
    if (!/\p{N}/u.test(text)) continue;
    const view = keyView(text);
    scan(view, undefined, found);
    scan(view, text, found);
  }
  return IDENTITY_WARNING_CODES.filter((c) => found.has(c));
}

function scan(view: KeyView, tightOn: string | undefined, found: Set<IdentityWarning>): void {
  const { cps, length } = view;
  const strongGap = (i: number): boolean => {
    if (!tightOn) return false;
    for (let p = view.end[i - 1]; p < view.start[i]; p++) if (!WEAK.test(tightOn[p])) return true;
    return false;
  };
  let i = 0;
  while (i < length) {
    if (!isAsciiDigit(cps[i])) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < length && isAsciiDigit(cps[j]) && !strongGap(j)) j++;
    const digits = j - i;
    const xAfter = j < length && cps[j] === 120 && !strongGap(j); // x
    const xEnds = xAfter && !(j + 1 < length && isAsciiDigit(cps[j + 1]) && !strongGap(j + 1));
    if (digits === 15 || digits === 18 || (digits === 17 && xEnds)) found.add("id_number");
    const head = (k: number) => String.fromCharCode(...cps.subarray(i, i + k));
    if (
      (digits === 11 && /^1[3-9]/.test(head(2))) ||
      (digits === 13 && /^861[3-9]/.test(head(4))) ||
      (digits === 15 && /^00861[3-9]/.test(head(6)))
    ) {
      found.add("mobile");
    }
    i = j;
  }
}
