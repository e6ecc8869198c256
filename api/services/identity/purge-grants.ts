import { and, eq, lte } from "drizzle-orm";
import { identityRequests } from "../../../db/schema/index";
import type { Deps } from "../../context";
import { appendAudit } from "../audit/append";
import { appendEvent } from "../events/append";

export const PURGE_ACTOR = "system:identity-grant-expiry";

/**
 * Erases every approved grant whose time is up: grant_cipher becomes null and the status
 * `expired`, with a non-public case event (identity_grant_expired) and an audit row per grant,
 * all in one transaction. Conditional (`status = 'approved' AND expires_at <= now`), so two
 * processes purging at once expire each grant once.
 *
 * Run lazily before every dual-control verb reads or writes requests (request, list, decide,
 * view), and by `npm run admin -- identity purge-grants` from a timer (see
 * docs/security-dual-control.md). The view refuses after expires_at whether or not it ran.
 */
export async function purgeExpiredGrants(deps: Deps): Promise<{ expired: number }> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(identityRequests)
      .set({ status: "expired", grantCipher: null })
      .where(and(eq(identityRequests.status, "approved"), lte(identityRequests.expiresAt, now)))
      .returning({
        id: identityRequests.id,
        caseId: identityRequests.caseId,
        officeCode: identityRequests.officeCode,
      });
    for (const r of rows) {
      await appendEvent(tx, {
        caseId: r.caseId,
        kind: "identity_grant_expired",
        actor: PURGE_ACTOR,
        officeCode: r.officeCode,
        isPublic: false,
        data: { requestId: r.id },
        at: now,
      });
      await appendAudit(tx, {
        at: now,
        actor: PURGE_ACTOR,
        action: "identity.expire",
        caseId: r.caseId,
        data: { requestId: r.id },
      });
    }
    return { expired: rows.length };
  });
}
