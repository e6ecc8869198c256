// GB 11643-1999 citizen identity number: 17 digits and a check character (0-9 or X),
// ISO 7064 MOD 11-2 over the first 17 digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

export type IdNumberProblem = "format" | "date" | "checksum";

/** Returns undefined when valid. The 7th–14th digits must be a real date of birth. */
export function checkIdNumber(raw: string): IdNumberProblem | undefined {
  const id = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return "format";
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return "date";
  }
  if (idNumberCheckChar(id) !== id[17]) return "checksum";
  return undefined;
}

/**
 * As people type it: full-width digits and Ｘ (Chinese IMEs), spaces or separators between the
 * digit groups (`430102 19900307 1234`, `430102-1990…`) — NFKC, then only digits and X kept when
 * nothing else is in it. Anything with letters or other characters is left for the format check.
 */
export function normalizeIdNumber(raw: string): string {
  const s = raw.normalize("NFKC").toUpperCase();
  const compact = s.replace(/[\s\-.·•/_()、,]/g, "");
  return compact;
}
