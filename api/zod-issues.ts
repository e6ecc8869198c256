import type { z } from "zod";
import { type FieldCode, isFieldCode } from "../messages/errors";
import { type FieldError, fieldError, withFacts } from "./errors";

// The one mapping from zod issues to field error codes, for the routes' defaultHook
// (api/http/openapi.ts) and the verbs that parse with zod (intake, case actions). It sits beside
// errors.ts rather than in api/http/ because services import it, and imports point down.

/** The codes every form's list holds (messages/errors.ts), which the mapping itself may give. */
type BaseCode = "invalid_type" | "required" | "unknown_field";

/** A form's closed list of field codes (messages/), and its builder of field errors. */
export interface FieldForm<C extends string> {
  isCode(message: string): message is C;
  error(path: string, code: C | BaseCode): FieldError;
}

/** The public API's form: the report, /track, and any path or query parameter. */
export const PUBLIC_FIELDS: FieldForm<FieldCode> = {
  isCode: isFieldCode,
  error: (path, code) => fieldError(path, code),
};

/**
 * Field errors for a failed parse: the issue's path under `prefix` ("(body)" for the root) and a
 * code of the form's list. A schema puts its code in the issue's message ("too_long",
 * "division.unknown"); anything else zod says is a wrong type, and a missing field's type error
 * is "required". Unknown fields are named after the message, so a typo shows which one.
 */
export function zodFieldErrors<C extends string>(
  error: z.ZodError,
  form: FieldForm<C>,
  prefix = "",
): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(body)";
    if (issue.code === "unrecognized_keys") {
      return withFacts(form.error(path, "unknown_field"), `: ${issue.keys.join(", ")}`);
    }
    const code = form.isCode(issue.message) ? issue.message : "invalid_type";
    const missing = issue.code === "invalid_type" && issue.input === undefined && code === "invalid_type";
    return form.error(path, missing ? "required" : code);
  });
}
