import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../helpers/server";

// The page edge (site/middleware/) on the built server, behind a simulated proxy (TRUST_PROXY=1):
// one client source for the page login and the API login, and one log line per request.

const IP = "198.51.100.88";
const UA = "Mozilla/5.0 (QF-Edge-Probe) Reporter-Phone/9.9";
const CODE = "ABCDE-FGHJK-MNPQR-STUVW";
const QUERY_MARK = "qf-query-marker";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1", RATE_LIMITS: "on", DEMO: "off" });
});
afterAll(async () => server?.stop());

describe("the edge on the built server behind TRUST_PROXY=1", () => {
  it("the page login and the API login count one forwarded client in the same staff-login bucket", async () => {
    // Each attempt forges a different leftmost entry; the proxy appends the real client last.
    const xff = (i: number, client: string) => `10.7.${i}.1, ${client}`;
    const page = (i: number, client: string) =>
      fetch(`${server.origin}/staff/login`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: server.origin,
          "x-forwarded-for": xff(i, client),
        },
        body: new URLSearchParams({ username: `edge.page.${i}`, password: "not-the-password-1" }).toString(),
      });
    const api = (i: number, client: string) =>
      fetch(`${server.origin}/api/v1/staff/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.origin, "x-forwarded-for": xff(i, client) },
        body: JSON.stringify({ username: `edge.api.${i}`, password: "not-the-password-1" }),
      });
    const client = "198.51.100.81";
    const answers: number[] = [];
    // staff-login allows 20 attempts per 15 minutes per client: 10 on each door.
    for (let i = 0; i < 10; i++) {
      answers.push((await page(i, client)).status);
      answers.push((await api(i, client)).status);
    }
    expect(answers.every((s) => s === 401)).toBe(true);
    // The 21st, on either door, is over: both doors keyed the same forwarded client.
    expect((await page(20, client)).status).toBe(429);
    expect((await api(21, client)).status).toBe(429);
    // Another client behind the same proxy is not affected, on either door.
    expect((await page(22, "198.51.100.82")).status).toBe(401);
    expect((await api(23, "198.51.100.83")).status).toBe(401);
  });

  it("every page request writes exactly one line: id, method, route, status, duration, nothing else", async () => {
    const o = server.origin;
    const headers = { "user-agent": UA, "x-forwarded-for": IP };
    const form = { ...headers, "content-type": "application/x-www-form-urlencoded", origin: o };
    const probes: { res: Response; method: string; route: string }[] = [];
    const probe = async (path: string, route: string, init: RequestInit = {}) => {
      const res = await fetch(`${o}${path}`, { redirect: "manual", headers, ...init });
      await res.arrayBuffer();
      probes.push({ res, method: init.method ?? "GET", route });
    };
    await probe(`/report?${QUERY_MARK}=${CODE}`, "/report");
    await probe("/en/", "/en");
    await probe("/track", "/track", {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ intent: "lookup", trackingCode: CODE }).toString(),
    });
    await probe("/staff/cases/00000000-0000-4000-8000-000000000000", "/staff/cases/[id]");
    await probe(`/no-such-page/${CODE}`, "/404");
    // Refused by the edge itself (another site): still one line.
    await probe("/report", "/report", {
      method: "POST",
      headers: { ...form, origin: "https://evil.example" },
      body: "title=x",
    });
    // Through the bridge: the API writes the line (its route pattern), under the edge's id.
    await probe("/api/v1/categories", "/api/v1/categories");

    expect(probes.map((p) => p.res.status)).toEqual([200, 200, 404, 303, 404, 403, 200]);
    await server.stop(); // every line is out once the process has exited
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const { res, method, route } of probes) {
      const id = res.headers.get("x-request-id");
      expect(id, route).toMatch(/^[0-9a-f-]{36}$/);
      const mine = lines.filter((l) => l.reqId === id);
      expect(mine, route).toHaveLength(1);
      const [line] = mine;
      expect(Object.keys(line).sort(), route).toEqual(
        ["app", "level", "method", "ms", "msg", "reqId", "route", "status", "time"].sort(),
      );
      expect(line, route).toMatchObject({ msg: "request", method, route, status: res.status });
      expect(typeof line.ms).toBe("number");
    }
    const out = server.output();
    for (const s of [IP, "QF-Edge-Probe", CODE, CODE.replace(/-/g, ""), QUERY_MARK, "198.51.100.8"])
      expect(out, `log output contains ${s}`).not.toContain(s);
  });
});
