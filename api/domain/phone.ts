/**
 * Mainland China mobile numbers: 11 digits starting 13–19, optionally written with +86/0086, in
 * full-width digits (Chinese IMEs: NFKC makes them ASCII) and with spaces, dashes, dots, slashes
 * or brackets between the groups.
 */
export function normalizeMobile(raw: string): string | undefined {
  let s = raw.normalize("NFKC").replace(/[\s\-.·•/_()、,]/g, "");
  if (s.startsWith("+86")) s = s.slice(3);
  else if (s.startsWith("0086")) s = s.slice(4);
  return /^1[3-9]\d{9}$/.test(s) ? s : undefined;
}
