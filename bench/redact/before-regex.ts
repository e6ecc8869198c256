/**
 * The regex redaction this branch replaced (api/domain/redact.ts at 3d7d3a2), kept only so the
 * benchmark can show what the adversarial inputs cost it. Never imported by the app.
 */
const REDACTED = "〔已隐去〕";

export interface OwnIdentifiers {
  name?: string;
  phone?: string;
  idNumber?: string;
  email?: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern that also finds digits written with spaces or dashes between them. */
function digitsPattern(digits: string): string {
  return digits
    .split("")
    .map((ch) => escapeRe(ch))
    .join("[\\s-]*");
}

/**
 * Removes the reporter's own identifiers from text staff will read: their name, phone number
 * (also with +86 or separators), ID number (either case of X, with separators) and e-mail
 * addresses — any e-mail address, since a narrative's e-mail most often is the reporter's own.
 */
export function redactOwnIdentifiers(text: string, ids: OwnIdentifiers): string {
  let out = text;
  if (ids.idNumber) {
    out = out.replace(new RegExp(digitsPattern(ids.idNumber), "gi"), REDACTED);
  }
  if (ids.phone) {
    out = out.replace(new RegExp(`(?:\\+?86[\\s-]*)?${digitsPattern(ids.phone)}`, "g"), REDACTED);
  }
  if (ids.email) {
    out = out.replace(new RegExp(escapeRe(ids.email), "gi"), REDACTED);
  }
  out = out.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, REDACTED);
  const name = ids.name?.trim();
  if (name && name.length >= 2) {
    // Chinese names appear without spaces; Latin names may differ in spacing and case.
    const pattern = name
      .split(/\s+/)
      .map((part) => escapeRe(part))
      .join("\\s*");
    out = out.replace(new RegExp(pattern, "gi"), REDACTED);
  }
  return out;
}
