import fs from "node:fs";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  attachments,
  auditLog,
  idempotencyKeys,
  identityRequests,
  loginBackoff,
  rateLimitKeys,
  staff,
  staffSessions,
  usedCaptchas,
} from "../../../db/schema/index";
import {
  type LegacySecretsFile,
  newSecretFiles,
  type StaffSecretsFile,
  staffPurposeKeys,
} from "../../bootstrap/keys";
import type { Config } from "../../config";
import { plainHash } from "../../crypto/keyed-hash";
import { getSodium } from "../../crypto/sodium";
import { openTotpSecret, sealTotpSecret } from "../../crypto/totp";
import { writeSecretFile } from "../../crypto/vault";
import { unwrapDataKey, wrapDataKey } from "../attachments/seal-file";
import { appendAudit } from "../audit/append";

const fingerprint = (key: Uint8Array) => Buffer.from(plainHash(key)).toString("hex").slice(0, 16);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as T;

export interface RotateResult {
  attachments: number;
  totpSecrets: number;
  sessionsEnded: number;
  resumed: boolean;
  /** True when the pre-split secrets.json was replaced (and removed). */
  split: boolean;
}

export type SecretFiles = Pick<Config, "secretsFile" | "publicSecretsFile" | "staffSecretsFile">;

/** The keys that what is stored was made under: the staff secret's, or the old server key. */
function currentKeys(files: SecretFiles): { totp: Uint8Array; attachments: Uint8Array; legacy: boolean } {
  if (fs.existsSync(files.publicSecretsFile)) {
    const k = staffPurposeKeys(bytes(readJson<StaffSecretsFile>(files.staffSecretsFile).staffKey));
    return { totp: k.totp, attachments: k.attachments, legacy: false };
  }
  const serverKey = bytes(readJson<LegacySecretsFile>(files.secretsFile).serverKey);
  return { totp: serverKey, attachments: serverKey, legacy: true };
}

/**
 * Replaces both host secrets (public-secrets.json and staff-secrets.json; from the pre-split
 * secrets.json too, which it then removes). What is encrypted under the staff secret is
 * re-wrapped in one transaction: attachment data keys (clean copies, sealed to the new
 * attachments public key) and staff TOTP secrets. What is only keyed by a secret is dropped:
 * staff sessions (everyone signs in again), idempotency records (a retry after rotation files
 * anew), used-captcha, rate-limit and login back-off rows (short-lived by design), and granted
 * identity details (expired: the requester asks again).
 *
 * Crash safety: the new files are written as `*.next` first; the transaction records the new
 * staff key's fingerprint in the audit log; only then are they renamed into place. Run again
 * after a crash: if the audit log has the fingerprint of the pending staff key, the database
 * already uses it and only the renames are finished; otherwise the `.next` files are discarded
 * and rotation starts over. Every app process must be restarted afterwards, and the new
 * public-secrets.json copied to the public host.
 */
export async function rotateSecrets(db: Db, files: SecretFiles): Promise<RotateResult> {
  const s = await getSodium();
  const nextStaff = `${files.staffSecretsFile}.next`;
  const nextPublic = `${files.publicSecretsFile}.next`;
  const finish = () => {
    if (fs.existsSync(nextStaff)) fs.renameSync(nextStaff, files.staffSecretsFile);
    if (fs.existsSync(nextPublic)) fs.renameSync(nextPublic, files.publicSecretsFile);
    const wasLegacy = fs.existsSync(files.secretsFile);
    fs.rmSync(files.secretsFile, { force: true });
    return wasLegacy;
  };
  if (fs.existsSync(nextStaff) || fs.existsSync(nextPublic)) {
    const pendingFile = fs.existsSync(nextStaff) ? nextStaff : files.staffSecretsFile;
    const fp = fingerprint(bytes(readJson<StaffSecretsFile>(pendingFile).staffKey));
    const done = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, "secrets.rotate"), eq(auditLog.reason, fp)))
      .limit(1);
    if (done.length > 0) {
      const split = finish();
      return { attachments: 0, totpSecrets: 0, sessionsEnded: 0, resumed: true, split };
    }
    fs.rmSync(nextStaff, { force: true });
    fs.rmSync(nextPublic, { force: true });
  }
  const old = currentKeys(files);
  const fresh = newSecretFiles((n) => s.randombytes_buf(n));
  const newStaffKey = bytes(fresh.staffFile.staffKey);
  const next = staffPurposeKeys(newStaffKey);
  const newAttachmentsPublic = bytes(fresh.publicFile.attachmentsPublicKey);
  writeSecretFile(nextStaff, `${JSON.stringify(fresh.staffFile, null, 2)}\n`);
  writeSecretFile(nextPublic, `${JSON.stringify(fresh.publicFile, null, 2)}\n`);

  const result = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: attachments.id, wrapped: attachments.cleanKeyWrapped })
      .from(attachments)
      .for("update");
    for (const f of rows) {
      const dataKey = unwrapDataKey(old.attachments, f.wrapped);
      await tx
        .update(attachments)
        .set({ cleanKeyWrapped: wrapDataKey(newAttachmentsPublic, dataKey) })
        .where(eq(attachments.id, f.id));
      s.memzero(dataKey);
    }
    const people = await tx
      .select({ id: staff.id, enc: staff.totpSecretEnc })
      .from(staff)
      .where(isNotNull(staff.totpSecretEnc))
      .for("update");
    for (const p of people) {
      const secret = openTotpSecret(old.totp, p.enc!);
      await tx
        .update(staff)
        .set({ totpSecretEnc: sealTotpSecret(next.totp, secret) })
        .where(eq(staff.id, p.id));
    }
    const ended = await tx.delete(staffSessions).returning({ h: staffSessions.tokenHash });
    await tx.delete(idempotencyKeys);
    await tx.delete(usedCaptchas);
    await tx.delete(rateLimitKeys);
    await tx.delete(loginBackoff);
    await tx
      .update(identityRequests)
      .set({
        grantCipher: null,
        status: sql`case when ${identityRequests.status} = 'approved' then 'expired' else ${identityRequests.status} end`,
      })
      .where(isNotNull(identityRequests.grantCipher));
    const counts = { attachments: rows.length, totpSecrets: people.length, sessionsEnded: ended.length };
    await appendAudit(tx, {
      actor: "system:admin-cli",
      action: "secrets.rotate",
      reason: fingerprint(newStaffKey),
      data: { ...counts, split: old.legacy },
    });
    return counts;
  });
  const split = finish();
  s.memzero(old.attachments);
  s.memzero(old.totp);
  return { ...result, resumed: false, split };
}
