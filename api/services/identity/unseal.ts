import { eq } from "drizzle-orm";
import { cases, sealedIdentities } from "../../../db/schema/index";
import type { StaffActor, VerbArgs } from "../../context";
import { openSealedJson } from "../../crypto/seal";
import { getSodium } from "../../crypto/sodium";
import { readVaultFile, unlockVault, VaultError, type VaultFile } from "../../crypto/vault";
import { type FieldError, problems, unsealFieldError } from "../../errors";
import { appendAudit } from "../audit/append";
import { appendEvent } from "../events/append";
import { wrongVaultPassphrase } from "./request-common";

export const MIN_REASON_LENGTH = 10;

export interface UnsealInput {
  caseId: string;
  passphrase: unknown;
  reason: unknown;
  /** Tests hand the vault in; the app reads config.vaultFile on each call (passwd takes effect at once). */
  vault?: VaultFile;
  /** The client source (api/http/client-source.ts), for the per-source throttle only. */
  source?: string;
}

/** Rate-limit buckets (services/ratelimit/buckets.ts): attempts per custodian, per source. */
export const UNSEAL_STAFF_BUCKET = "identity-unseal";
export const UNSEAL_SOURCE_BUCKET = "identity-unseal-source";

/** What intake sealed: the reporter's identity (real-name reports) and the unredacted text. */
export interface SealedIdentity {
  reporter?: Record<string, unknown> | null;
  title?: string;
  body?: string;
  [k: string]: unknown;
}

export interface UnsealResult {
  caseId: string;
  identity: SealedIdentity;
  unsealedAt: string;
  by: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const notCustodian = () => problems.forbidden("identity.unseal_forbidden");

/**
 * 启封: a custodian, with their vault passphrase and a written reason, sees one case's sealed
 * identity and original text. The case event (identity_unsealed, not public) and the audit row
 * commit before the plaintext leaves this function; the private key is zeroed after use. A wrong
 * passphrase leaves an audit row too. The custodian serves the whole deployment, so any case of
 * the province can be opened, and the event names them.
 */
export async function unsealIdentity({ ctx, input }: VerbArgs<UnsealInput>): Promise<UnsealResult> {
  const { deps } = ctx;
  const actor = ctx.actor;
  if (actor.kind !== "staff" || !actor.roles.includes("custodian")) throw notCustodian();
  const vault = input.vault ?? readVaultFile(deps.config.vaultFile);
  if (!vault.custodians.some((s) => s.name === actor.username)) throw notCustodian();

  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  const passphrase = typeof input.passphrase === "string" ? input.passphrase : "";
  const errors: FieldError[] = [];
  if ([...reason].length < MIN_REASON_LENGTH) {
    errors.push(unsealFieldError("reason", "reason.too_short", { min: MIN_REASON_LENGTH }));
  }
  if (!passphrase) errors.push(unsealFieldError("passphrase", "required"));
  if (errors.length) throw problems.invalid(errors);

  if (!UUID_RE.test(input.caseId)) throw problems.notFound();
  const [row] = await deps.db
    .select({ id: cases.id, sealed: sealedIdentities.sealed })
    .from(cases)
    .innerJoin(sealedIdentities, eq(sealedIdentities.caseId, cases.id))
    .where(eq(cases.id, input.caseId))
    .limit(1);
  if (!row) throw problems.notFound();

  const who = `staff:${actor.username}`;
  // Throttled per custodian and per source, each attempt counted BEFORE the passphrase is tried
  // (parallel guesses cannot outrun the count). The Argon2id (the slot's MODERATE cost, ~0.8 s)
  // runs in the worker pool, not on the event loop. A wrong guess also leaves an audit row.
  const hits = await Promise.all([
    deps.rateLimiter.hit(UNSEAL_STAFF_BUCKET, `staff:${actor.id}`, 1),
    input.source
      ? deps.rateLimiter.hit(UNSEAL_SOURCE_BUCKET, input.source, 1)
      : Promise.resolve({ ok: true as const }),
  ]);
  const wait = Math.max(0, ...hits.map((h) => (h.ok ? 0 : h.retryAfter)));
  if (hits.some((h) => !h.ok)) throw problems.throttled(Math.max(1, Math.ceil(wait)));
  const s = await getSodium();
  let priv: Uint8Array;
  try {
    priv = await unlockVault(vault, actor.username, passphrase, deps.kdf);
  } catch (e) {
    if (!(e instanceof VaultError)) throw e;
    await appendAudit(deps.db, {
      at: deps.now(),
      actor: who,
      action: "identity.unseal_failed",
      caseId: row.id,
      reason,
      data: { why: "wrong passphrase" },
    });
    throw wrongVaultPassphrase();
  }
  let identity: SealedIdentity;
  try {
    identity = openSealedJson<SealedIdentity>(deps.keys.vaultPublicKey, priv, row.sealed);
  } finally {
    s.memzero(priv);
  }

  const at = deps.now();
  await deps.db.transaction(async (tx) => {
    await appendEvent(tx, {
      caseId: row.id,
      kind: "identity_unsealed",
      actor: who,
      officeCode: (actor as StaffActor).officeCode,
      isPublic: false,
      data: { reason },
      at,
    });
    await appendAudit(tx, { at, actor: who, action: "identity.unseal", caseId: row.id, reason });
  });
  return { caseId: row.id, identity, unsealedAt: at.toISOString(), by: actor.username };
}
