import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsp } from "../../api/http/security-headers";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";

/** What every answer carries, page or API. */
function expectSecurityHeaders(res: Response, what: string): void {
  const h = (n: string) => res.headers.get(n);
  expect(h("strict-transport-security"), what).toBe("max-age=31536000; includeSubDomains");
  expect(h("referrer-policy"), what).toBe("no-referrer");
  expect(h("x-content-type-options"), what).toBe("nosniff");
  expect(h("cross-origin-opener-policy"), what).toBe("same-origin");
  const pp = h("permissions-policy") ?? "";
  for (const f of ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"])
    expect(pp, what).toContain(f);
  const csp = parseCsp(h("content-security-policy"));
  const has = (d: string, ...allowed: string[]) => {
    const v = csp.get(d) ?? csp.get("default-src");
    expect(v, `${what}: ${d}`).toBeDefined();
    expect(allowed, `${what}: ${d} = ${v!.join(" ")}`).toContain(v!.join(" "));
  };
  has("default-src", "'self'", "'none'");
  has("object-src", "'none'");
  has("base-uri", "'none'");
  has("frame-ancestors", "'none'");
  has("form-action", "'self'", "'none'");
  for (const d of ["script-src", "script-src-elem", "script-src-attr", "default-src"]) {
    const v = csp.get(d) ?? [];
    expect(v, `${what}: ${d}`).not.toContain("'unsafe-inline'");
    expect(v, `${what}: ${d}`).not.toContain("'unsafe-eval'");
  }
}

describe.each(dbKinds())("API answers' headers on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind);
  });
  afterAll(async () => rig?.destroy());

  it("every answer, success or error, carries the security headers; answers with content are no-store", async () => {
    const json = { "content-type": "application/json" };
    const cases: [string, RequestInit, number][] = [
      ["/api/v1/healthz", {}, 200],
      ["/api/v1/divisions", {}, 200],
      ["/api/v1/categories", {}, 200],
      ["/api/v1/captcha", {}, 200],
      ["/api/v1/reports", { method: "POST", headers: json, body: JSON.stringify(anonymousReport()) }, 201],
      ["/api/v1/reports", { method: "POST", headers: json, body: "{" }, 400],
      ["/api/v1/reports", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }, 415],
      ["/api/v1/reports", { method: "POST", headers: json, body: "{}" }, 422],
      [
        "/api/v1/track",
        { method: "POST", headers: json, body: JSON.stringify({ trackingCode: "00000-00000-00000-00000" }) },
        404,
      ],
      [
        "/api/v1/track/messages",
        { method: "POST", headers: json, body: JSON.stringify({ trackingCode: "x", body: "hi" }) },
        404,
      ],
      ["/api/v1/staff/session", {}, 401],
      ["/api/v1/nothing-here", {}, 404],
    ];
    for (const [path, init, status] of cases) {
      const res = await rig.app.request(path, init, { clientAddress: "203.0.113.7" });
      const what = `${init.method ?? "GET"} ${path}`;
      expect(res.status, what).toBe(status);
      expectSecurityHeaders(res, what);
      expect(res.headers.get("content-security-policy"), what).toContain("default-src 'none'");
      expect(res.headers.get("cache-control"), what).toBe("no-store");
    }
  });
});

