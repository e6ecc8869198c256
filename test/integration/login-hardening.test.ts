import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKdfPool } from "../../api/crypto/kdf-pool";
import { cheapestLimits, hashPassword } from "../../api/crypto/password";
import { getSodium } from "../../api/crypto/sodium";
import { totpAt } from "../../api/crypto/totp";
import { writeVaultFiles } from "../../api/crypto/vault";
import { onForgeablePeer, resolveClientAddress } from "../../api/http/client-source";
import { auditLog, cases, loginBackoff, staff } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

// Reporter protection II, part 1: logins that cannot stall the portal, cannot be outrun by a
// forged X-Forwarded-For, and cannot be used to lock a person out.

const ORIGIN = "http://localhost";
const REASON = "纪律审查需要联系实名举报人核实情况";

/** A clock the test moves (deps.now); no test sleeps. */
function clock(start = Date.parse("2026-03-02T02:00:00Z")) {
  let t = start;
  return { now: () => new Date(t), advance: (seconds: number) => (t += seconds * 1000) };
}

/**
 * Counts the main thread's Argon2id calls (libsodium's real functions, wrapped with a counter):
 * the running app must make none, the worker pool does them all.
 */
async function countMainThreadArgon2() {
  const s = (await getSodium()) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names = ["crypto_pwhash", "crypto_pwhash_str", "crypto_pwhash_str_verify"];
  const originals = names.map((n) => s[n]);
  let calls = 0;
  names.forEach((n, i) => {
    s[n] = (...a: unknown[]) => {
      calls++;
      return originals[i](...a);
    };
  });
  return {
    calls: () => calls,
    restore: () => {
      for (const [i, n] of names.entries()) s[n] = originals[i];
    },
  };
}

