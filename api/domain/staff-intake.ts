// The fields a member of the 信访室 adds to a report when registering what arrived off-line (issue
// 11 §2): the channel, the day it was received and the sender's reference. Pure: no I/O.
import type { FieldCode } from "../../messages/errors";
import { STAFF_CHANNELS, type StaffChannel } from "./channels";
import { isIsoDate } from "./clock";
import { identityWarnings } from "./identity-warnings";

export interface StaffIntakeFields {
  channel: StaffChannel;
  /** YYYY-MM-DD (Asia/Shanghai): drives the intake clocks. */
  receivedOn: string;
  /** The sender's reference (交办文号, 来文编号), whitespace collapsed; null when none. */
  reference: string | null;
  wantsTrackingCode: boolean;
}

export type StaffFieldError = { path: string; code: FieldCode };

/** The names of the staff fields, split off the body before the report itself is validated. */
export const STAFF_FIELD_NAMES = ["channel", "receivedOn", "reference", "wantsTrackingCode"] as const;

/** A reference is a document number, not prose. */
export const REFERENCE_MAX = 100;

/** How far back a received date may go: one year (older items are archive back-entry, not intake). */
export const RECEIVED_ON_MAX_AGE_DAYS = 366;

const DATE_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
];

/**
 * A date as staff type it, normalised to YYYY-MM-DD: full-width digits and punctuation (NFKC),
 * spaces anywhere, `2026/3/5`, `2026.03.05`, `2026年3月5日`. Undefined when it is no date that exists.
 */
export function normalizeReceivedOn(raw: string): string | undefined {
  const s = raw.normalize("NFKC").replace(/\s+/g, "");
  for (const re of DATE_FORMS) {
    const m = re.exec(s);
    if (!m) continue;
    const iso = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
    return isIsoDate(iso) ? iso : undefined;
  }
  return undefined;
}

/**
 * A sender's reference as typed: NFKC (full-width letters and digits to ASCII; 〔〕 stay, they are
 * not compatibility forms), runs of white space to one space, trimmed. Empty → null.
 */
export function normalizeReference(raw: string): string | null {
  const s = raw.normalize("NFKC").replace(/\s+/g, " ").trim();
  return s.length === 0 ? null : s;
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}

/**
 * Parses the staff fields of POST /api/v1/staff/intake (JSON) or the /staff/intake form. Every
 * problem at once, each with its path. `today` is the Asia/Shanghai date. A case assigned from
 * above (`assigned`) always carries its 交办文号, so `reference` is required for it; optional otherwise.
 */
export function parseStaffFields(
  raw: Record<string, unknown>,
  today: string,
): { ok: true; value: StaffIntakeFields } | { ok: false; errors: StaffFieldError[] } {
  const errors: StaffFieldError[] = [];
  const channel = raw.channel;
  if (channel === undefined || channel === null || channel === "") {
    errors.push({ path: "channel", code: "required" });
  } else if (typeof channel !== "string" || !(STAFF_CHANNELS as readonly string[]).includes(channel)) {
    errors.push({ path: "channel", code: "invalid_choice" });
  }

  let receivedOn: string | undefined;
  const rawDate = raw.receivedOn;
  if (rawDate === undefined || rawDate === null || rawDate === "") {
    errors.push({ path: "receivedOn", code: "required" });
  } else if (typeof rawDate !== "string" || rawDate.length > 40) {
    errors.push({ path: "receivedOn", code: "date.invalid" });
  } else {
    receivedOn = normalizeReceivedOn(rawDate);
    if (!receivedOn) errors.push({ path: "receivedOn", code: "date.invalid" });
    else if (receivedOn > today) errors.push({ path: "receivedOn", code: "date.future" });
    else if (daysBetween(receivedOn, today) > RECEIVED_ON_MAX_AGE_DAYS) {
      errors.push({ path: "receivedOn", code: "receivedOn.too_old" });
    }
  }

  let reference: string | null = null;
  const rawRef = raw.reference;
  if (rawRef !== undefined && rawRef !== null) {
    if (typeof rawRef !== "string") errors.push({ path: "reference", code: "invalid_type" });
    else {
      reference = normalizeReference(rawRef);
      if (reference !== null && [...reference].length > REFERENCE_MAX) {
        errors.push({ path: "reference", code: "too_long" });
      } else if (reference !== null && identityWarnings(reference).length > 0) {
        // A 文号 never holds an ID or a mobile number: one that does is a person's identifier
        // typed in the wrong box, and the reference is kept in a plain column and the trail.
        errors.push({ path: "reference", code: "reference.identity" });
      }
    }
  }
  if (channel === "assigned" && reference === null && !errors.some((e) => e.path === "reference")) {
    errors.push({ path: "reference", code: "reference.required" });
  }

  const w = raw.wantsTrackingCode;
  let wantsTrackingCode = false;
  if (w === true || w === "on" || w === "true") wantsTrackingCode = true;
  else if (w !== undefined && w !== null && w !== false && w !== "false" && w !== "") {
    errors.push({ path: "wantsTrackingCode", code: "invalid_type" });
  }

  if (errors.length > 0 || !receivedOn) return { ok: false, errors };
  return {
    ok: true,
    value: { channel: channel as StaffChannel, receivedOn, reference, wantsTrackingCode },
  };
}
