import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initKeys, loadKeys, publicPurposeKeys, STAFF_PURPOSES } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import type { Keys } from "../../api/context";
import { keyedHash } from "../../api/crypto/keyed-hash";
import { getSodium } from "../../api/crypto/sodium";
import { openTotpSecret, sealTotpSecret } from "../../api/crypto/totp";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { newSessionToken } from "../../api/services/staff/session";
import { staffSessions } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { createStaff } from "../helpers/staff";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

/**
 * A DATA_DIR as `admin init` leaves it. The vault is not what this file tests: a public key
 * stands in for it, so init skips the (slow) Argon2id of a real one.
 */
async function keyDir(): Promise<string> {
  const s = await getSodium();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-keys-"));
  fs.writeFileSync(path.join(dir, "vault.json"), "{}");
  fs.writeFileSync(
    path.join(dir, "vault.pub"),
    `${s.to_base64(s.crypto_box_keypair().publicKey, s.base64_variants.ORIGINAL)}\n`,
  );
  await initKeys(parseConfig({ DATA_DIR: dir }));
  return dir;
}

describe("keys per purpose, per host", () => {
  const dirs: string[] = [];
  beforeAll(async () => {
    await getSodium();
  });
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("init writes a public and a staff secret; a public process loads no staff key, even with the file beside it", async () => {
    const dir = await keyDir();
    dirs.push(dir);
    const pub = JSON.parse(fs.readFileSync(path.join(dir, "public-secrets.json"), "utf8"));
    const stf = JSON.parse(fs.readFileSync(path.join(dir, "staff-secrets.json"), "utf8"));
    expect(Object.keys(pub).sort()).toEqual(["attachmentsPublicKey", "publicKey"]);
    expect(Object.keys(stf)).toEqual(["staffKey"]);
    expect(fs.statSync(path.join(dir, "staff-secrets.json")).mode & 0o077).toBe(0);

    const all = await loadKeys(parseConfig({ DATA_DIR: dir }));
    const pubOnly = await loadKeys(parseConfig({ DATA_DIR: dir, APP_ROLE: "public" }));
    for (const p of STAFF_PURPOSES) {
      expect(all[p], p).toBeInstanceOf(Uint8Array);
      expect(pubOnly[p], p).toBeUndefined();
    }
    for (const p of ["captcha", "rateLimit", "idempotency", "attachmentsPublic", "trackingKey"] as const) {
      expect(hex(pubOnly[p]), p).toBe(hex(all[p]));
    }
    // The public host holds only public-secrets.json: it still starts.
    fs.rmSync(path.join(dir, "staff-secrets.json"));
    await expect(loadKeys(parseConfig({ DATA_DIR: dir, APP_ROLE: "public" }))).resolves.toBeDefined();
    // The staff host without its secret does not.
    await expect(loadKeys(parseConfig({ DATA_DIR: dir, APP_ROLE: "staff" }))).rejects.toThrow(
      /Missing key files: .*staff-secrets\.json/,
    );
    // Neither host secret is itself a purpose key, and no two purposes share a key.
    const named = [...STAFF_PURPOSES, "captcha", "rateLimit", "idempotency"] as const;
    const values = named.map((p) => hex(all[p] as Uint8Array));
    expect(new Set(values).size).toBe(named.length);
    expect(values).not.toContain(pub.publicKey);
    expect(values).not.toContain(stf.staffKey);
  });

  it("a public process cannot open a TOTP secret: a missing key never degrades to an unkeyed hash", async () => {
    const dir = await keyDir();
    dirs.push(dir);
    const all = await loadKeys(parseConfig({ DATA_DIR: dir }));
    const pubOnly = await loadKeys(parseConfig({ DATA_DIR: dir, APP_ROLE: "public" }));
    const boxed = sealTotpSecret(all.totp!, "JBSWY3DPEHPK3PXP");
    expect(openTotpSecret(all.totp!, boxed)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => openTotpSecret(pubOnly.totp!, boxed)).toThrow(/no key for this purpose/);
    expect(() => keyedHash(pubOnly.session!, "staff-session", "x")).toThrow(/no key for this purpose/);
    for (const k of [pubOnly.captcha, pubOnly.rateLimit, pubOnly.idempotency]) {
      expect(() => openTotpSecret(k, boxed)).toThrow();
    }
  });

  it("refuses a public file that does not belong to the staff secret", async () => {
    const dir = await keyDir();
    const other = await keyDir();
    dirs.push(dir, other);
    fs.copyFileSync(path.join(other, "public-secrets.json"), path.join(dir, "public-secrets.json"));
    await expect(loadKeys(parseConfig({ DATA_DIR: dir }))).rejects.toThrow(/do not belong together/);
  });
});

