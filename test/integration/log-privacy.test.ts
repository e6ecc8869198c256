import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { findInDatabase } from "../helpers/inspect";
import { realNameReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";
import { demoLogins } from "../helpers/sign-in";

const IP = "198.51.100.77";
const UA = "Mozilla/5.0 (QF-Privacy-Probe) Reporter-Phone/9.9";
const REPORTER = {
  name: "司马青山",
  idNumber: "430102199003071234",
  phone: "13698765432",
  address: "岳麓区桃子湖路8号",
};

/**
 * The whole flow over real HTTP against the built server (the process `npm start` runs): a
 * citizen files, tracks and adds a message; a staff member logs in, claims, registers, disposes,
 * concludes it and gives feedback (the reply); the citizen reads it. Then every line the server
 * printed, and every column of its database, is searched for what the requests carried.
 */
describe("what a full flow leaves in the logs", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // TRUST_PROXY=1 makes the server use the forwarded address, so the probe IP really reaches it.
    server = await startServer({ TRUST_PROXY: "1", RATE_LIMITS: "on", LOG_LEVEL: "debug" });
  });
  afterAll(async () => server?.stop());

  it("holds no IP, user agent, tracking code, session token, password or identity value", async () => {
    const o = server.origin;
    const headers = {
      "content-type": "application/json",
      "user-agent": UA,
      "x-forwarded-for": IP,
      origin: o,
    };
    const filed = await fetch(`${o}/api/v1/reports`, {
      method: "POST",
      headers,
      body: JSON.stringify(
        realNameReport({
          reporter: REPORTER,
          body: `我是${REPORTER.name}，电话${REPORTER.phone}，反映李四受贿。`,
        }),
      ),
    });
    expect(filed.status).toBe(201);
    const { trackingCode } = (await filed.json()) as { trackingCode: string };
    const tracked = await fetch(`${o}/api/v1/track`, {
      method: "POST",
      headers,
      body: JSON.stringify({ trackingCode }),
    });
    expect(tracked.status).toBe(200);
    const msg = await fetch(`${o}/api/v1/track/messages`, {
      method: "POST",
      headers,
      // What a reporter writes in a follow-up is stored as written (see the README: messages are not
      // redacted), so this one carries no identity of its own.
      body: JSON.stringify({ trackingCode, body: "补充：李四在工地还有一处仓库。" }),
    });
    expect(msg.status).toBe(201);

    const logins = await demoLogins(server.dataDir);
    const password = logins["wangcheng.intake"].password;
    const login = await fetch(`${o}/api/v1/staff/session`, {
      method: "POST",
      headers,
      body: JSON.stringify({ username: "wangcheng.intake", password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    const token = cookie.slice(cookie.indexOf("=") + 1);
    expect(token.length).toBeGreaterThan(30);
    const staffHeaders = { ...headers, cookie };
    const claim = await fetch(`${o}/api/v1/staff/queue/claim`, { method: "POST", headers: staffHeaders });
    expect(claim.status).toBe(200);
    const { case: c, leaseToken } = (await claim.json()) as { case: { id: string }; leaseToken: string };
    const act = async (body: Record<string, unknown>) => {
      const r = await fetch(`${o}/api/v1/staff/cases/${c.id}/actions`, {
        method: "POST",
        headers: staffHeaders,
        body: JSON.stringify({ leaseToken, ...body }),
      });
      expect(r.status, JSON.stringify(body)).toBe(200);
    };
    await act({ action: "register" });
    await act({ action: "dispose", disposition: "preliminary_verification" });
    await act({ action: "conclude", finding: "substantiated", result: "经初步核实，问题属实，已立案。" });
    const again = await fetch(`${o}/api/v1/staff/cases/${c.id}/claim`, {
      method: "POST",
      headers: staffHeaders,
    });
    expect(again.status).toBe(200);
    const { leaseToken: feedbackToken } = (await again.json()) as { leaseToken: string };
    await act({
      action: "feedback",
      leaseToken: feedbackToken,
      method: "online",
      body: "您反映的问题已核实并依规处理。",
      view: "not_stated",
    });
    const final = (await (
      await fetch(`${o}/api/v1/track`, { method: "POST", headers, body: JSON.stringify({ trackingCode }) })
    ).json()) as { status: string; reply: { body: string } };
    expect(final.status).toBe("concluded");
    expect(final.reply.body).toBe("您反映的问题已核实并依规处理。");

    const secrets = [
      IP,
      "QF-Privacy-Probe",
      trackingCode,
      trackingCode.replace(/-/g, ""),
      token,
      password,
      ...Object.values(REPORTER),
    ];
    const out = server.output();
    expect(out).toContain('"route":"/api/v1/staff/cases/:id/actions"');
    for (const s of secrets) expect(out, `log output contains ${s}`).not.toContain(s);

    await server.stop();
    const handle = await openDb({ pgliteDir: path.join(server.dataDir, "pglite") });
    try {
      expect(await findInDatabase(handle.db, secrets)).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
