import { z } from "zod";
import { isIsoDate } from "../../domain/clock";
import { nulPaths } from "../../domain/nul";
import { type Action, DISPOSITIONS } from "../../domain/workflow";
import type { FieldError } from "../../errors";
import { zodFieldErrors } from "../../zod-issues";
import { workflowFieldMessage } from "./field-messages";
import { isUuid } from "./scope";

// The fields each action takes (DESIGN.md, staff API). Text is NFC-normalized and trimmed;
// unknown fields are refused, so a typo in a field name is a 422 rather than silently ignored.
const text = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") })
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().min(1, "required").max(max, "too_long"))
    .meta({ minLength: 1, maxLength: max });
const optionalText = (max: number) => text(max).optional();
const officeCode = z
  .string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") })
  .regex(/^\d{6}$/, "office.unknown");
const uuid = (code: string) =>
  z.string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") }).refine(isUuid, code);

export const ACTION_FIELDS = {
  register: {},
  decline: { reason: text(2000), guidance: text(2000) },
  transfer: { department: text(100) },
  forward: { office: officeCode, note: optionalText(2000) },
  assign: {
    office: officeCode,
    dueDate: z
      .string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") })
      .refine(isIsoDate, "dueDate.invalid"),
    note: optionalText(2000),
  },
  escalate: { reason: optionalText(2000) },
  merge: { caseId: uuid("caseId.unknown") },
  dispose: { disposition: z.enum(DISPOSITIONS, { error: "invalid_choice" }) },
  conclude: { result: text(5000), reply: text(10000) },
  return: { reason: text(2000) },
  message: { body: text(5000) },
  release: {},
  supervise: { note: optionalText(2000) },
} satisfies Record<Action, z.ZodRawShape>;

export type ActionFields<A extends Action> = z.infer<z.ZodObject<(typeof ACTION_FIELDS)[A]>>;

/** The names of the fields an action takes, for the console's forms. */
export function fieldNames(action: Action): string[] {
  return Object.keys(ACTION_FIELDS[action]);
}

const leaseToken = z
  .string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") })
  .refine(isUuid, "leaseToken.invalid");

/** Parses `{ action, leaseToken, …fields }` for a known action; the errors carry field paths. */
export function parseActionBody(
  action: Action,
  body: Record<string, unknown>,
  needsLease: boolean,
): { ok: true; fields: Record<string, unknown>; leaseToken?: string } | { ok: false; errors: FieldError[] } {
  const schema = z.strictObject({
    action: z.string(),
    leaseToken: needsLease ? leaseToken : leaseToken.optional(),
    ...ACTION_FIELDS[action],
  });
  const nul = nulPaths(body);
  if (nul.length > 0) return { ok: false, errors: nul.map((path) => fieldError(path, "text.nul")) };
  const r = schema.safeParse(body);
  if (!r.success) return { ok: false, errors: zodFieldErrors(r.error, { message: workflowFieldMessage }) };
  const { action: _a, leaseToken: token, ...fields } = r.data as Record<string, unknown>;
  return { ok: true, fields, leaseToken: token as string | undefined };
}

export function fieldError(path: string, code: string, extra = ""): FieldError {
  return { path, code, message: workflowFieldMessage(code) + extra };
}
