import { asc, desc, eq } from "drizzle-orm";
import { identityRequests } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { type RequestStatus, REQUEST_STATUSES as STATUSES } from "../../domain/identity-requests";
import { identityRequestFieldError, problems } from "../../errors";
import { staffOf } from "../cases/scope";
import { purgeExpiredGrants } from "./purge-grants";
import { type IdentityRequestView, loadViews, notCustodianProblem } from "./request-common";

/** The statuses the custodians' list filters by (the page's tabs). */
export const REQUEST_STATUSES: RequestStatus[] = [...STATUSES];

/**
 * GET /api/v1/staff/identity-requests?status=pending — the custodians' list. Custodians serve
 * the whole deployment (as for 启封), so every office's requests are listed, each with the
 * sanitized case summary, the purpose and the requester. Pending requests oldest first, others
 * newest first. Expired grants are purged first.
 */
export async function listIdentityRequests({
  ctx,
  input,
}: VerbArgs<{ status?: string; limit?: number }>): Promise<{ items: IdentityRequestView[] }> {
  const actor = staffOf(ctx);
  if (!actor.roles.includes("custodian")) throw notCustodianProblem();
  const status = (input.status ?? "pending") as RequestStatus;
  if (!REQUEST_STATUSES.includes(status)) {
    throw problems.invalid([identityRequestFieldError("status", "status.invalid")]);
  }
  const { deps } = ctx;
  await purgeExpiredGrants(deps);
  const limit = Math.min(Math.max(1, Math.floor(input.limit ?? 200)), 500);
  const rows = await deps.db
    .select()
    .from(identityRequests)
    .where(eq(identityRequests.status, status))
    .orderBy(status === "pending" ? asc(identityRequests.requestedAt) : desc(identityRequests.requestedAt))
    .limit(limit);
  return { items: await loadViews(deps.db, deps, rows) };
}
