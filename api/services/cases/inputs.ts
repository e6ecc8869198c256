import { z } from "zod";
import { isWorkflowFieldCode, type WorkflowFieldCode } from "../../../messages/staff-fields";
import { isIsoDate } from "../../domain/clock";
import { SUPERVISION_METHODS } from "../../domain/ledgers";
import { nulPaths } from "../../domain/nul";
import { ACTIONS, type Action, DISPOSITIONS, WORKFLOW } from "../../domain/workflow";
import { type FieldError, workflowFieldError } from "../../errors";
import { type FieldForm, zodFieldErrors } from "../../zod-issues";
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
  // The case kept: its id, its 信访件编号 at this office as staff read it (长沙〔2026〕第12号), or the
  // `match` of one of the case's `repeats` (a case the caller may not see, at another office).
  merge: { caseId: text(100) },
  // 留存备查: optionally the case it repeats (as for merge, or the `match` of one of the case's
  // `repeats`), whose office is then told; and a note.
  keep: { caseId: optionalText(100), note: optionalText(2000) },
  dispose: { disposition: z.enum(DISPOSITIONS, { error: "invalid_choice" }) },
  conclude: { result: text(5000), reply: text(10000) },
  return: { reason: text(2000) },
  message: { body: text(5000) },
  release: {},
  supervise: {
    method: z.enum(SUPERVISION_METHODS, {
      error: (i) => (i.input === undefined ? "required" : "invalid_choice"),
    }),
    note: optionalText(2000),
  },
  respond: { answer: text(5000) },
} satisfies Record<Action, z.ZodRawShape>;

export type ActionFields<A extends Action> = z.infer<z.ZodObject<(typeof ACTION_FIELDS)[A]>>;

/** The names of the fields an action takes, for the console's forms. */
export function fieldNames(action: Action): string[] {
  return Object.keys(ACTION_FIELDS[action]);
}

const leaseToken = z
  .string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") })
  .refine(isUuid, "leaseToken.invalid");

/** One action's body: the action, the lease token (when the action needs one), its own fields. */
const actionBody = <A extends Action>(action: A) =>
  z.strictObject({
    action: z.literal(action),
    leaseToken: WORKFLOW[action].lease ? leaseToken : leaseToken.optional(),
    ...ACTION_FIELDS[action],
  });

type ActionBodies = { [A in Action]: ReturnType<typeof actionBody<A>> };
const ACTION_BODIES = Object.fromEntries(ACTIONS.map((a) => [a, actionBody(a)])) as ActionBodies;

/** `{ action, leaseToken, …fields }`: a member per action, chosen by `action`. */
export const ACTION_BODY = z.discriminatedUnion(
  "action",
  Object.values(ACTION_BODIES) as [ActionBodies[Action], ...ActionBodies[Action][]],
);
export type ActionInput = z.infer<typeof ACTION_BODY>;

/** Parses an action's body; the errors carry field paths. */
export function parseActionBody(
  body: Record<string, unknown>,
): { ok: true; input: ActionInput } | { ok: false; errors: FieldError[] } {
  const nul = nulPaths(body);
  if (nul.length > 0) return { ok: false, errors: nul.map((path) => fieldError(path, "text.nul")) };
  const r = ACTION_BODY.safeParse(body);
  if (!r.success) return { ok: false, errors: zodFieldErrors(r.error, WORKFLOW_FIELDS) };
  return { ok: true, input: r.data };
}

/** A field error of the workflow's forms, from a code of its closed list. */
export const fieldError = workflowFieldError;

export const WORKFLOW_FIELDS: FieldForm<WorkflowFieldCode> = {
  isCode: isWorkflowFieldCode,
  error: (path, code) => fieldError(path, code),
};
