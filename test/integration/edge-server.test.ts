import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../helpers/server";

// The page edge (site/middleware/) on the built server, behind a simulated proxy (TRUST_PROXY=1,
// so the probe's forwarded address really reaches it): one log line per request. The login pages'
// shared client source is tested in login-hardening-server.test.ts.

const IP = "198.51.100.88";
const UA = "Mozilla/5.0 (QF-Edge-Probe) Reporter-Phone/9.9";
const CODE = "ABCDE-FGHJK-MNPQR-STUVW";
const QUERY_MARK = "qf-query-marker";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1", RATE_LIMITS: "on", DEMO: "off" });
});
afterAll(async () => server?.stop());

describe("the request log of the built server", () => {
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
    // SIGTERM is a clean stop (scripts/start.mjs): the runtime closed, the log flushed, exit 0;
    // not the signal's default action, which cut the last line and the embedded database off.
    expect({ code: server.proc.exitCode, signal: server.proc.signalCode }).toEqual({ code: 0, signal: null });
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
    for (const s of [IP, "QF-Edge-Probe", CODE, CODE.replace(/-/g, ""), QUERY_MARK])
      expect(out, `log output contains ${s}`).not.toContain(s);
  });
});
