import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTotpSecret, sealTotpSecret } from "../../api/crypto/totp";
import { openCleanAttachment } from "../../api/services/attachments/open";
import { rotateServerSecret } from "../../api/services/secrets/rotate";
import { staff } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";

describe.each(dbKinds())("rotating the server secret on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let secretsFile: string;
  let png: Buffer;
  beforeAll(async () => {
    rig = await createRig(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-rotate-"));
    secretsFile = path.join(dir, "secrets.json");
    fs.writeFileSync(
      secretsFile,
      JSON.stringify({ serverKey: Buffer.from(rig.deps.keys.serverKey).toString("hex") }),
    );
    png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c00" } })
      .png()
      .toBuffer();
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("re-wraps attachment keys and TOTP secrets, ends sessions, and survives a crash before the rename", async () => {
    const form = new FormData();
    form.set("report", JSON.stringify(anonymousReport()));
    form.append("files", new Blob([new Uint8Array(png)], { type: "image/png" }), "photo.png");
    const res = await rig.app.request("/api/v1/reports", { method: "POST", body: form });
    expect(res.status).toBe(201);
    const { actor } = await createStaff(rig, { username: "rot.user", office: "430112", roles: ["intake"] });
    await rig.db.db
      .update(staff)
      .set({ totpSecretEnc: sealTotpSecret(rig.deps.keys.serverKey, "JBSWY3DPEHPK3PXP") })
      .where(eq(staff.id, actor.id));
    const before = await rowCounts(rig.db.db);
    expect(before.staff_sessions).toBeGreaterThan(0);
    const [attBefore] = await rig.db.db.query.attachments.findMany();
    const cleanBefore = openCleanAttachment(rig.deps.keys.serverKey, attBefore).data;

    const r = await rotateServerSecret(rig.db.db, secretsFile);
    expect(r).toMatchObject({ attachments: 1, totpSecrets: 1, resumed: false });
    expect(r.sessionsEnded).toBe(before.staff_sessions);
    expect(fs.existsSync(`${secretsFile}.next`)).toBe(false);

    const newKey = Uint8Array.from(
      Buffer.from(
        (JSON.parse(fs.readFileSync(secretsFile, "utf8")) as { serverKey: string }).serverKey,
        "hex",
      ),
    );
    expect(Buffer.from(newKey)).not.toEqual(Buffer.from(rig.deps.keys.serverKey));
    const [attAfter] = await rig.db.db.query.attachments.findMany();
    expect(Buffer.from(openCleanAttachment(newKey, attAfter).data)).toEqual(Buffer.from(cleanBefore));
    expect(() => openCleanAttachment(rig.deps.keys.serverKey, attAfter)).toThrow();
    const row = await rig.db.db.query.staff.findFirst({ where: (t, { eq }) => eq(t.id, actor.id) });
    expect(openTotpSecret(newKey, row!.totpSecretEnc!)).toBe("JBSWY3DPEHPK3PXP");
    expect((await rowCounts(rig.db.db)).staff_sessions).toBe(0);

    // A crash after the commit and before the rename: the next run finishes the rename only.
    const committed = fs.readFileSync(secretsFile, "utf8");
    fs.writeFileSync(`${secretsFile}.next`, committed);
    fs.writeFileSync(
      secretsFile,
      JSON.stringify({ serverKey: Buffer.from(rig.deps.keys.serverKey).toString("hex") }),
    );
    const again = await rotateServerSecret(rig.db.db, secretsFile);
    expect(again.resumed).toBe(true);
    expect(fs.readFileSync(secretsFile, "utf8")).toBe(committed);
    const [attStill] = await rig.db.db.query.attachments.findMany();
    expect(Buffer.from(openCleanAttachment(newKey, attStill).data)).toEqual(Buffer.from(cleanBefore));
  });
});
