import { z } from "zod";
import { PUBLIC_STATUSES } from "../../domain/status";

/**
 * POST /api/v1/track: which case. The route refuses a body without a string `trackingCode` with
 * 422 `trackingCode.invalid`; an unknown or malformed code is the verb's 404.
 */
export const TrackRequest = z.object({
  trackingCode: z.string().meta({ example: "ABCDE-12345-FGHJK-67890" }),
});

/** POST /api/v1/track/messages: the case, and the text addVerb checks (required, at most 5000, no U+0000). */
export const ReporterMessageRequest = TrackRequest.extend({
  body: z.string().min(1).max(5000),
});

const office = z.strictObject({ code: z.string(), name: z.string() });

/** The case as its reporter sees it (lookup.ts TrackView). */
export const TrackView = z.strictObject({
  status: z.enum(PUBLIC_STATUSES),
  statusLabel: z.string(),
  receivedAt: z.iso.datetime(),
  office,
  timeline: z.array(z.strictObject({ at: z.iso.datetime(), event: z.string(), label: z.string() })),
  reply: z.strictObject({ at: z.iso.datetime(), body: z.string() }).nullable(),
  merged: z.strictObject({ at: z.iso.datetime() }).nullable().meta({
    description:
      "a repeat merged into another report: 已并案办理 since `at`; `status` is the joined report's",
  }),
  notAccepted: z
    .strictObject({ reason: z.string(), guidance: z.string() })
    .nullable()
    .meta({ description: "when not accepted: the reason and where to turn instead" }),
  messages: z.array(
    z.strictObject({ at: z.iso.datetime(), from: z.enum(["reporter", "office"]), body: z.string() }),
  ),
});

export const MessageStored = z.strictObject({ at: z.iso.datetime() });
