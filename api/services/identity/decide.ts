import { and, eq } from "drizzle-orm";
import { identityRequests, sealedIdentities } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { sealGrant } from "../../crypto/identity-grant";
import { openSealedJson } from "../../crypto/seal";
import { getSodium } from "../../crypto/sodium";
import { readVaultFile, unlockVault, VaultError, type VaultFile } from "../../crypto/vault";
import { type FieldError, identityRequestFieldError, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { isUuid, staffOf } from "../cases/scope";
import { appendEvent } from "../events/append";
import { purgeExpiredGrants } from "./purge-grants";
import {
  alreadyDecided,
  anonymousCase,
  checkText,
  type IdentityRequestView,
  loadViews,
  notCustodianProblem,
  ownRequest,
  requestNotFound,
  wrongVaultPassphrase,
} from "./request-common";

/** Failed approvals (wrong passphrase) per custodian; see services/ratelimit/buckets.ts. */
export const APPROVE_BUCKET = "identity-approve";

/**
 * The reporter fields a grant keeps: how to reach the person. Never the ID number (nor anything
 * else intake may add to the sealed reporter later): a whitelist, not a blacklist.
 */
export const CONTACT_FIELDS = ["name", "phone", "email", "address"] as const;

export interface DecideInput {
  requestId: string;
  decision: unknown;
  reason: unknown;
  passphrase?: unknown;
  /** Tests hand the vault in; the app reads config.vaultFile on each call. */
  vault?: VaultFile;
}

const DAY_MS = 86_400_000;

/**
 * A custodian approves (with their vault passphrase) or denies a pending identity request, with
 * a reason. Approving unwraps the vault private key, opens the case's sealed identity, keeps
 * only the contact fields and stores them secretbox'ed in grant_cipher for IDENTITY_GRANT_DAYS;
 * the private key and the identity never leave this function. The decision is a conditional
 * update (`WHERE status = 'pending'`): a second decision answers 409. A custodian may not approve
 * their own request. Wrong passphrases count in the `identity-approve` bucket per custodian and
 * leave an audit row; past the limit the next attempt answers 429 before any Argon2id work.
 */
export async function decideIdentityRequest({
  ctx,
  input,
}: VerbArgs<DecideInput>): Promise<{ request: IdentityRequestView }> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  if (!actor.roles.includes("custodian")) throw notCustodianProblem();

  const errors: FieldError[] = [];
  const decision = input.decision;
  if (decision !== "approve" && decision !== "deny") {
    errors.push(identityRequestFieldError("decision", "decision.invalid"));
  }
  const reason = checkText(input.reason, "reason", errors);
  const passphrase = typeof input.passphrase === "string" ? input.passphrase : "";
  if (decision === "approve" && !passphrase) {
    errors.push(identityRequestFieldError("passphrase", "passphrase.required"));
  }
  if (errors.length) throw problems.invalid(errors);

  if (!isUuid(input.requestId)) throw requestNotFound();
  await purgeExpiredGrants(deps);
  const [req] = await deps.db
    .select()
    .from(identityRequests)
    .where(eq(identityRequests.id, input.requestId))
    .limit(1);
  if (!req) throw requestNotFound();
  if (req.status !== "pending") throw alreadyDecided();

  const who = `staff:${actor.username}`;
  const at = deps.now();
  let grant: { cipher: Uint8Array; expiresAt: Date } | undefined;
  if (decision === "approve") {
    if (req.requesterId === actor.id) throw ownRequest();
    const vault = input.vault ?? readVaultFile(deps.config.vaultFile);
    if (!vault.custodians.some((s) => s.name === actor.username)) throw notCustodianProblem();
    const throttle = async (weight: number) => {
      const r = await deps.rateLimiter.hit(APPROVE_BUCKET, actor.id, weight);
      if (!r.ok) throw problems.throttled(r.retryAfter);
    };
    // Every attempt counts before the passphrase is tried, so parallel guesses cannot slip past
    // the limit while the key derivation runs (the unseal throttle does the same).
    await throttle(1);
    const s = await getSodium();
    let priv: Uint8Array;
    try {
      priv = await unlockVault(vault, actor.username, passphrase, deps.kdf);
    } catch (e) {
      if (!(e instanceof VaultError)) throw e;
      await appendAudit(deps.db, {
        at,
        actor: who,
        action: "identity.approve_failed",
        caseId: req.caseId,
        reason,
        data: { requestId: req.id, why: "wrong passphrase" },
      });
      throw wrongVaultPassphrase();
    }
    let contact: Record<string, string> = {};
    try {
      const [sealed] = await deps.db
        .select({ sealed: sealedIdentities.sealed })
        .from(sealedIdentities)
        .where(eq(sealedIdentities.caseId, req.caseId))
        .limit(1);
      const identity = sealed
        ? openSealedJson<{ reporter?: Record<string, unknown> | null }>(
            deps.keys.vaultPublicKey,
            priv,
            sealed.sealed,
          )
        : {};
      for (const f of CONTACT_FIELDS) {
        const v = identity.reporter?.[f];
        if (typeof v === "string" && v.trim()) contact[f] = v;
      }
    } finally {
      s.memzero(priv);
    }
    if (!contact.name && !contact.phone) throw anonymousCase();
    grant = {
      cipher: sealGrant(deps.keys, req.id, contact),
      expiresAt: new Date(at.getTime() + deps.config.identityGrantDays * DAY_MS),
    };
    contact = {};
  }

  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(identityRequests)
      .set({
        status: grant ? "approved" : "denied",
        deciderId: actor.id,
        decidedAt: at,
        decisionReason: reason,
        expiresAt: grant?.expiresAt ?? null,
        grantCipher: grant?.cipher ?? null,
      })
      .where(and(eq(identityRequests.id, req.id), eq(identityRequests.status, "pending")))
      .returning();
    if (!row) throw alreadyDecided();
    await appendEvent(tx, {
      caseId: req.caseId,
      kind: grant ? "identity_request_approved" : "identity_request_denied",
      actor: who,
      officeCode: actor.officeCode,
      isPublic: false,
      data: grant
        ? { requestId: req.id, decision, reason, expiresAt: grant.expiresAt.toISOString() }
        : { requestId: req.id, decision, reason },
      at,
    });
    await appendAudit(tx, {
      at,
      actor: who,
      action: grant ? "identity.approve" : "identity.deny",
      caseId: req.caseId,
      reason,
      data: { requestId: req.id },
    });
    return row;
  });
  const [view] = await loadViews(deps.db, deps, [updated]);
  return { request: view };
}
