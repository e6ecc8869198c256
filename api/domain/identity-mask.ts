// Masking what looks like an ID or mobile number in free text staff type (a person-history
// request's purpose, requesting body, 文号, the name and unit searched) before it is written to the
// audit log: the audit row is read by auditors, and a reporter's phone or 身份证号 pasted into a
// purpose must not be copied there. Detection is identity-warnings.ts's (the same rules that flag
// sanitized case text to staff); this only replaces what it finds. Pure.
import { identityNumberSpans } from "./identity-warnings";
import { findMaskedMobiles } from "./masked-mobile";
import { REDACTED } from "./redact";

/**
 * `text` with every number identityWarnings flags (an ID number, a mobile number, however typed:
 * full-width, with separators) and every masked mobile (139****5678) replaced by 〔已隐去〕. A 文号
 * such as 湘组干函〔2026〕158号 or a date stays as it is.
 * Invariant (test/unit/identity-mask.test.ts): identityWarnings(maskIdentityNumbers(t)) is empty.
 */
export function maskIdentityNumbers(text: string): string {
  // A mask can uncover another number (17 digits and an x that a masked phone followed): again
  // until nothing changes; each round removes digits, so it ends.
  let out = text;
  for (let prev = ""; out !== prev; ) {
    prev = out;
    out = replaceSpans(
      out,
      findMaskedMobiles(out).map((m): [number, number] => [m.start, m.end]),
    );
    out = replaceSpans(out, identityNumberSpans(out));
  }
  return out;
}

/** Replaces the spans (merged where they overlap) with the redaction mark. */
function replaceSpans(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  const sorted = spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  let open: [number, number] | undefined;
  for (const [s, e] of sorted) {
    if (open && s < open[1]) {
      open[1] = Math.max(open[1], e);
      continue;
    }
    if (open) {
      out += text.slice(at, open[0]) + REDACTED;
      at = open[1];
    }
    open = [s, e];
  }
  if (open) {
    out += text.slice(at, open[0]) + REDACTED;
    at = open[1];
  }
  return out + text.slice(at);
}