describe("one client source", () => {
  it("takes the entry the trusted proxy appended, never a forged leftmost one", () => {
    const forged = "6.6.6.6, 7.7.7.7";
    expect(resolveClientAddress("10.0.0.2", `${forged}, 198.51.100.20`, 1)).toBe("198.51.100.20");
    expect(resolveClientAddress("6.6.6.6", `${forged}, 198.51.100.20`, 1)).toBe("198.51.100.20");
    expect(resolveClientAddress("10.0.0.2", forged, 0)).toBe("10.0.0.2");
  });

  it("without a trusted proxy, a peer that is the client's own leftmost X-Forwarded-For entry is not a source", () => {
    // A build with ALLOWED_HOSTS makes Astro's clientAddress the leftmost entry: rotating it must
    // not give a client fresh rate-limit budgets when TRUST_PROXY=0.
    let warnings = 0;
    onForgeablePeer(() => warnings++);
    const sources = new Set(
      [1, 2, 3, 4].map((i) => resolveClientAddress(`198.51.100.${i}`, `198.51.100.${i}, 10.9.9.9`, 0)),
    );
    expect([...sources]).toEqual(["unknown"]);
    expect(warnings).toBe(1);
    // A real peer that the header does not name stays the source.
    expect(resolveClientAddress("10.0.0.2", "198.51.100.1", 0)).toBe("10.0.0.2");
    // The edge server's peer is the socket's own address: a client naming itself in the header
    // must not move into the shared "unknown" bucket and a fresh budget (red team, 2026-12-02).
    expect(resolveClientAddress("198.51.100.7", "198.51.100.7", 0, true)).toBe("198.51.100.7");
    expect(resolveClientAddress("198.51.100.7", "6.6.6.6", 0, true)).toBe("198.51.100.7");
    expect(warnings).toBe(1);
  });

  it("groups IPv6 by /64 and maps IPv4-mapped IPv6 to IPv4, also behind the proxy", () => {
    expect(resolveClientAddress("10.0.0.2", "2001:db8:1:2::a", 1)).toBe(
      resolveClientAddress("10.0.0.2", "2001:db8:1:2:ffff:ffff:ffff:1", 1),
    );
    expect(resolveClientAddress("10.0.0.2", "2001:db8:1:3::a", 1)).not.toBe(
      resolveClientAddress("10.0.0.2", "2001:db8:1:2::a", 1),
    );
    expect(resolveClientAddress("::ffff:198.51.100.7", null, 0)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.0.0.2", "nonsense", 1)).toBe("unknown");
  });
});

describe.each(dbKinds())("login hardening on %s", (kind) => {
  let rig: TestRig;
  const c = clock();
  let dir: string;

  /** A login as the Astro bridge hands it over: `peer` is Astro's clientAddress. */
  const attempt = (
    username: string,
    password: string,
    o: { peer?: string; xff?: string; totp?: string } = {},
  ) =>
    rig.app.request(
      "/api/v1/staff/session",
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: ORIGIN,
          ...(o.xff ? { "x-forwarded-for": o.xff } : {}),
        },
        body: JSON.stringify({ username, password, ...(o.totp ? { totp: o.totp } : {}) }),
      },
      o.peer ? { clientAddress: o.peer } : undefined,
    );

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-logins-"));
    rig = await createRig(kind, {
      now: c.now,
      env: {
        RATE_LIMITS: "on",
        TRUST_PROXY: "1",
        LOGIN_BACKOFF_MAX_SECONDS: "8",
        RATE_LIMIT_BUCKETS: "identity-unseal=3/900",
        VAULT_FILE: path.join(dir, "vault.json"),
        VAULT_PUBLIC_KEY_FILE: path.join(dir, "vault.pub"),
      },
    });
    writeVaultFiles(rig.config.vaultFile, rig.config.vaultPublicKeyFile, rig.vault);
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("throttles a source behind TRUST_PROXY=1 on the proxy-appended address, whatever the leftmost says", async () => {
    let refused = 0;
    let checked = 0;
    for (let i = 0; i < 30; i++) {
      // Astro (with ALLOWED_HOSTS) would report the forged leftmost entry as the client.
      const forged = `10.${i}.${i}.${i}`;
      const res = await attempt(`nobody.${i}`, "a-wrong-password-1", {
        peer: forged,
        xff: `${forged}, 198.51.100.50`,
      });
      if (res.status === 429) refused++;
      else if (res.status === 401) checked++;
    }
    expect(checked).toBe(20); // staff-login: 20 attempts per 15 minutes per source
    expect(refused).toBe(10);
    // Another client behind the same proxy is not affected.
    expect(
      (
        await attempt("nobody.else", "a-wrong-password-1", {
          peer: "10.0.0.9",
          xff: "10.0.0.9, 198.51.100.51",
        })
      ).status,
    ).toBe(401);
  });

  it("counts one IPv6 /64 as one source", async () => {
    for (let i = 0; i < 20; i++) {
      const addr = `2001:db8:77:1:${(i + 1).toString(16)}::1`;
      expect((await attempt(`v6.user${i}`, "a-wrong-password-1", { xff: addr })).status).toBe(401);
    }
    expect((await attempt("v6.next", "a-wrong-password-1", { xff: "2001:db8:77:1:ffff::9" })).status).toBe(
      429,
    );
    expect((await attempt("v6.next", "a-wrong-password-1", { xff: "2001:db8:77:2::9" })).status).toBe(401);
  });

  it("checks passwords in the worker pool, never on the main thread", async () => {
    await createStaff(rig, {
      username: "pool.user",
      office: "430112",
      roles: ["intake"],
      password: "pool-password-1",
    });
    const main = await countMainThreadArgon2();
    try {
      const before = rig.deps.kdf.stats().completed;
      expect((await attempt("pool.user", "pool-password-1", { xff: "192.0.2.10" })).status).toBe(200);
      expect((await attempt("pool.user", "not-the-password", { xff: "192.0.2.10" })).status).toBe(401);
      expect((await attempt("no.such.user", "not-the-password", { xff: "192.0.2.10" })).status).toBe(401);
      // The dummy hash of the unknown user may be made in the pool too (once per process).
      expect(rig.deps.kdf.stats().completed - before).toBeGreaterThanOrEqual(3);
      expect(main.calls()).toBe(0);
    } finally {
      main.restore();
    }
  });

  it("backs a username off instead of locking it: refused without a check inside the wait, the right password after it", async () => {
    await createStaff(rig, {
      username: "backoff.user",
      office: "430112",
      roles: ["intake"],
      password: "backoff-password-1",
    });
    // Each attempt from its own source, so only the per-username guard is in play.
    let n = 0;
    const src = () => `203.0.113.${++n}`;
    for (let i = 0; i < 5; i++)
      expect((await attempt("backoff.user", `wrong-${i}-password`, { xff: src() })).status).toBe(401);
    const checks = rig.deps.kdf.stats().completed;
    const blocked = await attempt("backoff.user", "backoff-password-1", { xff: src() });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("1");
    expect(blocked.headers.get("set-cookie")).toBeNull();
    expect(rig.deps.kdf.stats().completed).toBe(checks); // refused without a password check
    c.advance(1);
    const ok = await attempt("backoff.user", "backoff-password-1", { xff: src() });
    expect(ok.status).toBe(200);
    // A success resets the count: four more failures are free again.
    for (let i = 0; i < 4; i++)
      expect((await attempt("backoff.user", `again-${i}-password`, { xff: src() })).status).toBe(401);
    expect((await attempt("backoff.user", "backoff-password-1", { xff: src() })).status).toBe(200);
  });

  it("doubles the wait up to the cap, the same for a known and an unknown username, and never locks out", async () => {
    await createStaff(rig, {
      username: "known.user",
      office: "430112",
      roles: ["intake"],
      password: "known-password-1",
    });
    let n = 0;
    const src = () => `198.18.${Math.floor(n / 200)}.${++n % 200}`;
    const run = async (username: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 5; i++)
        seen.push(String((await attempt(username, "wrong-pw-xx", { xff: src() })).status));
      for (let round = 0; round < 5; round++) {
        const r = await attempt(username, "wrong-pw-xx", { xff: src() });
        const wait = Number(r.headers.get("retry-after"));
        seen.push(`${r.status}/${wait}`);
        c.advance(wait);
        seen.push(String((await attempt(username, "wrong-pw-xx", { xff: src() })).status));
      }
      return seen;
    };
    const known = await run("known.user");
    expect(known).toEqual([
      "401",
      "401",
      "401",
      "401",
      "401",
      "429/1",
      "401",
      "429/2",
      "401",
      "429/4",
      "401",
      "429/8",
      "401",
      "429/8",
      "401",
    ]);
    // After all that, the real person waits at most the cap and is in.
    const r = await attempt("known.user", "known-password-1", { xff: src() });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(8);
    c.advance(8);
    expect((await attempt("known.user", "known-password-1", { xff: src() })).status).toBe(200);
    // An unknown username gets exactly the same answers.
    expect(await run("unknown.user")).toEqual(known);
    // The table holds keyed hashes only, never a username.
    const rows = await rig.deps.db.select().from(loginBackoff);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Buffer.from(row.key).length).toBe(32);
      expect(Buffer.from(row.key).toString("latin1")).not.toMatch(/user/);
    }
  });

  it("refuses more work than the pool's queue holds with 503 and Retry-After", async () => {
    const pool = createKdfPool({ maxThreads: 1, maxQueue: 1 });
    try {
      const hash = hashPassword("some-password-123", cheapestLimits());
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => pool.verifyPassword(hash, "some-password-123")),
      );
      const refused = results.filter((r) => r.status === "rejected");
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) {
        const e = (r as PromiseRejectedResult).reason as { status: number; headers: Record<string, string> };
        expect(e.status).toBe(503);
        expect(Number(e.headers["Retry-After"])).toBeGreaterThan(0);
      }
      for (const r of results) if (r.status === "fulfilled") expect(r.value).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it.runIf(process.platform === "linux")(
    "runs Argon2id at a lower priority than the event loop (nice 10 by default)",
    async () => {
      const pool = createKdfPool({ maxThreads: 1 });
      try {
        const hash = hashPassword("some-password-123", cheapestLimits());
        expect(await pool.verifyPassword(hash, "some-password-123")).toBe(true);
        const threads = fs.readdirSync(`/proc/${process.pid}/task`).map(Number);
        expect(threads.map((t) => os.getPriority(t))).toContain(10);
        expect(os.getPriority(process.pid)).toBe(0); // the main thread is untouched
      } finally {
        await pool.close();
      }
    },
  );

  describe("custodian unseal", () => {
    let caseId: string;
    let cookie: string;
    const unseal = (passphrase: string, xff = "192.0.2.77") =>
      rig.app.request(`/api/v1/staff/cases/${caseId}/identity`, {
        method: "POST",
        headers: staffHeaders(cookie, { "x-forwarded-for": xff }),
        body: JSON.stringify({ passphrase, reason: REASON }),
      });

    beforeAll(async () => {
      const res = await rig.app.request("/api/v1/reports", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.200" },
        body: JSON.stringify(realNameReport()),
      });
      expect(res.status).toBe(201);
      const [row] = await rig.deps.db.select({ id: cases.id }).from(cases).limit(1);
      caseId = row.id;
      cookie = (await createStaff(rig, { username: CUSTODIAN.name, office: "430000", roles: ["custodian"] }))
        .cookie;
    });

    it("unwraps the vault in the worker pool", async () => {
      const main = await countMainThreadArgon2();
      try {
        const before = rig.deps.kdf.stats().completed;
        const res = await unseal(CUSTODIAN.passphrase);
        expect(res.status).toBe(200);
        expect(rig.deps.kdf.stats().completed).toBe(before + 1);
        expect(main.calls()).toBe(0);
      } finally {
        main.restore();
      }
    });

    it("throttles passphrase guesses per custodian, counted before the passphrase is tried", async () => {
      // The bucket allows 3 per 15 minutes; the successful unseal above used one.
      for (let i = 0; i < 2; i++) expect((await unseal(`wrong passphrase ${i}`)).status).toBe(403);
      const checks = rig.deps.kdf.stats().completed;
      // From another source too: the limit is the custodian's, not only the address's.
      const res = await unseal(CUSTODIAN.passphrase, "192.0.2.78");
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(rig.deps.kdf.stats().completed).toBe(checks);
      const opened = await rig.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.caseId, caseId), eq(auditLog.action, "identity.unseal")));
      expect(opened).toHaveLength(1); // only the first one
    });
  });

  describe("TOTP changes need the current password", () => {
    let who: Awaited<ReturnType<typeof createStaff>>;
    const post = (p: string, body: Record<string, unknown>, xff = "192.0.2.90") =>
      rig.app.request(`/api/v1/staff/account/totp${p}`, {
        method: "POST",
        headers: staffHeaders(who.cookie, { "x-forwarded-for": xff }),
        body: JSON.stringify(body),
      });
    const row = async () =>
      (await rig.deps.db.select().from(staff).where(eq(staff.username, "totp.owner")))[0];
    const audits = async (action: string) =>
      rig.deps.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.actor, "staff:totp.owner")));

    beforeAll(async () => {
      who = await createStaff(rig, {
        username: "totp.owner",
        office: "430100",
        roles: ["supervisor"],
        password: "owner-password-1",
      });
    });

    it("a session cookie alone cannot start an enrolment: 422 and nothing stored", async () => {
      const none = await post("", {});
      expect(none.status).toBe(422);
      expect(((await none.json()) as { errors: { path: string }[] }).errors[0].path).toBe("password");
      const wrong = await post("", { password: "not-the-owner-password" });
      expect(wrong.status).toBe(422);
      const body = (await wrong.json()) as { errors: { path: string; code: string }[]; secret?: string };
      expect(body.errors[0]).toMatchObject({ path: "password", code: "password.wrong" });
      expect(body.secret).toBeUndefined();
      const r = await row();
      expect(r.totpSecretEnc).toBeNull();
      expect(r.totpEnabled).toBe(false);
    });

    it("with the password: enrols, and leaves a totp.enrol audit row without the secret", async () => {
      const begin = await post("", { password: "owner-password-1" });
      expect(begin.status).toBe(200);
      const { secret } = (await begin.json()) as { secret: string };
      const code = totpAt(secret, c.now());
      const noPw = await post("/confirm", { code });
      expect(noPw.status).toBe(422);
      expect((await row()).totpEnabled).toBe(false);
      const ok = await post("/confirm", { code, password: "owner-password-1" });
      expect(ok.status).toBe(200);
      expect((await row()).totpEnabled).toBe(true);
      const rows = await audits("totp.enrol");
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0])).not.toContain(secret);
      expect(JSON.stringify(rows[0])).not.toContain("owner-password-1");

      // Reset: password AND a current code.
      c.advance(60);
      const noPwReset = await post("/reset", { code: totpAt(secret, c.now()) });
      expect(noPwReset.status).toBe(422);
      expect((await row()).totpEnabled).toBe(true);
      const reset = await post("/reset", { code: totpAt(secret, c.now()), password: "owner-password-1" });
      expect(reset.status).toBe(200);
      const after = await row();
      expect(after.totpEnabled).toBe(false);
      expect(after.totpSecretEnc).toBeNull();
      expect(await audits("totp.reset")).toHaveLength(1);
    });

    it("password checks on the account page count towards the same back-off as the login", async () => {
      for (let i = 0; i < 5; i++)
        expect((await post("", { password: `guess-${i}-password` })).status).toBe(422);
      const blocked = await post("", { password: "owner-password-1" });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      c.advance(Number(blocked.headers.get("retry-after")));
      expect((await post("", { password: "owner-password-1" })).status).toBe(200);
    });
  });

  it("stores no address, username or password in the back-off and audit tables", async () => {
    const dump = JSON.stringify([
      await rig.deps.db.select().from(loginBackoff),
      await rig.deps.db.select().from(auditLog),
    ]);
    expect(dump).not.toContain("198.51.100.50");
    expect(dump).not.toContain("owner-password-1");
  });
});
