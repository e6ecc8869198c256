import { z } from "zod";
import { STATS_FIRST_DAY, STATS_LAST_DAY } from "../../domain/stats";

// GET /api/v1/staff/stats: the query and the answer. Every parameter is optional; a repeated one
// counts once (its first value). Field error codes are messages/errors.ts's.

const one = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);
const blank = (s: string | undefined) => (s ? s : undefined);
const day = (description: string) =>
  one(
    z
      .string()
      .optional()
      .transform(blank)
      .pipe(
        z.iso
          .date({ message: "date.invalid" })
          .refine((d) => d >= STATS_FIRST_DAY && d <= STATS_LAST_DAY, { message: "date.invalid" })
          .optional(),
      ),
  ).meta({ type: "string", format: "date", description });

export const StatsQuery = z.object({
  from: day("received on or after (Asia/Shanghai date, 2000–2099); default 1 January of this year"),
  to: day("received on or before (Asia/Shanghai date); default today"),
  office: one(
    z
      .string()
      .optional()
      .transform(blank)
      .pipe(
        z
          .string()
          .regex(/^\d{6}$/, { message: "register.office" })
          .optional(),
      ),
  ).meta({
    type: "string",
    pattern: "^\\d{6}$",
    description:
      "count this office and the offices below it (the caller's own or one below); default the caller's",
  }),
  format: one(
    z
      .string()
      .optional()
      .transform(blank)
      .pipe(z.enum(["json", "csv", "xlsx"], { message: "invalid_choice" }).optional()),
  ).meta({
    type: "string",
    enum: ["json", "csv", "xlsx"],
    description: "csv or xlsx: every table of the page as a file (audited)",
  }),
});
export type StatsQueryInput = z.output<typeof StatsQuery>;

const count = z.number().int().min(0);
const share = z
  .number()
  .min(0)
  .max(1)
  .nullable()
  .meta({ description: "a ratio 0–1; null when nothing to divide by" });
const days = z
  .number()
  .int()
  .min(0)
  .nullable()
  .meta({ description: "calendar days; null when no case has one" });
const bucket = z.strictObject({ code: z.string(), n: count });

export const StatsFigures = z.strictObject({
  total: count.meta({ description: "cases received in the period (收件数)" }),
  realName: count.meta({ description: "实名举报" }),
  realNameShare: share,
  repeats: count.meta({ description: "重复件: merged into another case or kept for reference" }),
  repeatShare: share,
  active: count.meta({ description: "still being handled (在办)" }),
  overdue: count.meta({ description: "still being handled and past a deadline today (超期, live)" }),
  overdueRate: share.meta({ description: "overdue / total" }),
  findings: z.strictObject({ substantiated: count, partly: count, unsubstantiated: count }),
  substantiatedRate: share.meta({ description: "查实率: (属实 + 部分属实) / cases with a finding" }),
  registered: count.meta({ description: "cases with a 受理 date" }),
  medianDaysToRegister: days,
  concluded: count.meta({ description: "cases with a 办结 date" }),
  medianDaysToConclude: days,
  byMonth: z.array(z.strictObject({ month: z.string().meta({ description: "YYYY-MM" }), n: count })),
  channel: z.array(bucket),
  type: z.array(bucket),
  category: z.array(bucket),
  level: z.array(bucket).meta({ description: "被反映人级别; `none`: the report names no one" }),
  stage: z.array(bucket),
  disposition: z.array(bucket).meta({ description: "`none`: no 处置方式 chosen" }),
  finding: z.array(bucket).meta({ description: "`none`: not concluded with a finding" }),
  byOffice: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      level: z.enum(["province", "city", "county"]),
      parent: z.string().nullable(),
      n: count,
      overdue: count,
    }),
  ),
});
export type StatsFiguresOut = z.output<typeof StatsFigures>;

const period = z.strictObject({ from: z.iso.date(), to: z.iso.date() });

export const StatsReport = z.strictObject({
  office: z.strictObject({ code: z.string(), name: z.string() }),
  period,
  comparison: period.meta({ description: "the same period a year earlier (同期)" }),
  current: StatsFigures,
  previous: StatsFigures,
});
export type StatsReportOut = z.output<typeof StatsReport>;
