import { z } from "zod";
import { isWorkflowFieldCode, type WorkflowFieldCode } from "../../../messages/staff-fields";
import { isIsoDate } from "../../domain/clock";
import { SUPERVISION_METHODS } from "../../domain/ledgers";
import { nulPaths } from "../../domain/nul";
import {
  ACTIONS,
  type Action,
  DISPOSITIONS,
  FEEDBACK_METHODS,
  FINDINGS,
  REPORTER_VIEWS,
  WORKFLOW,
} from "../../domain/workflow";
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
const isoDate = (code: string) =>
  z.string({ error: (i) => (i.input === undefined ? "required" : "invalid_type") }).refine(isIsoDate, code);
const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (i) => (i.input === undefined ? "required" : "invalid_choice") });
/** 办结's outcome, at the office that concludes and in the result an assigned office reports. */
const outcome = {
  finding: choice(FINDINGS),
  result: text(5000),
  /** The 办结 date (default today); the 反馈 clock counts from it. */
  concludedOn: isoDate("concludedOn.invalid").optional(),
};

export const ACTION_FIELDS = {
  register: {},
  decline: { reason: text(2000), guidance: text(2000) },
  transfer: { department: text(100) },
  forward: { office: officeCode, note: optionalText(2000) },
  assign: { office: officeCode, dueDate: isoDate("dueDate.invalid"), note: optionalText(2000) },
  escalate: { reason: optionalText(2000) },
  // The case kept: its id, its 信访件编号 at this office as staff read it (长沙〔2026〕第12号), or the
  // `match` of one of the case's `repeats` (a case the caller may not see, at another office).
  merge: { caseId: text(100) },
  // 留存备查: optionally the case it repeats (as for merge, or the `match` of one of the case's
  // `repeats`), whose office is then told; and a note.
  keep: { caseId: optionalText(100), note: optionalText(2000) },
  dispose: { disposition: z.enum(DISPOSITIONS, { error: "invalid_choice" }) },
  conclude: outcome,
  report: outcome,
  approve: { note: optionalText(2000) },
  rework: { reason: text(2000), dueDate: isoDate("dueDate.invalid") },
  feedback: {
    method: choice(FEEDBACK_METHODS),
    /** When the reporter was told (default today). */
    givenOn: isoDate("givenOn.invalid").optional(),
    /** What /track shows the reporter as the reply. */
    body: text(10000),
    view: choice(REPORTER_VIEWS),
    /** The reporter's view in their own words. */
    viewNote: optionalText(2000),
  },
  // The office's own time for rechecking an objection: a date, or a number of working days.
  recheck: {
    dueDate: isoDate("dueDate.invalid").optional(),
    workingDays: z
      .union([z.int(), z.string().regex(/^\d{1,3}$/)], { error: "workingDays.invalid" })
      .optional(),
    note: optionalText(2000),
  },
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
