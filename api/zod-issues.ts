import type { z } from "zod";
import { type FieldError, fieldError } from "./errors";

// The one mapping from zod issues to field error codes, for the routes' defaultHook
// (api/http/openapi.ts) and the verbs that parse with zod (intake, case actions). It sits beside
// errors.ts rather than in api/http/ because services import it, and imports point down.

/** A schema's custom message is a catalogue code ("too_long", "division.unknown"); zod's own are sentences. */
const isCode = (message: string) => /^[a-z][\w.]*$/i.test(message);

function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return "unknown_field";
  const code = isCode(issue.message) ? issue.message : "invalid_type";
  // A missing field fails as a type error; the reporter reads "required", not "wrong format".
  if (issue.code === "invalid_type" && issue.input === undefined && code === "invalid_type")
    return "required";
  return code;
}

/**
 * Field errors for a failed parse: the issue's path under `prefix` ("(body)" for the root), its
 * code, and the message for that code (`message`, the catalogue's by default). Unknown fields
 * are named after the message, so a typo in a field name shows which one.
 */
export function zodFieldErrors(
  error: z.ZodError,
  opts: { prefix?: string; message?: (code: string) => string } = {},
): FieldError[] {
  return error.issues.map((issue) => {
    const code = codeOf(issue);
    const path = [opts.prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(body)";
    const keys = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
    const base = opts.message ? { path, code, message: opts.message(code) } : fieldError(path, code);
    return { ...base, message: base.message + keys };
  });
}
