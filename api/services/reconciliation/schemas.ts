import { z } from "zod";
import { MISMATCH_KINDS, MONTH_PATTERN, SEND_KINDS } from "../../domain/reconciliation";

// GET /api/v1/staff/reconciliation (对账, issue 12 §2) and GET /api/v1/staff/cadre-summary
// (省管干部 monthly summary, §3): queries and answers. Field error codes are messages/errors.ts's.

const one = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);

export const monthParam = one(
  z.string({ message: "required" }).regex(MONTH_PATTERN, { message: "month.invalid" }),
).meta({
  type: "string",
  pattern: "^\\d{4}-(0[1-9]|1[0-2])$",
  description: "the month, YYYY-MM (Asia/Shanghai); not after the current one",
});

const format = one(
  z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined))
    .pipe(z.enum(["json", "csv"], { message: "invalid_choice" }).optional()),
).meta({ type: "string", enum: ["json", "csv"], description: "csv: UTF-8 with BOM, for Excel" });

export const ReconciliationQuery = z.object({
  month: monthParam,
  office: one(
    z
      .string()
      .optional()
      .transform((s) => (s ? s : undefined))
      .pipe(
        z
          .string()
          .regex(/^\d{6}$/, { message: "register.office" })
          .optional(),
      ),
  ).meta({
    type: "string",
    pattern: "^\\d{6}$",
    description: "the parent office: the caller's own (default) or one below it",
  }),
  format,
});
export type ReconciliationQueryInput = z.output<typeof ReconciliationQuery>;

const office = z.strictObject({ code: z.string(), name: z.string() });

export const Mismatch = z.strictObject({
  kind: z.enum(MISMATCH_KINDS).meta({
    description:
      "never_received 已转送未签收; received_twice 重复受理; concluded_without_feedback 已办结未反馈 (real-name 检举控告)",
  }),
  caseId: z.uuid(),
  number: z.string().nullable().meta({ description: "the parent's 信访件编号" }),
  receiverNumber: z.string().nullable().meta({ description: "the receiver's 信访件编号" }),
  sendKind: z.enum(SEND_KINDS),
  sentAt: z.iso.datetime(),
  /** The send's event on the case's trail. */
  seq: z.number().int(),
  registrations: z.number().int().meta({ description: "received_twice: how many times it was 受理d" }),
  concludedOn: z.iso.date().nullable().meta({ description: "concluded_without_feedback: the 办结 date" }),
});
export type MismatchItem = z.output<typeof Mismatch>;

export const ChildFigures = z.strictObject({
  office,
  sent: z.number().int().meta({ description: "转送 and 交办 the parent sent it in the month" }),
  forwarded: z.number().int(),
  assigned: z.number().int(),
  signed: z.number().int().meta({ description: "of those, 签收ed (claimed or acted on) by the cut-off" }),
  registered: z.number().int().meta({ description: "受理d by it" }),
  concluded: z.number().int().meta({ description: "办结 there, or 报结 of a 交办" }),
  closedOtherwise: z.number().int().meta({ description: "不予受理, 退回, sent on, 合并 or 留存" }),
  pending: z
    .number()
    .int()
    .meta({ description: "still with it at the cut-off (neither concluded nor decided otherwise)" }),
  notSigned: z.number().int().meta({ description: "待签收: sent, never 签收ed" }),
  overdue: z
    .number()
    .int()
    .meta({ description: "pending and past the 受理 date, or a 交办 past its report date" }),
  mismatches: z.array(Mismatch),
});
export type ChildFiguresItem = z.output<typeof ChildFigures>;

export const OfficeTrail = z.strictObject({
  office: z.string(),
  cases: z.number().int().meta({ description: "cases the office wrote trail events on in the month" }),
  heads: z.string().meta({
    description:
      "their chain heads as at the cut-off, sorted by case id, packed as 52-byte records (16-byte case id, 4-byte big-endian seq, 32-byte BLAKE2b-256 hash), base64 — as in a trail anchor",
  }),
});

export const Reconciliation = z.strictObject({
  format: z.literal("qingfeng-reconciliation/1"),
  month: z.string(),
  office,
  asOf: z.iso
    .datetime()
    .meta({ description: "the cut-off: the month's end, or when it was produced if earlier" }),
  producedAt: z.iso.datetime(),
  totals: ChildFigures.omit({ office: true, mismatches: true }),
  children: z.array(ChildFigures),
  trail: z.array(OfficeTrail).meta({ description: "the parent's trail, then each child office's" }),
  key: z
    .string()
    .nullable()
    .meta({ description: "the anchor key that signed it (base64), null when unsigned" }),
  signature: z.string().nullable().meta({
    description:
      "Ed25519 over the RFC 8785 JSON of every other member (docs/notes-recon.md); null when this host holds no anchor.key",
  }),
});
export type ReconciliationDoc = z.output<typeof Reconciliation>;

export const CadreQuery = z.object({ month: monthParam, format });

export const CadreItem = z.strictObject({
  caseId: z.uuid(),
  number: z
    .string()
    .nullable()
    .meta({ description: "信访件编号 at the province office, else at the holding office" }),
  receivedOn: z.iso.date(),
  title: z.string(),
  subject: z.strictObject({ name: z.string(), unit: z.string(), position: z.string() }),
  category: z.string(),
  type: z.string(),
  office,
  stage: z.string(),
  disposition: z.string().nullable().meta({ description: "问题线索处置方式" }),
  finding: z
    .string()
    .nullable()
    .meta({ description: "办理结果: substantiated 属实 | partly 部分属实 | unsubstantiated 不属实" }),
  concludedOn: z.iso.date().nullable(),
  receivedInMonth: z.boolean(),
  concludedInMonth: z.boolean(),
});
export type CadreItemRow = z.output<typeof CadreItem>;

export const CadreSummary = z.strictObject({
  month: z.string(),
  groups: z.array(
    z.strictObject({
      unit: z.string(),
      category: z.string(),
      received: z.number().int(),
      concluded: z.number().int(),
      items: z.array(CadreItem),
    }),
  ),
  totals: z.strictObject({
    cases: z.number().int(),
    received: z.number().int(),
    concluded: z.number().int(),
  }),
});
export type CadreSummaryDoc = z.output<typeof CadreSummary>;
