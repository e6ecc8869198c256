import { and, desc, eq } from "drizzle-orm";
import { cases, identityRequests } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { caseNotFound, isUuid, relationTo, staffOf } from "../cases/scope";
import { purgeExpiredGrants } from "./purge-grants";
import { type IdentityRequestView, loadViews } from "./request-common";

/**
 * GET /api/v1/staff/cases/{id}/identity-requests — the caller's own requests on a case they can
 * see (newest first), so a requester finds the id of an approved one. Never anyone else's.
 */
export async function listMyIdentityRequests({
  ctx,
  input,
}: VerbArgs<{ caseId: string }>): Promise<{ items: IdentityRequestView[] }> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  if (!isUuid(input.caseId)) throw caseNotFound();
  const [row] = await deps.db
    .select({ officeCode: cases.officeCode })
    .from(cases)
    .where(eq(cases.id, input.caseId))
    .limit(1);
  if (!row || relationTo(deps.offices, actor, row.officeCode) === "none") throw caseNotFound();
  await purgeExpiredGrants(deps);
  const rows = await deps.db
    .select()
    .from(identityRequests)
    .where(and(eq(identityRequests.caseId, input.caseId), eq(identityRequests.requesterId, actor.id)))
    .orderBy(desc(identityRequests.requestedAt))
    .limit(50);
  return { items: await loadViews(deps.db, deps, rows) };
}
