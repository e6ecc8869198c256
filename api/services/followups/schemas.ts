import { z } from "zod";
import { nextCursor } from "../lists/schemas";

export { PageQuery as FollowUpsQuery } from "../lists/schemas";

/** GET /api/v1/staff/follow-ups (list.ts). */
export const FollowUps = z.strictObject({
  cases: z.array(
    z.strictObject({
      case: z.strictObject({
        id: z.uuid(),
        number: z.string().nullable(),
        title: z.string(),
        stage: z.string(),
      }),
      unread: z.number().int(),
      firstAt: z.iso.datetime(),
      lastAt: z.iso.datetime(),
    }),
  ),
  nextCursor,
});

/** POST /api/v1/staff/cases/{id}/messages/read: the time of the latest message the caller was shown. */
export const MarkReadRequest = z.strictObject({
  upTo: z.iso.datetime().meta({ description: "messages sent at or before this time are marked read" }),
});

/** POST /api/v1/staff/cases/{id}/messages/read (mark-read.ts). */
export const MarkedRead = z.strictObject({ marked: z.number().int() });
