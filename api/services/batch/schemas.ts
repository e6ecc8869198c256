import { z } from "zod";

export const BATCH_ACTIONS = ["sign", "forward", "keep", "assign"] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

/** At most 100 cases a request: each is its own transaction. */
export const BATCH_MAX = 100;

/**
 * POST /api/v1/staff/cases/batch (services/batch/run.ts). `sign` 签收 (claim and register at the
 * caller's office), `forward` 转送 to `toOffice` (an office directly below), `keep` 留存备查 as a
 * repeat of `into` (or of the case's one earlier detected repeat), `assign` names `assignee` the
 * handler (承办人) of an accepted case. `reason` is the note of forward and keep.
 */
export const BatchRequest = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(BATCH_MAX),
  action: z.enum(BATCH_ACTIONS),
  toOffice: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  assignee: z.string().min(1).max(100).optional(),
  into: z.string().min(1).max(100).optional(),
  reason: z.string().max(2000).optional(),
});
export type BatchInput = z.infer<typeof BatchRequest>;

export const BatchResult = z.strictObject({
  id: z.string(),
  ok: z.boolean(),
  /** Why not: the problem's detail code (case.not_found, case.held, case.lease_lost, …) or the first field's code. */
  code: z.string().optional(),
  /** The same in words (中文 English), from the message catalogue. */
  message: z.string().optional(),
  /** The case's 信访件编号 at the office holding it after the step. */
  number: z.string().nullable().optional(),
});
export type BatchResult = z.infer<typeof BatchResult>;

export const BatchAnswer = z.strictObject({ results: z.array(BatchResult) });
export type BatchAnswer = z.infer<typeof BatchAnswer>;
