import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateLimiter } from "../../api/context";
import { totpAt } from "../../api/crypto/totp";
import { loginRoute, sessionRoute, totpBeginRoute } from "../../api/routes/staff-session";
import { auditLog, staff, staffSessions } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { createStaff, staffHeaders } from "../helpers/staff";

const ORIGIN = "http://localhost";

/**
 * Counts hits per (bucket, key) like the real limiter (a weight-0 hit asks "would one more
 * pass?"), for the one username the throttling test attacks; the other tests fail on purpose
 * more than 5 times and are not about throttling.
 */
function memoryLimiter(limit: number, only: string): RateLimiter & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    async hit(bucket, source, weight = 1) {
      if (source !== only) return { ok: true };
      const k = `${bucket}|${source}`;
      const before = counts.get(k) ?? 0;
      if (before + Math.max(weight, 1) > limit) return { ok: false, retryAfter: 900 };
      counts.set(k, before + weight);
      return { ok: true };
    },
  };
}

function login(rig: TestRig, body: unknown, headers: Record<string, string> = {}) {
  return rig.app.request("/api/v1/staff/session", {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
}

function cookieOf(res: Response): string {
  const set = res.headers.get("set-cookie") ?? "";
  return set.split(";")[0];
}

function whoami(rig: TestRig, cookie: string) {
  return rig.app.request("/api/v1/staff/session", { headers: { cookie } });
}

describe.each(dbKinds())("staff login and sessions on %s", (kind) => {
  let rig: TestRig;
  let fakeNow = new Date("2025-06-02T02:00:00Z");
  const limiter = memoryLimiter(5, "target.user");

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => fakeNow, rateLimiter: limiter });
    await createStaff(rig, {
      username: "wangcheng.intake",
      office: "430112",
      roles: ["intake", "handler"],
      password: "right-password-1",
    });
    await createStaff(rig, {
      username: "gone.person",
      office: "430112",
      roles: ["intake"],
      password: "right-password-2",
    });
    await rig.deps.db.update(staff).set({ disabledAt: fakeNow }).where(eq(staff.username, "gone.person"));
  });
  afterAll(async () => rig?.destroy());

  it("logs in with the right password and answers who is signed in", async () => {
    const res = await login(rig, { username: "wangcheng.intake", password: "right-password-1" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await expectResponse(res, loginRoute, 200);
    expect(body).toEqual({
      staff: {
        username: "wangcheng.intake",
        office: { code: "430112", name: "望城区纪委监委" },
        roles: ["intake", "handler"],
      },
    });
    const me = await whoami(rig, cookieOf(res));
    expect(me.headers.get("cache-control")).toBe("no-store");
    expect(await expectResponse(me, sessionRoute, 200)).toEqual(body);
    const audit = await rig.deps.db.select().from(auditLog).where(eq(auditLog.action, "staff.login"));
    expect(audit.map((a) => a.actor)).toContain("staff:wangcheng.intake");
  });

  it("sets the cookie HttpOnly, SameSite=Strict, Path=/, and Secure only over https", async () => {
    const plain = await login(rig, { username: "wangcheng.intake", password: "right-password-1" });
    const set = plain.headers.get("set-cookie")!;
    expect(set).toMatch(/^qf_staff=[A-Za-z0-9_-]{43};/);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).toContain("Path=/");
    expect(set).not.toContain("Secure");
    expect(set).not.toMatch(/Max-Age|Expires/i);

    const https = await rig.app.request("https://localhost/api/v1/staff/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://localhost" },
      body: JSON.stringify({ username: "wangcheng.intake", password: "right-password-1" }),
    });
    expect(https.status).toBe(200);
    expect(https.headers.get("set-cookie")).toContain("; Secure");

    const proxied = await login(
      rig,
      { username: "wangcheng.intake", password: "right-password-1" },
      { "x-forwarded-proto": "https", origin: "https://localhost" },
    );
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get("set-cookie")).toContain("; Secure");
  });

  it("answers wrong password, unknown user and disabled account with byte-identical 401s", async () => {
    const strip = async (res: Response) => {
      expect(res.headers.get("set-cookie")).toBeNull();
      const raw = await res.clone().text();
      await expectProblem(res, loginRoute, 401);
      return raw.replace(/,?"requestId":"[^"]*"/, "");
    };
    const wrong = await strip(
      await login(rig, { username: "wangcheng.intake", password: "not-the-password" }),
    );
    const unknown = await strip(await login(rig, { username: "nobody.here", password: "right-password-1" }));
    const disabled = await strip(await login(rig, { username: "gone.person", password: "right-password-2" }));
    expect(unknown).toBe(wrong);
    expect(disabled).toBe(wrong);
    expect(JSON.parse(wrong).type).toMatch(/unauthorized$/);
  });

  it("logs out: the session row is gone and the cookie no longer works", async () => {
    const res = await login(rig, { username: "wangcheng.intake", password: "right-password-1" });
    const cookie = cookieOf(res);
    const before = await rig.deps.db.select({ n: sql<number>`count(*)::int` }).from(staffSessions);
    const out = await rig.app.request("/api/v1/staff/session", {
      method: "DELETE",
      headers: { cookie, origin: ORIGIN },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^qf_staff=; Path=\/; Max-Age=0/);
    const after = await rig.deps.db.select({ n: sql<number>`count(*)::int` }).from(staffSessions);
    expect(after[0].n).toBe(before[0].n - 1);
    expect((await whoami(rig, cookie)).status).toBe(401);
  });

  it("refuses a forged or malformed cookie with 401", async () => {
    const forged = `qf_staff=${Buffer.alloc(32, 7).toString("base64url")}`;
    expect((await whoami(rig, forged)).status).toBe(401);
    expect((await whoami(rig, "qf_staff=../../etc")).status).toBe(401);
    expect((await rig.app.request("/api/v1/staff/session")).status).toBe(401);
  });

  it("ends a session idle for longer than 30 minutes, and keeps one in use alive", async () => {
    const t0 = fakeNow;
    const active = cookieOf(await login(rig, { username: "wangcheng.intake", password: "right-password-1" }));
    const idle = cookieOf(await login(rig, { username: "wangcheng.intake", password: "right-password-1" }));
    fakeNow = new Date(t0.getTime() + 20 * 60_000);
    expect((await whoami(rig, active)).status).toBe(200);
    fakeNow = new Date(t0.getTime() + 45 * 60_000);
    expect((await whoami(rig, active)).status).toBe(200);
    const before = await rig.deps.db.select({ n: sql<number>`count(*)::int` }).from(staffSessions);
    expect((await whoami(rig, idle)).status).toBe(401);
    const after = await rig.deps.db.select({ n: sql<number>`count(*)::int` }).from(staffSessions);
    expect(after[0].n).toBe(before[0].n - 1);
    fakeNow = new Date(t0.getTime() + 80 * 60_000);
    expect((await whoami(rig, active)).status).toBe(401);
  });

  it("ends the sessions of an account that is disabled", async () => {
    const s = await createStaff(rig, { username: "soon.gone", office: "430112", roles: ["intake"] });
    expect((await whoami(rig, s.cookie)).status).toBe(200);
    await rig.deps.db.update(staff).set({ disabledAt: fakeNow }).where(eq(staff.id, s.actor.id));
    expect((await whoami(rig, s.cookie)).status).toBe(401);
  });

  it("stores no raw session token anywhere in staff_sessions", async () => {
    const res = await login(rig, { username: "wangcheng.intake", password: "right-password-1" });
    const token = cookieOf(res).split("=")[1];
    const raw = Buffer.from(token, "base64url");
    const rows = (await rig.deps.db.execute(sql`select * from staff_sessions`)) as unknown;
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Record<
      string,
      unknown
    >[];
    expect(list.length).toBeGreaterThan(0);
    for (const row of list) {
      for (const v of Object.values(row)) {
        const forms =
          v instanceof Uint8Array
            ? [
                Buffer.from(v).toString("hex"),
                Buffer.from(v).toString("base64url"),
                Buffer.from(v).toString("latin1"),
              ]
            : [String(v instanceof Date ? v.toISOString() : v)];
        for (const f of forms) {
          expect(f).not.toContain(token);
          expect(f).not.toContain(raw.toString("hex"));
          expect(f.toLowerCase()).not.toContain(raw.toString("hex").slice(0, 16));
        }
      }
    }
  });

  describe("CSRF", () => {
    it("refuses a state-changing request without Origin, or from another origin, with 403", async () => {
      const body = JSON.stringify({ username: "wangcheng.intake", password: "right-password-1" });
      const none = await rig.app.request("/api/v1/staff/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(none.status).toBe(403);
      expect(none.headers.get("content-type")).toContain("application/problem+json");
      expect(none.headers.get("set-cookie")).toBeNull();
      const foreign = await login(rig, JSON.parse(body), { origin: "https://evil.example" });
      expect(foreign.status).toBe(403);
      const nullOrigin = await login(rig, JSON.parse(body), { origin: "null" });
      expect(nullOrigin.status).toBe(403);
      const crossSite = await rig.app.request("/api/v1/staff/session", {
        method: "POST",
        headers: { "content-type": "application/json", "sec-fetch-site": "cross-site" },
        body,
      });
      expect(crossSite.status).toBe(403);
      const s = await createStaff(rig, { username: "csrf.victim", office: "430112", roles: ["intake"] });
      const logout = await rig.app.request("/api/v1/staff/session", {
        method: "DELETE",
        headers: { cookie: s.cookie, origin: "https://evil.example" },
      });
      expect(logout.status).toBe(403);
      expect((await whoami(rig, s.cookie)).status).toBe(200);
    });

    it("accepts Sec-Fetch-Site: same-origin when a browser sends no Origin", async () => {
      const res = await rig.app.request("/api/v1/staff/session", {
        method: "POST",
        headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
        body: JSON.stringify({ username: "wangcheng.intake", password: "right-password-1" }),
      });
      expect(res.status).toBe(200);
    });
  });

  describe("TOTP", () => {
    let cookie: string;
    let secret: string;

    it("enrols from the account: shows a secret and an otpauth URI, turns on with a current code", async () => {
      const s = await createStaff(rig, {
        username: "totp.user",
        office: "430100",
        roles: ["supervisor"],
        password: "totp-password-1",
      });
      cookie = s.cookie;
      const begin = await rig.app.request("/api/v1/staff/account/totp", {
        method: "POST",
        headers: staffHeaders(cookie),
        body: JSON.stringify({ password: "totp-password-1" }),
      });
      const b = await expectResponse(begin, totpBeginRoute, 200);
      expect(b.enabled).toBe(false);
      expect(b.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(b.uri).toBe(
        `otpauth://totp/%E6%B8%85%E9%A3%8E:totp.user?secret=${b.secret}&issuer=%E6%B8%85%E9%A3%8E&algorithm=SHA1&digits=6&period=30`,
      );
      secret = b.secret ?? expect.fail("no secret");
      // A reload shows the same pending secret.
      const again = await expectResponse(
        await rig.app.request("/api/v1/staff/account/totp", {
          method: "POST",
          headers: staffHeaders(cookie),
          body: JSON.stringify({ password: "totp-password-1" }),
        }),
        totpBeginRoute,
        200,
      );
      expect(again.secret).toBe(secret);
      const [stored] = await rig.deps.db.select().from(staff).where(eq(staff.username, "totp.user"));
      expect(Buffer.from(stored.totpSecretEnc!).toString("latin1")).not.toContain(secret);

      const wrong = await rig.app.request("/api/v1/staff/account/totp/confirm", {
        method: "POST",
        headers: staffHeaders(cookie),
        body: JSON.stringify({
          code: "000000" === totpAt(secret, fakeNow) ? "111111" : "000000",
          password: "totp-password-1",
        }),
      });
      expect(wrong.status).toBe(422);
      const ok = await rig.app.request("/api/v1/staff/account/totp/confirm", {
        method: "POST",
        headers: staffHeaders(cookie),
        body: JSON.stringify({ code: totpAt(secret, fakeNow), password: "totp-password-1" }),
      });
      expect(ok.status).toBe(200);
    });

    it("then requires the code at login; a missing or wrong code is the same 401", async () => {
      fakeNow = new Date(fakeNow.getTime() + 60_000);
      const noCode = await login(rig, { username: "totp.user", password: "totp-password-1" });
      const wrongCode = await login(rig, {
        username: "totp.user",
        password: "totp-password-1",
        totp: "123456" === totpAt(secret, fakeNow) ? "654321" : "123456",
      });
      const wrongPw = await login(rig, {
        username: "totp.user",
        password: "wrong-password-x",
        totp: totpAt(secret, fakeNow),
      });
      const bodies = await Promise.all(
        [noCode, wrongCode, wrongPw].map(async (r) => {
          const raw = await r.clone().text();
          await expectProblem(r, loginRoute, 401);
          return raw.replace(/,?"requestId":"[^"]*"/, "");
        }),
      );
      expect(new Set(bodies).size).toBe(1);
      const ok = await login(rig, {
        username: "totp.user",
        password: "totp-password-1",
        totp: totpAt(secret, fakeNow),
      });
      expect(ok.status).toBe(200);
    });

    it("refuses a code whose time step was already used, and accepts the next step", async () => {
      const code = totpAt(secret, fakeNow);
      const replay = await login(rig, { username: "totp.user", password: "totp-password-1", totp: code });
      expect(replay.status).toBe(401);
      // The previous step is inside the ±1 window but older than the used one: refused too.
      const previous = totpAt(secret, new Date(fakeNow.getTime() - 30_000));
      expect(
        (await login(rig, { username: "totp.user", password: "totp-password-1", totp: previous })).status,
      ).toBe(401);
      fakeNow = new Date(fakeNow.getTime() + 30_000);
      const next = await login(rig, {
        username: "totp.user",
        password: "totp-password-1",
        totp: totpAt(secret, fakeNow),
      });
      expect(next.status).toBe(200);
    });

    it("accepts a code one step old (clock drift) but not two", async () => {
      fakeNow = new Date(fakeNow.getTime() + 5 * 60_000);
      const twoOld = totpAt(secret, new Date(fakeNow.getTime() - 60_000));
      if (
        twoOld !== totpAt(secret, fakeNow) &&
        twoOld !== totpAt(secret, new Date(fakeNow.getTime() - 30_000))
      ) {
        expect(
          (await login(rig, { username: "totp.user", password: "totp-password-1", totp: twoOld })).status,
        ).toBe(401);
      }
      const oneOld = totpAt(secret, new Date(fakeNow.getTime() - 30_000));
      expect(
        (await login(rig, { username: "totp.user", password: "totp-password-1", totp: oneOld })).status,
      ).toBe(200);
    });

    it("under STAFF_TOTP=optional, an account without TOTP logs in with the password alone", async () => {
      expect(rig.config.staffTotp).toBe("optional");
      expect((await login(rig, { username: "wangcheng.intake", password: "right-password-1" })).status).toBe(
        200,
      );
    });
  });
});

describe.each(dbKinds())("STAFF_TOTP=required on %s", (kind) => {
  let rig: TestRig;
  let fakeNow = new Date("2025-06-02T02:00:00Z");
  beforeAll(async () => {
    rig = await createRig(kind, { now: () => fakeNow, env: { STAFF_TOTP: "required" } });
  });
  afterAll(async () => rig?.destroy());

  it("refuses an account without TOTP with a clear 403 (after the password), and no session", async () => {
    const s = await createStaff(rig, {
      username: "no.totp",
      office: "430000",
      roles: ["intake"],
      password: "no-totp-password",
    });
    const res = await login(rig, { username: "no.totp", password: "no-totp-password" });
    expect(res.headers.get("set-cookie")).toBeNull();
    const body = await expectProblem(res, loginRoute, 403);
    expect(body.type).toMatch(/totp-enrolment-required$/);
    expect(body.detail).toContain("动态口令");
    // A wrong password still gets the plain 401: the 403 only follows a right password.
    expect((await login(rig, { username: "no.totp", password: "wrong-password!" })).status).toBe(401);
    // A session made before TOTP became mandatory no longer works.
    expect((await whoami(rig, s.cookie)).status).toBe(401);
  });

  it("lets an account with TOTP in with password and code, and not without the code", async () => {
    const { beginTotpEnrolment, confirmTotpEnrolment } = await import("../../api/services/staff/totp");
    await createStaff(rig, {
      username: "has.totp",
      office: "430000",
      roles: ["intake"],
      password: "has-totp-password",
    });
    const ctx = { deps: rig.deps, requestId: "t", actor: { kind: "system" as const, name: "test" } };
    const e = await beginTotpEnrolment({ ctx, input: {} }, { username: "has.totp" });
    await confirmTotpEnrolment(
      { ctx, input: { code: totpAt(e.secret!, fakeNow) } },
      { username: "has.totp" },
    );
    fakeNow = new Date(fakeNow.getTime() + 30_000);
    expect((await login(rig, { username: "has.totp", password: "has-totp-password" })).status).toBe(401);
    const ok = await login(rig, {
      username: "has.totp",
      password: "has-totp-password",
      totp: totpAt(e.secret!, fakeNow),
    });
    expect(ok.status).toBe(200);
    expect((await whoami(rig, cookieOf(ok))).status).toBe(200);
  });
});

describe("APP_ROLE=public", () => {
  it("has no staff routes at all", async () => {
    const rig = await createRig("pglite", { env: { APP_ROLE: "public" } });
    try {
      const res = await login(rig, { username: "x", password: "y" });
      expect(res.status).toBe(404);
      expect((await rig.app.request("/api/v1/staff/session")).status).toBe(404);
    } finally {
      await rig.destroy();
    }
  });
});

describe.each(dbKinds())("login throttling with the real limiter (RATE_LIMITS=on) on %s", (kind) => {
  let rig: TestRig;
  let t = Date.parse("2026-03-02T02:00:00Z");
  const clock = { now: () => new Date(t), advance: (seconds: number) => (t += seconds * 1000) };
  beforeAll(async () => {
    rig = await createRig(kind, { env: { RATE_LIMITS: "on" }, now: clock.now });
  });
  afterAll(async () => rig?.destroy());

  const attempt = (username: string, password: string, clientAddress = "198.51.100.7") =>
    rig.app.request(
      "/api/v1/staff/session",
      {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN },
        body: JSON.stringify({ username, password }),
      },
      { clientAddress },
    );

  it("backs a username off after 5 failures (429, no check), then lets the right password in", async () => {
    await createStaff(rig, {
      username: "locked.out",
      office: "430112",
      roles: ["intake"],
      password: "locked-password-1",
    });
    for (let i = 0; i < 5; i++) expect((await attempt("locked.out", `wrong-${i}-password`)).status).toBe(401);
    const res = await attempt("locked.out", "locked-password-1", "203.0.113.9");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("set-cookie")).toBeNull();
    clock.advance(1);
    expect((await attempt("locked.out", "locked-password-1", "203.0.113.9")).status).toBe(200);
  });

  it("limits attempts per source across usernames (20 per 15 minutes)", async () => {
    for (let u = 0; u < 4; u++) {
      await createStaff(rig, {
        username: `src.user${u}`,
        office: "430112",
        roles: ["intake"],
        password: `src-password-${u}xx`,
      });
      for (let i = 0; i < 5; i++)
        expect((await attempt(`src.user${u}`, `nope-${i}-password`, "192.0.2.1")).status).toBe(401);
    }
    await createStaff(rig, {
      username: "src.fresh",
      office: "430112",
      roles: ["intake"],
      password: "src-fresh-password",
    });
    expect((await attempt("src.fresh", "src-fresh-password", "192.0.2.1")).status).toBe(429);
    expect((await attempt("src.fresh", "src-fresh-password", "192.0.2.2")).status).toBe(200);
  });
});
