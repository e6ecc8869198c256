import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsp } from "../../api/http/security-headers";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";

const json = { "content-type": "application/json" };

describe.each(dbKinds())("API by APP_ROLE on %s", (kind) => {
  let pub: TestRig;
  let staff: TestRig;
  beforeAll(async () => {
    [pub, staff] = await Promise.all([
      createRig(kind, { env: { APP_ROLE: "public" } }),
      createRig(kind, { env: { APP_ROLE: "staff" } }),
    ]);
  });
  afterAll(async () => Promise.all([pub?.destroy(), staff?.destroy()]));

  it("APP_ROLE=public: no staff route exists (404, not 401)", async () => {
    for (const [method, path] of [
      ["POST", "/api/v1/staff/session"],
      ["GET", "/api/v1/staff/session"],
      ["POST", "/api/v1/staff/queue/claim"],
      ["GET", "/api/v1/staff/cases/00000000-0000-4000-8000-000000000000"],
      [
        "GET",
        "/api/v1/staff/cases/00000000-0000-4000-8000-000000000000/attachments/00000000-0000-4000-8000-000000000000",
      ],
      ["POST", "/api/v1/staff/cases/00000000-0000-4000-8000-000000000000/identity"],
    ]) {
      const res = await pub.app.request(path, {
        method,
        headers: { ...json, origin: "http://localhost" },
        body: method === "GET" ? undefined : "{}",
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const filed = await pub.app.request("/api/v1/reports", {
      method: "POST",
      headers: json,
      body: JSON.stringify(anonymousReport()),
    });
    expect(filed.status).toBe(201);
  });

  it("APP_ROLE=staff: the citizen's API is gone; health and reference lists stay", async () => {
    for (const [method, path] of [
      ["POST", "/api/v1/reports"],
      ["POST", "/api/v1/track"],
      ["POST", "/api/v1/track/messages"],
      ["GET", "/api/v1/captcha"],
    ]) {
      const res = await staff.app.request(path, {
        method,
        headers: json,
        body: method === "GET" ? undefined : JSON.stringify(anonymousReport()),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    for (const path of ["/api/v1/healthz", "/api/v1/divisions", "/api/v1/categories"]) {
      expect((await staff.app.request(path)).status, path).toBe(200);
    }
    expect((await staff.app.request("/api/v1/staff/session")).status).toBe(401);
  });
});

describe("pages by APP_ROLE (built server)", () => {
  let pub: RunningServer;
  let staff: RunningServer;
  beforeAll(async () => {
    [pub, staff] = await Promise.all([
      startServer({
        APP_ROLE: "public",
        CAPTCHA: "hcaptcha",
        HCAPTCHA_SITEKEY: "10000000-ffff-ffff-ffff-000000000001",
        HCAPTCHA_SECRET: "0x0000000000000000000000000000000000000000",
      }),
      startServer({ APP_ROLE: "staff" }),
    ]);
  });
  afterAll(async () => Promise.all([pub?.stop(), staff?.stop()]));

  const get = (s: RunningServer, path: string, init: RequestInit = {}) =>
    fetch(`${s.origin}${path}`, { redirect: "manual", ...init });

  it("APP_ROLE=public answers 404 for every staff page and staff API route", async () => {
    for (const path of [
      "/staff",
      "/staff/login",
      "/staff/queue",
      "/staff/cases/00000000-0000-4000-8000-000000000000",
      "/api/v1/staff/session",
    ]) {
      const res = await get(pub, path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    const login = await get(pub, "/staff/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: pub.origin },
      body: "username=a&password=b",
    });
    expect(login.status).toBe(404);
    expect((await get(pub, "/report")).status).toBe(200);
  });

  it("APP_ROLE=staff answers 404 for the citizen form pages and the public POST API", async () => {
    for (const path of ["/report", "/track", "/en/report", "/en/track"]) {
      const res = await get(staff, path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    const post = await get(staff, "/report", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: staff.origin },
      body: "title=x",
    });
    expect(post.status).toBe(404);
    const api = await get(staff, "/api/v1/reports", {
      method: "POST",
      headers: json,
      body: JSON.stringify(anonymousReport()),
    });
    expect(api.status).toBe(404);
    expect((await get(staff, "/staff/login")).status).toBe(200);
  });

  it("with hCaptcha configured, only the report pages allow hcaptcha.com", async () => {
    for (const path of ["/report", "/en/report"]) {
      const csp = parseCsp((await get(pub, path)).headers.get("content-security-policy"));
      expect(csp.get("script-src"), path).toContain("https://hcaptcha.com");
      expect(csp.get("frame-src"), path).toEqual(["https://hcaptcha.com", "https://*.hcaptcha.com"]);
      expect(csp.get("connect-src"), path).toContain("https://*.hcaptcha.com");
    }
    for (const path of ["/", "/track", "/en/"]) {
      const header = (await get(pub, path)).headers.get("content-security-policy") ?? "";
      expect(header, path).not.toContain("hcaptcha");
    }
    expect(await (await get(pub, "/api/v1/captcha")).json()).toEqual({
      provider: "hcaptcha",
      sitekey: "10000000-ffff-ffff-ffff-000000000001",
    });
  });
});
