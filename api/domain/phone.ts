// Separators people type inside a phone number (after NFKC, which makes full-width digits,
// brackets, dashes and spaces ASCII): spaces, dashes of every length, dots, middle dots, slashes,
// underscores, brackets, commas.
const SEPARATORS = /[\s\-‐‑‒–—―.·•/_()（）［］[\]、,，]/g;

/** The digits of a phone number as typed, with a +86/0086 country code taken off. */
function digitsOf(raw: string): { digits: string; country: boolean } {
  let s = raw.normalize("NFKC").replace(SEPARATORS, "");
  let country = false;
  if (s.startsWith("+86")) {
    s = s.slice(3);
    country = true;
  } else if (s.startsWith("0086")) {
    s = s.slice(4);
    country = true;
  }
  return { digits: s, country };
}

/**
 * Mainland China mobile numbers: 11 digits starting 13–19, optionally written with +86/0086, in
 * full-width digits (Chinese IMEs: NFKC makes them ASCII) and with spaces, dashes, dots, slashes
 * or brackets between the groups.
 */
export function normalizeMobile(raw: string): string | undefined {
  const { digits } = digitsOf(raw);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

/**
 * Mainland landlines (固定电话) with their area code, as `0731-88888888`: however typed
 * (0731-88888888, (0731)8888 8888, ０７３１－８８８８８８８８, +86 731 8888 8888). Area codes
 * 010 and 020–029 have three digits, all others four; the local number has 7 or 8 digits and
 * does not start with 0 or 1. Without its area code a number cannot be dialled from another city,
 * so it is refused.
 */
export function normalizeLandline(raw: string): string | undefined {
  const { digits: d, country } = digitsOf(raw);
  // After +86 the trunk 0 is dropped (+86 731 …); some write it anyway (+86 0731 …).
  const digits = country && !d.startsWith("0") ? `0${d}` : d;
  const m = /^(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})$/.exec(digits);
  return m ? `${m[1]}-${m[2]}` : undefined;
}

export type PhoneKind = "mobile" | "landline";

/** A contact number: a mobile (kept as before: 11 digits) or a landline with its area code. */
export function normalizePhone(raw: string): { kind: PhoneKind; number: string } | undefined {
  const mobile = normalizeMobile(raw);
  if (mobile) return { kind: "mobile", number: mobile };
  const landline = normalizeLandline(raw);
  return landline ? { kind: "landline", number: landline } : undefined;
}
