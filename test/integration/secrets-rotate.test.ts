import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadKeys } from "../../api/bootstrap/keys";
import type { Keys } from "../../api/context";
import { keyedHash } from "../../api/crypto/keyed-hash";
import { boxSecret } from "../../api/crypto/seal";
import { getSodium } from "../../api/crypto/sodium";
import { openTotpSecret, sealTotpSecret } from "../../api/crypto/totp";
import { writeVaultFiles } from "../../api/crypto/vault";
import { openCleanAttachment } from "../../api/services/attachments/open";
import { unwrapDataKey } from "../../api/services/attachments/seal-file";
import { rotateSecrets } from "../../api/services/secrets/rotate";
import { attachments, staff } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";

describe.each(dbKinds())("rotating the host secrets on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let serverKey: Uint8Array;
  let cleanBefore: Uint8Array;
  let splitKeys: Keys;
  const read = (f: string) => fs.readFileSync(f, "utf8");
  const attachment = async () => (await rig.db.db.query.attachments.findMany())[0];

  beforeAll(async () => {
    const s = await getSodium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-rotate-"));
    rig = await createRig(kind, { env: { DATA_DIR: dir } });
    writeVaultFiles(rig.config.vaultFile, rig.config.vaultPublicKeyFile, rig.vault);
    fs.writeFileSync(rig.config.trackingKeyFile, Buffer.from(s.randombytes_buf(32)).toString("hex"));
    // A deployment from before the split: one server secret for everything.
    serverKey = s.randombytes_buf(32);
    fs.writeFileSync(
      rig.config.secretsFile,
      JSON.stringify({ serverKey: Buffer.from(serverKey).toString("hex") }),
    );
    rig.deps.keys = await loadKeys(rig.config);
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("splits secrets.json: re-wraps attachment keys (old and new wrapping) and TOTP secrets, ends sessions, survives a crash before the renames", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c00" } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.set("report", JSON.stringify(anonymousReport()));
    form.append("files", new Blob([new Uint8Array(png)], { type: "image/png" }), "photo.png");
    const res = await rig.app.request("/api/v1/reports", { method: "POST", body: form });
    expect(res.status).toBe(201);
    // Give the file's data key the wrapping the code before the split used (secretbox under the
    // server key), as rows from an older deployment have it.
    const att = await attachment();
    const dataKey = unwrapDataKey(rig.deps.keys.attachments!, att.cleanKeyWrapped);
    await rig.db.db
      .update(attachments)
      .set({ cleanKeyWrapped: boxSecret(keyedHash(serverKey, "attachment-key-wrap", "v1"), dataKey) })
      .where(eq(attachments.id, att.id));
    cleanBefore = openCleanAttachment(rig.deps.keys.attachments!, await attachment()).data;
    const { actor } = await createStaff(rig, { username: "rot.user", office: "430112", roles: ["intake"] });
    await rig.db.db
      .update(staff)
      .set({ totpSecretEnc: sealTotpSecret(serverKey, "JBSWY3DPEHPK3PXP") })
      .where(eq(staff.id, actor.id));
    const before = await rowCounts(rig.db.db);
    expect(before.staff_sessions).toBeGreaterThan(0);

    const r = await rotateSecrets(rig.db.db, rig.config);
    expect(r).toMatchObject({ attachments: 1, totpSecrets: 1, resumed: false, split: true });
    expect(r.sessionsEnded).toBe(before.staff_sessions);
    expect(fs.existsSync(rig.config.secretsFile)).toBe(false);
    for (const f of [rig.config.publicSecretsFile, rig.config.staffSecretsFile]) {
      expect(fs.existsSync(f)).toBe(true);
      expect(fs.existsSync(`${f}.next`)).toBe(false);
    }
    expect(read(rig.config.publicSecretsFile)).not.toContain(Buffer.from(serverKey).toString("hex"));

    splitKeys = await loadKeys(rig.config);
    const after = await attachment();
    expect(Buffer.from(openCleanAttachment(splitKeys.attachments!, after).data)).toEqual(
      Buffer.from(cleanBefore),
    );
    expect(() => openCleanAttachment(serverKey, after)).toThrow();
    const row = await rig.db.db.query.staff.findFirst({ where: (t, { eq }) => eq(t.id, actor.id) });
    expect(openTotpSecret(splitKeys.totp!, row!.totpSecretEnc!)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => openTotpSecret(serverKey, row!.totpSecretEnc!)).toThrow();
    expect((await rowCounts(rig.db.db)).staff_sessions).toBe(0);

    // A crash after the commit and before the renames: the next run finishes the renames only.
    const committed = [read(rig.config.publicSecretsFile), read(rig.config.staffSecretsFile)];
    fs.renameSync(rig.config.publicSecretsFile, `${rig.config.publicSecretsFile}.next`);
    fs.renameSync(rig.config.staffSecretsFile, `${rig.config.staffSecretsFile}.next`);
    fs.writeFileSync(
      rig.config.secretsFile,
      JSON.stringify({ serverKey: Buffer.from(serverKey).toString("hex") }),
    );
    const again = await rotateSecrets(rig.db.db, rig.config);
    expect(again).toMatchObject({ resumed: true, split: true, attachments: 0 });
    expect([read(rig.config.publicSecretsFile), read(rig.config.staffSecretsFile)]).toEqual(committed);
    expect(fs.existsSync(rig.config.secretsFile)).toBe(false);
    expect(Buffer.from(openCleanAttachment(splitKeys.attachments!, await attachment()).data)).toEqual(
      Buffer.from(cleanBefore),
    );
  });

  it("rotates split secrets again: the file opens under the newest staff secret only", async () => {
    const r = await rotateSecrets(rig.db.db, rig.config);
    expect(r).toMatchObject({ attachments: 1, resumed: false, split: false });
    const newest = await loadKeys(rig.config);
    const att = await attachment();
    expect(Buffer.from(openCleanAttachment(newest.attachments!, att).data)).toEqual(Buffer.from(cleanBefore));
    expect(() => openCleanAttachment(splitKeys.attachments!, att)).toThrow();
    expect(Buffer.from(newest.captcha)).not.toEqual(Buffer.from(splitKeys.captcha));
  });
});
