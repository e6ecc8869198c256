import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../api/config";
import type { CaptchaService } from "../../api/context";
import { captchaRoute, reportRoute } from "../../api/routes/public";
import { type CaptchaOptions, createCaptcha, type HcaptchaVerifier } from "../../api/services/captcha/create";
import { createRateLimiter } from "../../api/services/ratelimit/create";
import { openDb } from "../../db/client";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";

/** A proof of work small enough to solve in the test in a few milliseconds. */
const FAST: CaptchaOptions = { altcha: { cost: 10, counterMin: 10, counterMax: 40 } };
const IP = { clientAddress: "203.0.113.7" };

async function solved(svc: CaptchaService): Promise<string> {
  const challenge = (await svc.challenge()) as unknown as Parameters<typeof solveChallenge>[0]["challenge"];
  const solution = await solveChallenge({ challenge, deriveKey });
  return Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
}

async function submit(rig: TestRig, captcha: string | undefined, env = IP) {
  const res = await rig.app.request(
    "/api/v1/reports",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(anonymousReport({ captcha })),
    },
    env,
  );
  if (res.status === 201)
    return { status: 201, receipt: await expectResponse(res, reportRoute, 201), codes: [] };
  const problem = await expectProblem(res, reportRoute, res.status);
  return { status: res.status, problem, codes: (problem.errors ?? []).map((e) => `${e.path}:${e.code}`) };
}