describe.each(dbKinds())("sessions under the staff secret on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let staffId: string;
  const whoami = (token: string) =>
    rig.app.request("/api/v1/staff/session", { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
  const insertSession = async (tokenHash: Uint8Array) => {
    await rig.deps.db.insert(staffSessions).values({ tokenHash, staffId });
  };

  beforeAll(async () => {
    await getSodium();
    dir = await keyDir();
    rig = await createRig(kind, { env: { DATA_DIR: dir } });
    rig.deps.keys = await loadKeys(rig.config);
    const made = await createStaff(rig, { username: "wc.keys", office: "430112", roles: ["handler"] });
    staffId = made.actor.id;
    // The real login path works with the loaded keys.
    expect((await whoami(made.cookie.split("=")[1])).status).toBe(200);
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a session row forged with everything the public host holds does not authenticate", async () => {
    // The red-team step: with public-secrets.json (all the public host has) and database rights,
    // write a staff_sessions row for a token of one's own, hashed every way that file allows.
    const pub = JSON.parse(fs.readFileSync(rig.config.publicSecretsFile, "utf8")) as { publicKey: string };
    const publicSecret = bytes(pub.publicKey);
    const candidates: Uint8Array[] = [publicSecret, ...Object.values(publicPurposeKeys(publicSecret))];
    for (const key of candidates) {
      const token = newSessionToken();
      await insertSession(keyedHash(key, "staff-session", token));
      expect((await whoami(token)).status).toBe(401);
    }
    // Control: the same forgery with the staff host's session key would have worked.
    const token = newSessionToken();
    await insertSession(keyedHash((rig.deps.keys as Keys).session!, "staff-session", token));
    expect((await whoami(token)).status).toBe(200);
  });

  it("a pre-split secrets.json still works (with a warning): its sessions and TOTP secrets stay valid", async () => {
    const legacyDir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-keys-legacy-"));
    try {
      for (const f of ["vault.pub", "tracking.key"])
        fs.copyFileSync(path.join(dir, f), path.join(legacyDir, f));
      const serverKey = (await getSodium()).randombytes_buf(32);
      fs.writeFileSync(path.join(legacyDir, "secrets.json"), JSON.stringify({ serverKey: hex(serverKey) }));
      const warnings: string[] = [];
      const keys = await loadKeys(parseConfig({ DATA_DIR: legacyDir }), { warn: (m) => warnings.push(m) });
      expect(warnings.join("\n")).toMatch(/secrets rotate/);
      // Made the way the code before the split made them, straight from the server key:
      const token = newSessionToken();
      await insertSession(keyedHash(serverKey, "staff-session", token));
      const saved = rig.deps.keys;
      rig.deps.keys = keys;
      try {
        expect((await whoami(token)).status).toBe(200);
      } finally {
        rig.deps.keys = saved;
      }
      expect(openTotpSecret(keys.totp!, sealTotpSecret(serverKey, "JBSWY3DPEHPK3PXP"))).toBe(
        "JBSWY3DPEHPK3PXP",
      );
      // A public process on the old file gets no staff keys either.
      const pubOnly = await loadKeys(parseConfig({ DATA_DIR: legacyDir, APP_ROLE: "public" }));
      expect(pubOnly.session).toBeUndefined();
    } finally {
      fs.rmSync(legacyDir, { recursive: true, force: true });
    }
  });
});
