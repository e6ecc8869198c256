import { z } from "zod";
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
