import { z } from "zod";
import { CATEGORY_CODES, REPORT_TYPES } from "../../domain/categories";
import { CHANNELS } from "../../domain/channels";
import { REGISTER_SORTS } from "../../domain/register";
import { MANAGEMENT_LEVELS } from "../../domain/routing";
import { PUBLIC_STATUSES } from "../../domain/status";
import { STAGES } from "../../domain/workflow";
import { pageLimit } from "../lists/schemas";

// GET /api/v1/staff/cases: the register's query and its answer. Every parameter is optional; a
// repeated one counts once (its first value). Field error codes are messages/errors.ts's.

const one = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);
/** A text filter: trimmed, empty means absent. */
const text = (max: number, description: string) =>
  one(
    z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().max(max, { message: "too_long" }))
      .optional(),
  )
    .transform((s) => (s ? s : undefined))
    .meta({ type: "string", maxLength: max, description });
const choice = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  one(
    z
      .string()
      .optional()
      .transform((s) => (s ? s : undefined))
      .pipe(z.enum(values, { message: "invalid_choice" }).optional()),
  ).meta({ type: "string", enum: [...values], description });
/** A yes/no filter: 1 or true only those, 0 or false only the others, absent both. */
const flag = (description: string) =>
  one(
    z
      .string()
      .optional()
      .transform((s) => (s ? s : undefined))
      .pipe(z.enum(["1", "0", "true", "false"], { message: "invalid_choice" }).optional()),
  )
    .transform((v) => (v === undefined ? undefined : v === "1" || v === "true"))
    .meta({ type: "string", enum: ["1", "0", "true", "false"], description });
const day = (description: string) =>
  one(
    z
      .string()
      .optional()
      .transform((s) => (s ? s : undefined))
      .pipe(z.iso.date({ message: "date.invalid" }).optional()),
  ).meta({ type: "string", format: "date", description });

export const RegisterQuery = z.object({
  q: text(
    100,
    "free text over 被反映人, 单位, 标题, 正文 (the sanitised text only); 1–2 characters match the start of 被反映人 or 单位",
  ),
  subject: text(50, "被反映人 name (2 characters or fewer: its start)"),
  unit: text(100, "被反映人's 单位 (2 characters or fewer: its start)"),
  number: text(60, "信访件编号 at the holding office, e.g. 长沙〔2026〕第12号 (office part optional)"),
  stage: choice(STAGES, "stage at the holding office"),
  status: choice(PUBLIC_STATUSES, "the reporter-facing status"),
  channel: choice(CHANNELS, "how it arrived"),
  category: choice(CATEGORY_CODES, "category"),
  type: choice(REPORT_TYPES, "type of report"),
  level: choice(MANAGEMENT_LEVELS, "management level of the person reported (级别)"),
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
    description: "the holding office: the caller's or one below it",
  }),
  from: day("received on or after (Asia/Shanghai date)"),
  to: day("received on or before (Asia/Shanghai date)"),
  overdue: flag("a running clock is past due"),
  realName: flag("实名举报"),
  unread: flag("has 补充材料 from the reporter not yet read"),
  sort: choice(REGISTER_SORTS, "newest (default), oldest, due (earliest deadline first)"),
  // The staff lists took their page size from here: one definition (lists/schemas.ts).
  limit: pageLimit,
  cursor: text(64, "nextCursor of the previous page (opaque)"),
  format: choice(["json", "csv"], "csv: every case of the filter (up to 20,000) as CSV, audited"),
});
export type RegisterQueryInput = z.output<typeof RegisterQuery>;
/** The filters of a query (everything but paging and format), as the verbs take them. */
export type RegisterFilter = Omit<RegisterQueryInput, "cursor" | "limit" | "format">;

const office = z.strictObject({ code: z.string(), name: z.string() });

export const RegisterItem = z.strictObject({
  id: z.uuid(),
  number: z.string().nullable().meta({ description: "信访件编号 at the holding office" }),
  receivedOn: z.iso.date(),
  channel: z.enum(CHANNELS),
  type: z.enum(REPORT_TYPES),
  category: z.enum(CATEGORY_CODES),
  title: z.string(),
  subject: z
    .strictObject({ name: z.string(), unit: z.string(), level: z.enum(MANAGEMENT_LEVELS) })
    .nullable(),
  stage: z.enum(STAGES),
  publicStatus: z.enum(PUBLIC_STATUSES),
  office,
  nextDueOn: z.iso.date().nullable(),
  overdue: z.boolean(),
  realName: z.boolean(),
  unread: z.boolean().meta({ description: "补充材料 from the reporter not yet read" }),
  canAct: z.boolean().meta({ description: "held by the caller's own office (batch work applies)" }),
});

export const RegisterPage = z.strictObject({
  items: z.array(RegisterItem),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: "pass as ?cursor= for the next page; null on the last" }),
});
