import { and, eq } from "drizzle-orm";
import { cases, identityRequests } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { type FieldError, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { caseNotFound, isUuid, relationTo, staffOf } from "../cases/scope";
import { appendEvent } from "../events/append";
import { purgeExpiredGrants } from "./purge-grants";
import {
  alreadyPending,
  anonymousCase,
  checkText,
  type IdentityRequestView,
  loadViews,
  notRequester,
} from "./request-common";

export interface RequestInput {
  caseId: string;
  purpose: unknown;
}

/**
 * A staff member of the office holding a real-name case, with the `identity_requester` role,
 * asks a custodian for the reporter's contact details, giving the purpose. One pending request
 * per requester and case. Writes the request, a non-public case event (identity_requested:
 * request id and purpose, no identity) and an audit row in one transaction.
 *
 * Answers: 404 a case outside the caller's office (a supervisor above reads the case but does
 * not hold it: 403), 403 without the role, 409 `anonymous-case`, 409 `request-pending`, 422 purpose.
 */
export async function requestIdentity({ ctx, input }: VerbArgs<RequestInput>): Promise<IdentityRequestView> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  if (!isUuid(input.caseId)) throw caseNotFound();
  const [row] = await deps.db
    .select({ id: cases.id, officeCode: cases.officeCode, realName: cases.realName })
    .from(cases)
    .where(eq(cases.id, input.caseId))
    .limit(1);
  if (!row) throw caseNotFound();
  const relation = relationTo(deps.offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  if (!actor.roles.includes("identity_requester")) throw notRequester();
  if (relation !== "act") throw problems.forbidden("identity_request.not_holder");

  const errors: FieldError[] = [];
  const purpose = checkText(input.purpose, "purpose", errors);
  if (errors.length) throw problems.invalid(errors);
  if (!row.realName) throw anonymousCase();

  await purgeExpiredGrants(deps);
  const at = deps.now();
  const who = `staff:${actor.username}`;
  const created = await deps.db.transaction(async (tx) => {
    // The case row lock serializes two requests racing for the same case, so the check below
    // sees the other's insert (READ COMMITTED: each statement takes a fresh snapshot).
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, row.id)).for("no key update");
    const [pending] = await tx
      .select({ id: identityRequests.id })
      .from(identityRequests)
      .where(
        and(
          eq(identityRequests.caseId, row.id),
          eq(identityRequests.requesterId, actor.id),
          eq(identityRequests.status, "pending"),
        ),
      )
      .limit(1);
    if (pending) throw alreadyPending();
    const [inserted] = await tx
      .insert(identityRequests)
      .values({
        caseId: row.id,
        officeCode: row.officeCode,
        requesterId: actor.id,
        purpose,
        status: "pending",
        requestedAt: at,
      })
      .returning();
    await appendEvent(tx, {
      caseId: row.id,
      kind: "identity_requested",
      actor: who,
      officeCode: row.officeCode,
      isPublic: false,
      data: { requestId: inserted.id, purpose },
      at,
    });
    await appendAudit(tx, {
      at,
      actor: who,
      action: "identity.request",
      caseId: row.id,
      reason: purpose,
      data: { requestId: inserted.id },
    });
    return inserted;
  });
  const [view] = await loadViews(deps.db, deps, [created]);
  return view;
}
