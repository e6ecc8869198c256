import { z } from "zod";
import { isMonth, LEADER_ACTIONS } from "../../domain/leaders";
import { nextCursor, pageCursor, pageLimit } from "../lists/schemas";
import { LEADER_TEXT_MAX } from "./inputs";

const office = z.strictObject({ code: z.string(), name: z.string() });
const date = z.iso.date().meta({ description: "an Asia/Shanghai date" });
const text = z.string().min(1).max(LEADER_TEXT_MAX);

/** POST /api/v1/staff/cases/{id}/leader-actions: one leader action and its fields (inputs.ts). */
export const LeaderActionRequest = z.discriminatedUnion("action", [
  z.strictObject({
    action: z
      .literal("submit_instruction")
      .meta({ description: "呈批 (intake, handler of the office holding the case)" }),
    proposal: text.meta({ description: "拟办意见" }),
  }),
  z.strictObject({
    action: z
      .literal("instruct")
      .meta({ description: "批示 (a leader of the office holding the case; a 呈批 pending)" }),
    instruction: text.meta({ description: "批示" }),
    signedOn: date.meta({ description: "the date the leader signed it, not after today" }),
  }),
  z.strictObject({ action: z.literal("mark").meta({ description: "列为书记阅批件 by hand" }) }),
  z.strictObject({ action: z.literal("close").meta({ description: "销号 (leader; the case concluded)" }) }),
  z.strictObject({
    action: z.literal("supervise").meta({ description: "督办批示 (leader; a 书记阅批件 not concluded)" }),
    instruction: text,
  }),
  z.strictObject({
    action: z.literal("pull_up").meta({ description: "提级办理 (leader or supervisor of an office above)" }),
    reason: text,
  }),
  z.strictObject({
    action: z
      .literal("review_up")
      .meta({ description: "提级审核 (leader or supervisor of an office above)" }),
    reason: text,
  }),
  z.strictObject({
    action: z
      .literal("approve_review")
      .meta({ description: "the reviewing office lets the conclusion through" }),
    note: text.optional(),
  }),
  z.strictObject({
    action: z.literal("return_review").meta({ description: "the reviewing office sends the case back" }),
    reason: text,
  }),
]);

/** GET /api/v1/staff/cases/{id}/leader and the answer of every leader action (view.ts). */
export const LeaderCaseView = z.strictObject({
  caseId: z.uuid(),
  title: z.string(),
  number: z.string().nullable(),
  office,
  relation: z.enum(["act", "read", "ledger", "pulled"]).meta({
    description:
      "act/read as the case page; ledger: an item of the caller's 书记阅批件 ledger; pulled: taken up from the caller's office",
  }),
  instructions: z.array(
    z.strictObject({
      id: z.number().int(),
      kind: z.enum(["instruction", "supervision"]),
      office,
      requestedAt: z.iso.datetime().nullable(),
      requestedBy: z.string().nullable(),
      proposal: z.string().nullable(),
      pending: z.boolean(),
      instructedAt: z.iso.datetime().nullable(),
      instructedBy: z.string().nullable(),
      instruction: z.string().nullable(),
      signedOn: date.nullable(),
    }),
  ),
  ledger: z
    .strictObject({
      by: z.enum(["hand", "rule"]),
      rule: z.string().nullable(),
      since: z.iso.datetime(),
      closedAt: z.iso.datetime().nullable(),
      closedBy: z.string().nullable(),
    })
    .nullable(),
  review: z.strictObject({ office, held: z.boolean() }).nullable(),
  pulledUp: z.array(
    z.strictObject({ at: z.iso.datetime(), from: office, to: office, reason: z.string(), actor: z.string() }),
  ),
  allowedActions: z.array(z.enum(LEADER_ACTIONS)),
});

/** `?month=YYYY-MM` (default: this month, Asia/Shanghai). */
export const LeaderLedgerQuery = z.object({
  month: z
    .preprocess(
      (v) => (Array.isArray(v) ? v[0] : v),
      z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .refine(isMonth)
        .optional(),
    )
    .meta({ type: "string", example: "2026-03" }),
  limit: pageLimit,
  cursor: pageCursor,
});

const monthCount = z.strictObject({
  month: z.string(),
  total: z.number().int(),
  added: z.number().int(),
  concluded: z.number().int(),
  pending: z.number().int(),
  closed: z.number().int(),
});

/** GET /api/v1/staff/instructions (ledger.ts). */
export const LeaderLedger = z.strictObject({
  office,
  month: z.string(),
  months: z.array(monthCount),
  items: z.array(
    z.strictObject({
      case: z.strictObject({
        id: z.uuid(),
        number: z.string().nullable(),
        title: z.string(),
        stage: z.string(),
        office,
      }),
      by: z.enum(["hand", "rule"]),
      rule: z.string().nullable(),
      since: z.iso.datetime(),
      concludedAt: z.iso.datetime().nullable(),
      reviewHeld: z.boolean(),
      closedAt: z.iso.datetime().nullable(),
      closedBy: z.string().nullable(),
      lastInstruction: z.strictObject({ text: z.string(), signedOn: z.string() }).nullable(),
      supervisionPending: z.boolean(),
    }),
  ),
  nextCursor,
});