describe("pages of the built server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMITS: "on", RATE_LIMIT_BUCKETS: "track=3/600", CAPTCHA: "altcha" });
  });
  afterAll(async () => server?.stop());

  const PAGES = [
    "/",
    "/report",
    "/track",
    "/en/",
    "/en/report",
    "/en/track",
    "/staff/login",
    "/staff",
    "/no-such-page",
  ];

  it("every page answer carries the headers, with a CSP of hashes and no 'unsafe-inline'", async () => {
    for (const path of PAGES) {
      const res = await fetch(`${server.origin}${path}`, { redirect: "manual" });
      expect(res.status, path).toBeLessThan(500);
      expectSecurityHeaders(res, path);
      const csp = parseCsp(res.headers.get("content-security-policy"));
      expect(csp.get("script-src"), path).toContain("'self'");
      expect(csp.get("frame-src"), path).toEqual(["'none'"]);
      await res.arrayBuffer();
    }
  });

  it("the static files (/_astro/ bundles, the favicon) carry the headers too, the bundles cached for good", async () => {
    const html = await (await fetch(`${server.origin}/report`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/_astro\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length, "the report page links its bundles").toBeGreaterThan(0);
    for (const path of [...new Set(assets), "/favicon.svg"]) {
      const res = await fetch(`${server.origin}${path}`);
      expect(res.status, path).toBe(200);
      expectSecurityHeaders(res, path);
      expect(parseCsp(res.headers.get("content-security-policy")).get("script-src"), path).toEqual([
        "'self'",
      ]);
      if (path.startsWith("/_astro/"))
        expect(res.headers.get("cache-control"), path).toBe("public, max-age=31536000, immutable");
      await res.arrayBuffer();
    }
  });

  it("a method no page takes (TRACE) is 405 with the headers, not a 500", async () => {
    // fetch refuses to send TRACE: node:http does.
    const { status, headers } = await new Promise<{ status: number; headers: Headers }>((resolve, reject) => {
      const req = http.request(`${server.origin}/staff/login`, { method: "TRACE" }, (res) => {
        res.resume();
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: h }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(405);
    expect(headers.get("allow")).toBe("GET, HEAD, POST");
    expectSecurityHeaders(new Response(null, { status, headers }), "TRACE");
  });

  it("a cross-site write to the API is refused with problem+json and the headers, before any route", async () => {
    const res = await fetch(`${server.origin}/api/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify(anonymousReport()),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expectSecurityHeaders(res, "cross-site API post");
    expect(((await res.json()) as { detail: string }).detail).toContain("Cross-site requests are refused");
  });

  it("pages with a tracking code, identity or case content are never cached", async () => {
    for (const path of ["/report", "/track", "/en/report", "/en/track", "/staff/login", "/staff"]) {
      const res = await fetch(`${server.origin}${path}`, { redirect: "manual" });
      expect(res.headers.get("cache-control"), path).toContain("no-store");
      await res.arrayBuffer();
    }
  });

  it("with the default configuration the citizen pages load nothing from another origin", async () => {
    for (const path of ["/", "/report", "/track", "/en/", "/en/report", "/en/track"]) {
      const html = await (await fetch(`${server.origin}${path}`)).text();
      const refs = [
        ...html.matchAll(
          /<(script|link|img|iframe|source|audio|video|object|embed)\b[^>]*?\s(src|href|data)=["']([^"']+)["']/gi,
        ),
      ]
        .map((m) => m[3])
        .filter((u) => /^(https?:)?\/\//i.test(u));
      expect(refs, path).toEqual([]);
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i); // no inline script bodies
      expect(html, path).not.toMatch(/\sstyle=["']/i);
      expect(html, path).not.toMatch(/\son[a-z]+=["']/i);
    }
  });

  it("the report page carries the captcha under the field name `captcha`", async () => {
    const html = await (await fetch(`${server.origin}/report`)).text();
    // Until the report form includes CaptchaWidget, this checks only what is there.
    if (!html.includes("data-qf-nojs")) return;
    expect(html).toMatch(/<input type="hidden" name="captcha" value="nojs1\.[^"]+" data-qf-nojs/);
    expect(html).toContain('<altcha-widget challenge="/api/v1/captcha" name="captcha"');
  });

  it("form posts are rate limited by the middleware too, with Retry-After", async () => {
    const post = () =>
      fetch(`${server.origin}/track`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: server.origin,
          "user-agent": "QF-Probe-Agent/1.0",
          "x-forwarded-for": "192.0.2.123",
        },
        body: "intent=lookup&trackingCode=00000-00000-00000-00000",
      });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await post();
      statuses.push(last.status);
      if (i < 3) await last.arrayBuffer();
    }
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses[3]).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expectSecurityHeaders(last!, "429 page");
    expect(await last!.text()).toContain("请求过于频繁");
  });

  it("nothing the requests carried shows up in the server's output", async () => {
    const out = server.output();
    for (const s of ["00000-00000-00000-00000", "00000000000000000000", "QF-Probe-Agent", "192.0.2.123"]) {
      expect(out, s).not.toContain(s);
    }
  });
});
