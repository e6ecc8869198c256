/** Mainland China mobile numbers: 11 digits starting 13–19, optionally written with +86 and spaces/dashes. */
export function normalizeMobile(raw: string): string | undefined {
  let s = raw.replace(/[\s-]/g, "");
  if (s.startsWith("+86")) s = s.slice(3);
  else if (s.startsWith("0086")) s = s.slice(4);
  return /^1[3-9]\d{9}$/.test(s) ? s : undefined;
}
