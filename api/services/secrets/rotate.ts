import fs from "node:fs";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  attachments,
  auditLog,
  idempotencyKeys,
  rateLimitKeys,
  staff,
  staffSessions,
  usedCaptchas,
} from "../../../db/schema/index";
import type { SecretsFile } from "../../bootstrap/keys";
import { plainHash } from "../../crypto/keyed-hash";
import { getSodium } from "../../crypto/sodium";
import { openTotpSecret, sealTotpSecret } from "../../crypto/totp";
import { writeSecretFile } from "../../crypto/vault";
import { unwrapDataKey, wrapDataKey } from "../attachments/seal-file";

const fingerprint = (key: Uint8Array) => Buffer.from(plainHash(key)).toString("hex").slice(0, 16);

export interface RotateResult {
  attachments: number;
  totpSecrets: number;
  sessionsEnded: number;
  resumed: boolean;
}

/**
 * Replaces the server secret (secrets.json). What is encrypted under it is re-wrapped in one
 * transaction: attachment data keys (clean copies) and staff TOTP secrets. What is only keyed by
 * it is dropped: staff sessions (everyone signs in again), idempotency records (a retry after
 * rotation files anew), used-captcha and rate-limit rows (short-lived by design).
 *
 * Crash safety: the new key is written to `secrets.json.next` first; the transaction records
 * the new key's fingerprint in the audit log; only then is `.next` renamed over secrets.json.
 * Run again after a crash: if the audit log has the fingerprint of `.next`, the database already
 * uses it and the rename is finished; otherwise `.next` is discarded and rotation starts over.
 * Every app process must be restarted afterwards (they hold the key in memory).
 */
export async function rotateServerSecret(db: Db, secretsFile: string): Promise<RotateResult> {
  const s = await getSodium();
  const next = `${secretsFile}.next`;
  if (fs.existsSync(next)) {
    const pending = JSON.parse(fs.readFileSync(next, "utf8")) as SecretsFile;
    const fp = fingerprint(Buffer.from(pending.serverKey, "hex"));
    const done = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, "secrets.rotate"), eq(auditLog.reason, fp)))
      .limit(1);
    if (done.length > 0) {
      fs.renameSync(next, secretsFile);
      return { attachments: 0, totpSecrets: 0, sessionsEnded: 0, resumed: true };
    }
    fs.rmSync(next);
  }
  const old = JSON.parse(fs.readFileSync(secretsFile, "utf8")) as SecretsFile;
  const oldKey = Uint8Array.from(Buffer.from(old.serverKey, "hex"));
  const newKey = s.randombytes_buf(32);
  writeSecretFile(
    next,
    `${JSON.stringify({ ...old, serverKey: Buffer.from(newKey).toString("hex") }, null, 2)}\n`,
  );

  const result = await db.transaction(async (tx) => {
    const files = await tx
      .select({ id: attachments.id, wrapped: attachments.cleanKeyWrapped })
      .from(attachments)
      .for("update");
    for (const f of files) {
      const dataKey = unwrapDataKey(oldKey, f.wrapped);
      await tx
        .update(attachments)
        .set({ cleanKeyWrapped: wrapDataKey(newKey, dataKey) })
        .where(eq(attachments.id, f.id));
      s.memzero(dataKey);
    }
    const people = await tx
      .select({ id: staff.id, enc: staff.totpSecretEnc })
      .from(staff)
      .where(isNotNull(staff.totpSecretEnc))
      .for("update");
    for (const p of people) {
      const secret = openTotpSecret(oldKey, p.enc!);
      await tx
        .update(staff)
        .set({ totpSecretEnc: sealTotpSecret(newKey, secret) })
        .where(eq(staff.id, p.id));
    }
    const ended = await tx.delete(staffSessions).returning({ h: staffSessions.tokenHash });
    await tx.delete(idempotencyKeys);
    await tx.delete(usedCaptchas);
    await tx.delete(rateLimitKeys);
    await tx.insert(auditLog).values({
      actor: "system:admin-cli",
      action: "secrets.rotate",
      reason: fingerprint(newKey),
      data: { attachments: files.length, totpSecrets: people.length, sessionsEnded: ended.length },
    });
    return { attachments: files.length, totpSecrets: people.length, sessionsEnded: ended.length };
  });
  fs.renameSync(next, secretsFile);
  s.memzero(oldKey);
  return { ...result, resumed: false };
}
