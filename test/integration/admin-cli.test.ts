import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app";
import { ephemeralKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { cheapestLimits } from "../../api/crypto/password";
import { getSodium } from "../../api/crypto/sodium";
import { readVaultFile, testKdf, unlockVault } from "../../api/crypto/vault";
import { createDeps } from "../../api/deps";
import { createLogger } from "../../api/logger";
import { commands } from "../../cli/commands/index";
import { runCli } from "../../cli/run";
import { type DbHandle, openDb } from "../../db/client";
import { auditLog, staff } from "../../db/schema/index";
import { runAdmin } from "../helpers/admin";
import { createTestDb, dbKinds, type TestDb } from "../helpers/db";

/**
 * An app on an existing database handle, with throwaway keys (login needs only the server key);
 * `close` stops its pools, the handle stays open.
 */
async function appOn(handle: DbHandle, env: Record<string, string>) {
  const s = await getSodium();
  const config = parseConfig({
    CAPTCHA: "off",
    RATE_LIMITS: "off",
    DEMO: "off",
    LOG_LEVEL: "silent",
    ...env,
  });
  const { deps, close } = await createDeps({
    config,
    db: handle,
    schema: "offices",
    keys: ephemeralKeys(s.randombytes_buf(32)),
    serving: false,
    log: createLogger("silent"),
    pools: { kdf: { maxThreads: 1 } },
  });
  return { app: createApp(deps), close };
}

const loginBody = (username: string, password: string) => ({
  method: "POST",
  headers: { "content-type": "application/json", origin: "http://localhost" },
  body: JSON.stringify({ username, password }),
});

// Spawning tsx and opening a database from scratch is slow on a busy two-core machine.
const SLOW = { timeout: 240_000 };

describe.each(dbKinds())("npm run admin -- staff add, spawned, on %s", SLOW, (kind) => {
  let dir: string;
  let env: Record<string, string>;
  let testDb: TestDb | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-admin-"));
    env = { DATA_DIR: dir, LOG_LEVEL: "silent" };
    if (kind === "postgres") {
      testDb = await createTestDb("postgres");
      env.DATABASE_URL = testDb.url!;
    }
  });
  afterAll(async () => {
    await testDb?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("adds a staff member with the password from stdin, who can then log in through the app", async () => {
    const res = await runAdmin(
      [
        "staff",
        "add",
        "--username",
        "wangcheng.intake",
        "--office",
        "430112",
        "--roles",
        "intake,handler",
        "--display-name",
        "王五",
      ],
      env,
      "a-password-from-stdin\n",
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("added wangcheng.intake (望城区纪委监委 430112; intake, handler)");
    expect(res.stdout).not.toContain("a-password-from-stdin");

    const bad = await runAdmin(
      ["staff", "add", "--username", "x.y", "--office", "999999", "--roles", "intake,boss"],
      env,
      "",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("999999");
    expect(bad.stderr).toContain("boss");
    const usage = await runAdmin(["staff", "add", "--office", "430112"], env, "");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing --username");

    const handle = testDb ?? (await openDb({ pgliteDir: path.join(dir, "pglite") }));
    const { app, close } = await appOn(handle, env);
    try {
      const ok = await app.request(
        "/api/v1/staff/session",
        loginBody("wangcheng.intake", "a-password-from-stdin"),
      );
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { staff: { office: { name: string } } }).staff.office.name).toBe(
        "望城区纪委监委",
      );
      const wrong = await app.request(
        "/api/v1/staff/session",
        loginBody("wangcheng.intake", "not-the-password"),
      );
      expect(wrong.status).toBe(401);
      const [row] = await handle.db.select().from(staff).where(eq(staff.username, "wangcheng.intake"));
      expect(row.displayName).toBe("王五");
      expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,/);
    } finally {
      await close();
      if (!testDb) await handle.close();
    }
  });
});

