import type { Keys } from "../../context";
import { keyedHash } from "../../crypto/keyed-hash";
import { checkIdNumber, normalizeIdNumber } from "../../domain/id-number";
import { subjectKey } from "../../domain/repeats";
import { type FieldError, personFieldError, problems } from "../../errors";

/** Limits of the free texts, in characters (messages/person-fields.ts says them). */
export const LIMITS = { name: 50, unit: 200, requester: 200, reference: 200, purpose: 500 } as const;

const BLANK_CLASS = "\\p{White_Space}\\p{Cf}\\u2800\\u3164\\u115f\\u1160\\uffa0";
const BLANK = new RegExp(`[${BLANK_CLASS}]`, "gu");
const EDGE_BLANK = new RegExp(`^[${BLANK_CLASS}]+|[${BLANK_CLASS}]+$`, "gu");

/** A trimmed text of at most `max` characters; `min` 0 means optional (empty = absent). */
function text(
  value: unknown,
  path: string,
  errors: FieldError[],
  { min, max }: { min: number; max: number },
): string | null {
  if (value !== undefined && value !== null && typeof value !== "string") {
    errors.push(personFieldError(path, "invalid_type"));
    return null;
  }
  const t = (value ?? "").replace(EDGE_BLANK, "");
  // Spaces, format characters (zero-width) and blank-looking letters (U+2800, U+3164 …) are
  // counted as nothing: alone they are no purpose and no requester.
  const n = [...t.replace(BLANK, "")].length;
  if (n === 0) {
    if (min > 0) errors.push(personFieldError(path, "required"));
    return null;
  }
  if (n < min)
    errors.push(personFieldError(path, path === "requester" ? "requester.too_short" : "text.too_short"));
  else if ([...t].length > max) errors.push(personFieldError(path, "text.too_long"));
  return t;
}

export interface PersonFields {
  name: string;
  /** The name as compared (api/domain/repeats.ts subjectKey). */
  key: string;
  unit: string;
  /** The keyed hash of the 身份证号 when one was given; the number itself goes no further. */
  idHash: Uint8Array | null;
}

/** The keyed hash a person's 身份证号 is held by (keys.personIds, staff host only). */
export function personIdHash(keys: Pick<Keys, "personIds">, idNumber: string): Uint8Array {
  return keyedHash(keys.personIds!, "person-id-number", normalizeIdNumber(idNumber));
}

function personFields(
  raw: { name?: unknown; unit?: unknown; idNumber?: unknown },
  keys: Pick<Keys, "personIds">,
  errors: FieldError[],
): PersonFields {
  const name = text(raw.name, "name", errors, { min: 1, max: LIMITS.name });
  const key = name ? subjectKey(name) : null;
  if (name && !key && [...name].length <= LIMITS.name) errors.push(personFieldError("name", "name.invalid"));
  const unit = text(raw.unit, "unit", errors, { min: 1, max: LIMITS.unit });
  let idHash: Uint8Array | null = null;
  if (raw.idNumber !== undefined && raw.idNumber !== null && raw.idNumber !== "") {
    // The number is checked and hashed here; no error message or log line carries it.
    if (typeof raw.idNumber !== "string" || checkIdNumber(raw.idNumber) !== undefined) {
      errors.push(personFieldError("idNumber", "idNumber.invalid"));
    } else idHash = personIdHash(keys, raw.idNumber);
  }
  return { name: name ?? "", key: key ?? "", unit: unit ?? "", idHash };
}

export interface SearchFields extends PersonFields {
  purpose: string;
  requester: string;
  reference: string | null;
}

/** The person-history search's body: 422 listing every bad field, before anything is read or written. */
export function parseSearch(raw: Record<string, unknown>, keys: Pick<Keys, "personIds">): SearchFields {
  const errors: FieldError[] = [];
  const person = personFields(raw, keys, errors);
  const purpose = text(raw.purpose, "purpose", errors, { min: 4, max: LIMITS.purpose });
  const requester = text(raw.requester, "requester", errors, { min: 2, max: LIMITS.requester });
  const reference = text(raw.reference, "reference", errors, { min: 0, max: LIMITS.reference });
  if (errors.length) throw problems.invalid(errors);
  return { ...person, purpose: purpose!, requester: requester!, reference };
}

/** A new person record's body. */
export function parsePerson(raw: Record<string, unknown>, keys: Pick<Keys, "personIds">): PersonFields {
  const errors: FieldError[] = [];
  const person = personFields(raw, keys, errors);
  if (errors.length) throw problems.invalid(errors);
  return person;
}
