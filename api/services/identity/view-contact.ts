import { eq } from "drizzle-orm";
import { cases, identityRequests } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { openGrant } from "../../crypto/identity-grant";
import { appendAudit } from "../audit/append";
import { isUuid, staffOf } from "../cases/scope";
import { appendEvent } from "../events/append";
import { purgeExpiredGrants } from "./purge-grants";
import { grantUnavailable, requestNotFound } from "./request-common";

export interface ContactView {
  requestId: string;
  caseId: string;
  contact: { name?: string; phone?: string; email?: string; address?: string };
  expiresAt: string;
}

/**
 * GET /api/v1/staff/identity-requests/{id}/contact — the requester, and only the requester,
 * reads the contact details of their approved request until it expires. They must still hold
 * the `identity_requester` role and still work in the office holding the case. Anyone else gets
 * the same 404 as for an unknown id. Each read writes a non-public case event
 * (identity_contact_viewed) and an audit row before the details are returned.
 *
 * After expires_at (by deps.now()) the answer is 410 whether or not the purge has run yet, and
 * the purge that runs first erases the cipher.
 */
export async function viewContact({ ctx, input }: VerbArgs<{ requestId: string }>): Promise<ContactView> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  if (!isUuid(input.requestId)) throw requestNotFound();
  await purgeExpiredGrants(deps);
  const [req] = await deps.db
    .select({
      id: identityRequests.id,
      caseId: identityRequests.caseId,
      requesterId: identityRequests.requesterId,
      status: identityRequests.status,
      purpose: identityRequests.purpose,
      expiresAt: identityRequests.expiresAt,
      grantCipher: identityRequests.grantCipher,
      caseOffice: cases.officeCode,
    })
    .from(identityRequests)
    .innerJoin(cases, eq(cases.id, identityRequests.caseId))
    .where(eq(identityRequests.id, input.requestId))
    .limit(1);
  if (
    !req ||
    req.requesterId !== actor.id ||
    !actor.roles.includes("identity_requester") ||
    req.caseOffice !== actor.officeCode
  ) {
    throw requestNotFound();
  }
  const at = deps.now();
  if (req.status === "approved" && (!req.expiresAt || req.expiresAt <= at || !req.grantCipher)) {
    throw grantUnavailable("expired");
  }
  if (req.status !== "approved" || !req.grantCipher || !req.expiresAt) throw grantUnavailable(req.status);

  const contact = openGrant(deps.keys, req.id, req.grantCipher);
  const who = `staff:${actor.username}`;
  await deps.db.transaction(async (tx) => {
    await appendEvent(tx, {
      caseId: req.caseId,
      kind: "identity_contact_viewed",
      actor: who,
      officeCode: actor.officeCode,
      isPublic: false,
      data: { requestId: req.id },
      at,
    });
    await appendAudit(tx, {
      at,
      actor: who,
      action: "identity.view",
      caseId: req.caseId,
      reason: req.purpose,
      data: { requestId: req.id },
    });
  });
  return { requestId: req.id, caseId: req.caseId, contact, expiresAt: req.expiresAt.toISOString() };
}
