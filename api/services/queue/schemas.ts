import { z } from "zod";
import { CaseSummary } from "../cases/schemas";

const office = z.strictObject({ code: z.string(), name: z.string() });

/** GET /api/v1/staff/queue (counts.ts OfficeCounts), the caller's office first. */
export const QueueCounts = z.strictObject({
  counts: z.array(
    z.strictObject({
      office,
      unclaimed: z.number().int(),
      claimed: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
});

/** A claimed case and its lease (claim.ts Claim). */
export const Claim = z.strictObject({
  case: CaseSummary,
  leaseToken: z.uuid(),
  leaseExpiresAt: z.iso.datetime(),
});