describe.each(dbKinds())("captcha on %s", (kind) => {
  // One rig per database kind (a fresh PGlite is slow to make); each block installs the
  // captcha service and limiter it needs on it.
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind, { env: { CAPTCHA: "altcha" } });
  });
  afterAll(async () => rig?.destroy());
  const limiterOff = () => createRateLimiter({ ...rig.config, rateLimits: false }, rig.deps.db);

  describe("ALTCHA (default)", () => {
    let svc: CaptchaService;
    beforeAll(() => {
      svc = createCaptcha(rig.config, rig.deps.db, rig.deps.keys, FAST);
      rig.deps.captcha = svc;
      rig.deps.rateLimiter = limiterOff();
    });

    it("serves a signed, expiring challenge, never cached", async () => {
      const res = await rig.app.request("/api/v1/captcha");
      expect(res.headers.get("cache-control")).toBe("no-store");
      const ch = await expectResponse(res, captchaRoute, 200);
      if (!("signature" in ch)) expect.fail("not an ALTCHA challenge");
      expect(ch.parameters.algorithm).toBe("PBKDF2/SHA-256");
      expect(ch.signature).toMatch(/^[0-9a-f]{64}$/);
      const ttl = ch.parameters.expiresAt - Date.now() / 1000;
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
    });

    it("accepts a solution once; the same solution again is refused and stores nothing", async () => {
      const payload = await solved(svc);
      expect((await submit(rig, payload)).status).toBe(201);
      const before = await rowCounts(rig.deps.db);
      const again = await submit(rig, payload);
      expect(again.status).toBe(422);
      expect(again.codes).toEqual(["captcha:captcha.failed"]);
      expect(await rowCounts(rig.deps.db)).toEqual(before);
    });

    it("refuses a missing, malformed, tampered or foreign solution", async () => {
      const payload = await solved(svc);
      const decoded = JSON.parse(Buffer.from(payload, "base64").toString());
      decoded.challenge.parameters.expiresAt += 3600;
      const tampered = Buffer.from(JSON.stringify(decoded)).toString("base64");
      const foreignSvc = createCaptcha(
        rig.config,
        rig.deps.db,
        { captcha: new Uint8Array(32).fill(7) },
        FAST,
      );
      for (const bad of [
        undefined,
        "",
        "not base64 at all",
        Buffer.from("{}").toString("base64"),
        tampered,
        await solved(foreignSvc),
      ]) {
        expect((await submit(rig, bad)).codes).toEqual(["captcha:captcha.failed"]);
      }
      // The untampered one still works: refusals did not burn it.
      expect((await submit(rig, payload)).status).toBe(201);
    });

    it("refuses an expired challenge", async () => {
      const past = createCaptcha(rig.config, rig.deps.db, rig.deps.keys, {
        ...FAST,
        now: () => new Date(Date.now() - 11 * 60_000),
      });
      const payload = await solved(past);
      expect((await submit(rig, payload)).codes).toEqual(["captcha:captcha.failed"]);
    });

    it("a solution used by one app process is refused by another on the same database", async () => {
      const payload = await solved(svc);
      const twin = createCaptcha(rig.config, rig.deps.db, rig.deps.keys, FAST);
      expect(await twin.verify(payload)).toBe(true);
      expect(await svc.verify(payload)).toBe(false);
      expect(await twin.verify(payload)).toBe(false);
    });

    it.runIf(kind === "postgres")(
      "…also through a second connection pool, as a second process has",
      async () => {
        const other = await openDb({ url: rig.db.url!, max: 2 });
        try {
          const processB = createCaptcha(rig.config, other.db, rig.deps.keys, FAST);
          const payload = await solved(svc); // issued by process A
          const [a, b] = await Promise.all([svc.verify(payload), processB.verify(payload)]);
          expect([a, b].sort()).toEqual([false, true]); // racing: exactly one wins
          expect(await processB.verify(payload)).toBe(false);
        } finally {
          await other.close();
        }
      },
    );

    it("accepts the no-JavaScript token once, from 3 s after it was issued", async () => {
      const earlier = createCaptcha(rig.config, rig.deps.db, rig.deps.keys, {
        now: () => new Date(Date.now() - 60_000),
      });
      const token = await earlier.noJsToken!();
      expect((await submit(rig, token)).status).toBe(201);
      expect((await submit(rig, token)).codes).toEqual(["captcha:captcha.failed"]);
      const fresh = await svc.noJsToken!();
      expect((await submit(rig, fresh)).codes).toEqual(["captcha:captcha.failed"]);
      const old = await createCaptcha(rig.config, rig.deps.db, rig.deps.keys, {
        now: () => new Date(Date.now() - 3 * 3600_000),
      }).noJsToken!();
      expect((await submit(rig, old)).codes).toEqual(["captcha:captcha.failed"]);
    });
  });

  describe("no-JS submissions go through the stricter bucket", () => {
    beforeAll(() => {
      rig.deps.captcha = createCaptcha(rig.config, rig.deps.db, rig.deps.keys);
      rig.deps.rateLimiter = createRateLimiter(
        { ...rig.config, rateLimits: true, rateLimitBuckets: "reports=10/3600,reports-nojs=2/3600" },
        rig.deps.db,
        { dbKind: kind, serverKey: rig.deps.keys.rateLimit },
      );
    });

    it("the third no-JS report in an hour from one source is 429, another source still passes", async () => {
      // Tokens rendered into the form a minute ago.
      const svc = createCaptcha(rig.config, rig.deps.db, rig.deps.keys, {
        now: () => new Date(Date.now() - 60_000),
      });
      expect((await submit(rig, await svc.noJsToken!())).status).toBe(201);
      expect((await submit(rig, await svc.noJsToken!())).status).toBe(201);
      const third = await rig.app.request(
        "/api/v1/reports",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(anonymousReport({ captcha: await svc.noJsToken!() })),
        },
        IP,
      );
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(third.headers.get("content-type")).toContain("application/problem+json");
      // Another source is not affected.
      expect((await submit(rig, await svc.noJsToken!(), { clientAddress: "198.51.100.9" })).status).toBe(201);
    });
  });

  describe("hCaptcha", () => {
    const calls: unknown[][] = [];
    const fake: HcaptchaVerifier = async (...args) => {
      calls.push(args);
      if (args[1] === "throws") throw new Error("network down");
      return { success: args[1].startsWith("good") };
    };
    beforeAll(() => {
      const config = parseConfig({ HCAPTCHA_SITEKEY: "site-key-1", HCAPTCHA_SECRET: "secret-1" });
      expect(config.captcha.provider).toBe("hcaptcha"); // both set and CAPTCHA unset: hCaptcha
      rig.deps.captcha = createCaptcha(config, rig.deps.db, rig.deps.keys, { hcaptchaVerify: fake });
      rig.deps.rateLimiter = limiterOff();
    });

    it("tells the page which sitekey to show", async () => {
      const res = await rig.app.request("/api/v1/captcha");
      expect(await expectResponse(res, captchaRoute, 200)).toEqual({
        provider: "hcaptcha",
        sitekey: "site-key-1",
      });
    });

    it("accepts a token hCaptcha confirms, once; refuses one it does not", async () => {
      expect((await submit(rig, "good-token-1")).status).toBe(201);
      expect(calls.at(-1)).toEqual(["secret-1", "good-token-1", "site-key-1"]); // no client address sent
      const n = calls.length;
      expect((await submit(rig, "good-token-1")).codes).toEqual(["captcha:captcha.failed"]);
      expect(calls.length).toBe(n); // a replay is refused without asking hCaptcha
      expect((await submit(rig, "bad-token")).codes).toEqual(["captcha:captcha.failed"]);
      expect((await submit(rig, "throws")).codes).toEqual(["captcha:captcha.failed"]);
    });
  });

  describe("CAPTCHA=off (test rigs)", () => {
    beforeAll(() => {
      rig.deps.captcha = createCaptcha(parseConfig({ CAPTCHA: "off" }), rig.deps.db, rig.deps.keys);
    });

    it("says so and lets everything through", async () => {
      const res = await rig.app.request("/api/v1/captcha");
      expect(await expectResponse(res, captchaRoute, 200)).toEqual({ provider: "off" });
      expect((await submit(rig, undefined)).status).toBe(201);
    });
  });
});
