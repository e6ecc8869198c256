import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeAddress, resolveClientAddress } from "../../api/http/client-source";
import { parseBuckets } from "../../api/services/ratelimit/buckets";
import { createRateLimiter, shanghaiDay } from "../../api/services/ratelimit/create";
import { PAGE_LIMITS, POLICIES, pageLimits } from "../../api/services/ratelimit/policies";
import { type Db, openDb } from "../../db/client";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { findInDatabase } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";

const IP = "203.0.113.7";
const IP_FORMS = [
  IP,
  "203.0.113.",
  "::ffff:203.0.113.7",
  "CB007107",
  Buffer.from([203, 0, 113, 7]).toString("latin1"),
];

/** A clock the test moves. */
function clock(start = Date.parse("2026-03-02T02:00:00Z")) {
  let t = start;
  return { now: () => new Date(t), advance: (seconds: number) => (t += seconds * 1000) };
}

async function rows<T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

describe("client address", () => {
  it("is normalized so one client is one source", () => {
    expect(normalizeAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress("2001:db8:1:2:aaaa::1")).toBe(
      normalizeAddress("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"),
    );
    expect(normalizeAddress("2001:db8:1:3::1")).not.toBe(normalizeAddress("2001:db8:1:2::1"));
    expect(normalizeAddress("[2001:db8::1]")).toBe("2001:db8:0:0::/64");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(normalizeAddress("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normalizeAddress("not an address")).toBe("unknown");
    expect(normalizeAddress(undefined)).toBe("unknown");
  });

  it("trusts X-Forwarded-For only as far as TRUST_PROXY says", () => {
    const xff = "6.6.6.6, 198.51.100.20";
    expect(resolveClientAddress("10.0.0.2", xff, 0)).toBe("10.0.0.2"); // no proxy: the header is the client's own
    expect(resolveClientAddress("10.0.0.2", xff, 1)).toBe("198.51.100.20"); // the proxy appended the real one
    expect(resolveClientAddress("10.0.0.2", xff, 2)).toBe("6.6.6.6");
    expect(resolveClientAddress("10.0.0.2", null, 1)).toBe("10.0.0.2");
  });

  it("the one policy table maps page form posts to policies, body-less limits first", () => {
    expect(pageLimits("/track/").map((l) => l.policy)).toEqual(["track", "track-miss", "messages"]);
    expect(pageLimits("/en/report").map((l) => l.policy)).toEqual(["reports", "reports-nojs"]);
    expect(pageLimits("/staff/login")).toEqual([{ policy: "staff-login", use: "ask" }]);
    expect(pageLimits("/staff/account")).toEqual([]);
    for (const { paths, limits } of PAGE_LIMITS) {
      // A limit that reads the form must not come before one that does not: a client over a
      // body-less limit is refused without its body being read.
      const firstWithForm = limits.findIndex((l) => l.when);
      if (firstWithForm >= 0)
        expect(
          limits.slice(firstWithForm).every((l) => l.when),
          paths[0],
        ).toBe(true);
      for (const l of limits) expect(POLICIES[l.policy].key, l.policy).toBe("client");
    }
    const nojs = pageLimits("/report").find((l) => l.policy === "reports-nojs")!;
    const form = (captcha: string) => {
      const f = new FormData();
      f.append("captcha", captcha);
      return f;
    };
    expect(nojs.when!(form("nojs1.1.a.b"))).toBe(true);
    expect(nojs.when!(form("altcha-payload"))).toBe(false);
  });

  it("bucket overrides are checked", () => {
    expect(parseBuckets("reports=3/60").reports).toEqual({ limit: 3, windowSeconds: 60 });
    expect(() => parseBuckets("nope=3/60")).toThrow();
    expect(() => parseBuckets("reports=3")).toThrow();
  });
});

describe.each(dbKinds())("rate limits on %s", (kind) => {
  let rig: TestRig;
  const c = clock();
  const limiter = (buckets: string, now = c.now) =>
    createRateLimiter({ ...rig.config, rateLimits: true, rateLimitBuckets: buckets }, rig.deps.db, {
      dbKind: kind,
      serverKey: rig.deps.keys.rateLimit,
      now,
    });
  const post = (path: string, body: unknown, addr = IP) =>
    rig.app.request(
      path,
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      { clientAddress: addr },
    );

  beforeAll(async () => {
    rig = await createRig(kind, { env: { RATE_LIMITS: "on", RATE_LIMIT_BUCKETS: "reports=3/3600" } });
  });
  afterAll(async () => rig?.destroy());

  it("the 4th report in an hour from one source is 429 with Retry-After; other sources go on", async () => {
    for (let i = 0; i < 3; i++) expect((await post("/api/v1/reports", anonymousReport())).status).toBe(201);
    const res = await post("/api/v1/reports", anonymousReport());
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const wait = Number(res.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    const body = (await res.json()) as { status: number; type: string };
    expect(body.status).toBe(429);
    expect(body.type).toMatch(/throttled$/);
    // A refused body is not even read: junk gets the same 429.
    expect((await post("/api/v1/reports", "junk")).status).toBe(429);
    expect((await post("/api/v1/reports", anonymousReport(), "198.51.100.1")).status).toBe(201);
  });

  it("tracking misses from one source slow it down, each time for longer", async () => {
    const t = clock();
    rig.deps.rateLimiter = limiter("track=1000/600,track-miss=2/86400", t.now);
    const miss = () => post("/api/v1/track", { trackingCode: "00000-00000-00000-00000" });
    expect((await miss()).status).toBe(404);
    expect((await miss()).status).toBe(404);
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      expect((await miss()).status).toBe(404); // over the free misses: this one starts a block
      const blocked = await miss();
      expect(blocked.status).toBe(429);
      const wait = Number(blocked.headers.get("retry-after"));
      waits.push(wait);
      t.advance(wait - 1);
      expect((await miss()).status).toBe(429); // still blocked a second before the end
      t.advance(1);
    }
    expect(waits).toEqual([30, 60, 120, 240]);
    // Messages with an unknown code count as misses too; another source is untouched.
    const other = await post(
      "/api/v1/track/messages",
      { trackingCode: "00000-00000-00000-00000", body: "x" },
      "198.51.100.2",
    );
    expect(other.status).toBe(404);
  });

  it("weight 0 asks without counting (the staff login verb checks first, counts failures)", async () => {
    const l = limiter("staff-login-user=2/900");
    expect(await l.hit("staff-login-user", "alice", 0)).toEqual({ ok: true });
    await l.hit("staff-login-user", "alice");
    expect(await l.hit("staff-login-user", "alice", 0)).toEqual({ ok: true });
    expect(await l.hit("staff-login-user", "alice")).toEqual({ ok: true });
    expect((await l.hit("staff-login-user", "alice", 0)).ok).toBe(false);
    expect((await l.hit("staff-login", "alice", 0)).ok).toBe(true); // buckets are separate
    await expect(l.hit("no-such-bucket", "x")).rejects.toThrow();
  });

  it("counters start again with the next Asia/Shanghai day, whose key is new", async () => {
    const t = clock(Date.parse("2026-03-02T15:59:00Z")); // 23:59 in Beijing
    const l = limiter("messages=1/86400", t.now);
    expect((await l.hit("messages", "s1")).ok).toBe(true);
    expect((await l.hit("messages", "s1")).ok).toBe(false);
    t.advance(120); // 00:01 the next day
    expect((await l.hit("messages", "s1")).ok).toBe(true);
    expect(shanghaiDay(t.now().getTime()).start.toISOString()).toBe("2026-03-02T16:00:00.000Z");
  });

  it("RATE_LIMITS=off lets everything through", async () => {
    const off = createRateLimiter({ ...rig.config, rateLimits: false }, rig.deps.db);
    for (let i = 0; i < 50; i++) expect(await off.hit("reports", IP)).toEqual({ ok: true });
  });

  it.runIf(kind === "postgres")(
    "two app processes on one database share the counters and the day key",
    async () => {
      const other = await openDb({ url: rig.db.url!, max: 2 });
      try {
        const t = clock(Date.parse("2026-05-05T05:00:00Z"));
        const cfg = { ...rig.config, rateLimits: true, rateLimitBuckets: "track=4/600" };
        const opts = { dbKind: "postgres" as const, serverKey: rig.deps.keys.rateLimit, now: t.now };
        const a = createRateLimiter(cfg, rig.deps.db, opts);
        const b = createRateLimiter(cfg, other.db, opts);
        // Both start at once: one creates the day's key, the other waits for it and reads it.
        const first = await Promise.all([a.hit("track", "s9"), b.hit("track", "s9")]);
        expect(first).toEqual([{ ok: true }, { ok: true }]);
        expect(await a.hit("track", "s9")).toEqual({ ok: true });
        expect(await b.hit("track", "s9")).toEqual({ ok: true });
        expect((await a.hit("track", "s9")).ok).toBe(false);
        expect((await b.hit("track", "s9")).ok).toBe(false);
        const dayRows = await rows<{ n: number }>(
          rig.deps.db,
          sql`select count(*)::int as n from rate_limit_hits where length(key) = 48 and window_start = ${"2026-05-04T16:00:00Z"}::timestamptz`,
        );
        expect(dayRows[0].n).toBe(1);
        // Two days on, the purge forgets that day's key and counters.
        t.advance(2 * 86_400 + 120);
        await a.hit("track", "s9");
        await new Promise((r) => setTimeout(r, 300)); // the purge runs in the background
        const left = await rows<{ n: number }>(
          rig.deps.db,
          sql`select count(*)::int as n from rate_limit_hits where expires_at < ${"2026-05-06T00:00:00Z"}::timestamptz`,
        );
        expect(left[0].n).toBe(0);
      } finally {
        await other.close();
      }
    },
  );

  it("the client address is nowhere: not in any table, not in any log line", async () => {
    rig.deps.rateLimiter = limiter("track=1000/600,track-miss=100/86400");
    await post("/api/v1/track", { trackingCode: "00000-00000-00000-00000" });
    await post("/api/v1/reports", anonymousReport());
    expect(await findInDatabase(rig.deps.db, IP_FORMS)).toEqual([]);
    const log = rig.logs.join("\n");
    for (const f of IP_FORMS) expect(log.includes(f), f).toBe(false);
    if (kind === "postgres") {
      // The counters are there, under 32-byte keyed hashes (48 bytes: the day key row).
      const keys = await rows<{ len: number }>(
        rig.deps.db,
        sql`select distinct length(key)::int as len from rate_limit_hits`,
      );
      expect(keys.map((k) => k.len).sort()).toEqual([32, 48]);
    }
  });
});