describe("admin CLI commands, in process", SLOW, () => {
  let dir: string;
  let env: Record<string, string>;
  let kdf: Awaited<ReturnType<typeof testKdf>>;

  async function admin(argv: string[], stdin = "") {
    let stdout = "";
    let stderr = "";
    const sink = (f: (s: string) => void) =>
      new Writable({
        write(chunk, _e, cb) {
          f(chunk.toString());
          cb();
        },
      });
    const code = await runCli(commands, argv, {
      env,
      kdf,
      passwordLimits: cheapestLimits(),
      io: {
        stdin: Readable.from([stdin]),
        stdout: sink((s) => (stdout += s)),
        stderr: sink((s) => (stderr += s)),
      },
    });
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    await getSodium();
    kdf = await testKdf();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-admin-"));
    env = { DATA_DIR: dir, LOG_LEVEL: "silent" };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints usage with exit 2 for no or an unknown command, and help with exit 0", async () => {
    expect((await admin([])).code).toBe(2);
    const unknown = await admin(["staff", "fly"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command");
    const help = await admin(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("vault add-custodian --by NAME --name NEW");
  });

  it("vault init creates the vault from a stdin passphrase and refuses to overwrite it", async () => {
    const made = await admin(["vault", "init", "--custodian", "custodian"], "first custodian passphrase\n");
    expect(made.code).toBe(0);
    const cfg = parseConfig(env);
    const before = fs.readFileSync(cfg.vaultFile, "utf8");
    expect(fs.statSync(cfg.vaultFile).mode & 0o777).toBe(0o600);
    const again = await admin(["vault", "init"], "another passphrase here\n");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("refusing to overwrite");
    expect(fs.readFileSync(cfg.vaultFile, "utf8")).toBe(before);
    const priv = await unlockVault(readVaultFile(cfg.vaultFile), "custodian", "first custodian passphrase");
    expect(priv.length).toBe(32);
  });

  it("vault add-custodian needs the first custodian's passphrase; the second then unlocks the same key", async () => {
    const cfg = parseConfig(env);
    const wrong = await admin(
      ["vault", "add-custodian", "--by", "custodian", "--name", "second"],
      "wrong passphrase!!\nsecond custodian passphrase\n",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("wrong passphrase");
    const ok = await admin(
      ["vault", "add-custodian", "--by", "custodian", "--name", "second"],
      "first custodian passphrase\nsecond custodian passphrase\n",
    );
    expect(ok.code).toBe(0);
    const vault = readVaultFile(cfg.vaultFile);
    const a = await unlockVault(vault, "custodian", "first custodian passphrase");
    const b = await unlockVault(vault, "second", "second custodian passphrase");
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const dup = await admin(
      ["vault", "add-custodian", "--by", "custodian", "--name", "second"],
      "first custodian passphrase\nx-passphrase-long\n",
    );
    expect(dup.code).toBe(1);
  });

  it("vault passwd re-wraps: the old passphrase fails, the new one works, the public key stays", async () => {
    const cfg = parseConfig(env);
    const pub = readVaultFile(cfg.vaultFile).publicKey;
    const res = await admin(
      ["vault", "passwd", "--name", "second"],
      "second custodian passphrase\na fresh second passphrase\n",
    );
    expect(res.code).toBe(0);
    const vault = readVaultFile(cfg.vaultFile);
    expect(vault.publicKey).toBe(pub);
    await expect(unlockVault(vault, "second", "second custodian passphrase")).rejects.toThrow(
      /wrong passphrase/,
    );
    expect((await unlockVault(vault, "second", "a fresh second passphrase")).length).toBe(32);
    const short = await admin(["vault", "passwd", "--name", "second"], "a fresh second passphrase\nshort\n");
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("12 characters");
  });

  it("staff add, list, passwd and disable, with audit rows", async () => {
    expect(
      (
        await admin(
          [
            "staff",
            "add",
            "--username",
            "sheng.intake",
            "--office",
            "430000",
            "--roles",
            "intake,supervisor",
          ],
          "sheng-password-1\n",
        )
      ).code,
    ).toBe(0);
    const dup = await admin(
      ["staff", "add", "--username", "sheng.intake", "--office", "430112", "--roles", "intake"],
      "another-password-1\n",
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain("已存在");
    const gen = await admin([
      "staff",
      "add",
      "--username",
      "gen.user",
      "--office",
      "430100",
      "--roles",
      "handler",
      "--generate-password",
    ]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/password \(shown once\): [A-Za-z0-9_-]{24}\n/);
    const list = await admin(["staff", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(/^username\s+office\s+roles\s+totp\s+disabled$/);
    expect(list.stdout).toMatch(/sheng\.intake\s+430000\s+intake,supervisor\s+no\s+no/);
    expect((await admin(["staff", "passwd", "--username", "sheng.intake"], "sheng-password-2\n")).code).toBe(
      0,
    );
    expect((await admin(["staff", "disable", "--username", "gen.user"])).code).toBe(0);
    const json = JSON.parse((await admin(["staff", "list", "--json"])).stdout) as {
      username: string;
      disabled: boolean;
    }[];
    expect(json.find((r) => r.username === "gen.user")?.disabled).toBe(true);
    expect(json.find((r) => r.username === "sheng.intake")?.disabled).toBe(false);
    const missing = await admin(["staff", "disable", "--username", "nobody"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nobody");
    const short = await admin(["staff", "passwd", "--username", "sheng.intake"], "short\n");
    expect(short.code).toBe(2);

    const handle = await openDb({ pgliteDir: path.join(dir, "pglite") });
    const { app, close } = await appOn(handle, env);
    try {
      expect(
        (await app.request("/api/v1/staff/session", loginBody("sheng.intake", "sheng-password-1"))).status,
      ).toBe(401);
      expect(
        (await app.request("/api/v1/staff/session", loginBody("sheng.intake", "sheng-password-2"))).status,
      ).toBe(200);
      const actions = (await handle.db.select().from(auditLog)).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          "vault.init",
          "vault.add_custodian",
          "vault.passwd",
          "staff.add",
          "staff.password",
          "staff.disable",
        ]),
      );
      const text = JSON.stringify(await handle.db.select().from(auditLog));
      expect(text).not.toContain("sheng-password");
      expect(text).not.toContain('passphrase"');
    } finally {
      await close();
      await handle.close();
    }
  });
});
