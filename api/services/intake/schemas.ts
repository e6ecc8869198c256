import { z } from "zod";
import { STAFF_CHANNELS } from "../../domain/channels";
import { REFERENCE_MAX } from "../../domain/staff-intake";
import { STAGES } from "../../domain/workflow";
import { reporterSchema, reportSchema } from "./validate";

/**
 * POST /api/v1/reports: the two schemas submitReport validates with (validate.ts), the reporter
 * (checked apart, only for a real-name report) shown in its place. With attachments the same
 * JSON travels as the `report` part of multipart/form-data, beside one `files` part per file.
 */
export const ReportRequest = reportSchema.extend({
  reporter: reporterSchema
    .optional()
    .meta({ description: "required when realName is true; absent (or null) when it is false" }),
});

export const ReportMultipart = z.object({
  report: z.string().meta({ description: "the report JSON, as for application/json" }),
  files: z
    .array(z.string().meta({ format: "binary" }))
    .optional()
    .meta({ description: "one part per file: JPEG, PNG, PDF, DOCX, MP3/M4A, MP4/MOV" }),
});

const office = z.strictObject({ code: z.string(), name: z.string() });

/** The receipt (services/intake/submit.ts Receipt): the tracking code is shown once, never again. */
export const Receipt = z.strictObject({
  trackingCode: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/)
    .meta({ description: "20 Crockford base-32 characters in four groups (crypto/tracking-code.ts)" }),
  receivedAt: z.iso.datetime(),
  office,
});

/**
 * POST /api/v1/staff/intake (services/intake/register.ts): the online report's fields (no
 * captcha) plus how and when it arrived. Dates are normalised (full-width digits, 2026/3/5,
 * 2026年3月5日 → 2026-03-05; api/domain/staff-intake.ts); `reference` is required for `assigned`.
 */
export const StaffIntakeRequest = ReportRequest.omit({ captcha: true }).extend({
  channel: z.enum(STAFF_CHANNELS).meta({ description: "来信、来访、来电、12388、上级交办" }),
  receivedOn: z.string().meta({
    description:
      "the day the office received it (YYYY-MM-DD, Asia/Shanghai): not in the future, at most a year ago",
  }),
  reference: z
    .string()
    .max(REFERENCE_MAX)
    .optional()
    .meta({ description: "the sender's reference (交办文号, 来文编号); required when channel is assigned" }),
  wantsTrackingCode: z
    .boolean()
    .optional()
    .meta({ description: "print a tracking code on the 受理回执: answered once, never stored in plaintext" }),
});

export const Registered = z.strictObject({
  case: z.strictObject({
    id: z.uuid(),
    number: z.string().nullable(),
    office,
    stage: z.enum(STAGES),
    channel: z.enum(STAFF_CHANNELS),
    receivedOn: z.iso.date(),
    reference: z.string().nullable(),
  }),
  trackingCode: Receipt.shape.trackingCode.optional(),
});
