import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../helpers/server";

// The built server (dist/, as `npm run serve` runs it) behind a simulated proxy (TRUST_PROXY=1):
// the login page and the login API key their throttle on the proxy-appended address, whatever a
// client writes on the left of X-Forwarded-For, and the Argon2id worker loads from the build.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ RATE_LIMITS: "on", TRUST_PROXY: "1", DEMO: "off" });
});
afterAll(async () => {
  await server?.stop();
});

const pageLogin = (i: number, proxyAppended: string) =>
  fetch(`${server.origin}/staff/login`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: server.origin,
      "x-forwarded-for": `10.9.${i}.1, ${proxyAppended}`,
    },
    body: new URLSearchParams({ username: `page.nobody.${i}`, password: "not-the-password-1" }).toString(),
  });

const apiLogin = (i: number, proxyAppended: string) =>
  fetch(`${server.origin}/api/v1/staff/session`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: server.origin,
      "x-forwarded-for": `10.8.${i}.1, ${proxyAppended}`,
    },
    body: JSON.stringify({ username: `api.nobody.${i}`, password: "not-the-password-1" }),
  });

describe("login throttle on the built server behind TRUST_PROXY=1", () => {
  it("the login page counts a forged-leftmost client as the one the proxy saw", async () => {
    const answers: number[] = [];
    for (let i = 0; i < 22; i++) answers.push((await pageLogin(i, "198.51.100.61")).status);
    // 401 means the password was checked, in the worker pool of the built server.
    expect(answers.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(answers.slice(20)).toEqual([429, 429]);
    expect((await pageLogin(99, "198.51.100.62")).status).toBe(401);
  });

  it("the login API too", async () => {
    const answers: number[] = [];
    for (let i = 0; i < 22; i++) answers.push((await apiLogin(i, "198.51.100.71")).status);
    expect(answers.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(answers.slice(20)).toEqual([429, 429]);
    const other = await apiLogin(99, "198.51.100.72");
    expect(other.status).toBe(401);
    expect(server.output()).not.toContain("198.51.100.7");
  });

  it("the login page and the login API count one forwarded client in the same bucket", async () => {
    // 10 attempts on each door from one client: 20, the staff-login limit. Had either door keyed
    // its own copy of the address (the peer, ignoring TRUST_PROXY), the counts would not add up.
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      answers.push((await pageLogin(i, "198.51.100.81")).status);
      answers.push((await apiLogin(i, "198.51.100.81")).status);
    }
    expect(answers.every((s) => s === 401)).toBe(true);
    expect((await pageLogin(20, "198.51.100.81")).status).toBe(429);
    expect((await apiLogin(21, "198.51.100.81")).status).toBe(429);
    expect((await pageLogin(22, "198.51.100.82")).status).toBe(401);
    expect((await apiLogin(23, "198.51.100.83")).status).toBe(401);
    expect(server.output()).not.toContain("198.51.100.8");
  });
});
