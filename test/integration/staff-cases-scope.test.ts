import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { reportRoute } from "../../api/routes/public";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { cases } from "../../db/schema/index";
import { expectDeclared, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { REPORTER_SECRETS, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

const COUNTY = "430112"; // 望城区
const OTHER_COUNTY = "430102"; // 芙蓉区, also below 长沙市
const CITY = "430100";
const PROVINCE = "430000";
const NONEXISTENT = "5b0d5c1e-8a41-4c55-9a0e-2f1b7e3c9d40";

type Who = { actor: StaffActor; cookie: string };

/** A problem body without its per-request id: two answers are "the same" when these are equal. */
const sansRequestId = (b: Record<string, unknown>) => {
  const { requestId: _r, ...rest } = b;
  return rest;
};

describe.each(dbKinds())("who sees which case, on %s", (kind) => {
  let rig: TestRig;
  let now = new Date("2026-03-02T02:00:00Z");
  let caseId: string;
  let caseTitle: string;
  const who: Record<string, Who> = {};

  const call = async (
    cookie: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    origin = "http://localhost",
  ) => {
    const headers: Record<string, string> = cookie
      ? staffHeaders(cookie, { origin })
      : { "content-type": "application/json", origin };
    const res = await rig.app.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.clone().text();
    return {
      status: res.status,
      cacheControl: res.headers.get("cache-control"),
      text,
      body: await expectDeclared(res, method, path),
    };
  };

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now });
    who.county = await createStaff(rig, {
      username: "wc.intake",
      office: COUNTY,
      roles: ["intake", "handler"],
    });
    who.countyCustodian = await createStaff(rig, {
      username: "wc.custodian",
      office: COUNTY,
      roles: ["custodian"],
    });
    who.otherCounty = await createStaff(rig, {
      username: "fr.all",
      office: OTHER_COUNTY,
      roles: ["intake", "handler", "supervisor"],
    });
    who.cityStaff = await createStaff(rig, {
      username: "cs.intake",
      office: CITY,
      roles: ["intake", "handler"],
    });
    who.citySupervisor = await createStaff(rig, {
      username: "cs.sup",
      office: CITY,
      roles: ["supervisor", "intake", "handler"],
    });
    who.provinceSupervisor = await createStaff(rig, {
      username: "hn.sup",
      office: PROVINCE,
      roles: ["supervisor"],
    });
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(realNameReport()),
    });
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.trackingHash, hash));
    caseId = row.id;
    caseTitle = row.title;
  });
  afterAll(async () => rig?.destroy());

  it("shows the office's own staff the sanitized case, never cached", async () => {
    const r = await call(who.county.cookie, "GET", `/api/v1/staff/cases/${caseId}`);
    expect(r.status).toBe(200);
    expect(r.cacheControl).toBe("no-store");
    expect(r.body).toMatchObject({
      id: caseId,
      stage: "received",
      relation: "act",
      office: { code: COUNTY },
      subject: { name: "李四", unit: "望城区交通运输局", division: { code: COUNTY, name: "望城区" } },
      attachmentCount: 0,
      canClaim: true,
    });
    expect(r.body.body).toContain("〔已隐去〕");
    for (const secret of REPORTER_SECRETS) expect(r.text).not.toContain(secret);
    expect(r.body.events.map((e: { kind: string }) => e.kind)).toEqual(["received"]);
    expect(r.body.allowedActions).toContain("register");
    // A custodian of the office reads it too, but has nothing to do on it.
    const c = await call(who.countyCustodian.cookie, "GET", `/api/v1/staff/cases/${caseId}`);
    expect(c.status).toBe(200);
    expect(c.body.allowedActions).toEqual(["release"]);
    expect(c.body.canClaim).toBe(false);
  });

  it("answers another county's staff exactly as for a case that does not exist", async () => {
    const other = await call(who.otherCounty.cookie, "GET", `/api/v1/staff/cases/${caseId}`);
    const missing = await call(who.otherCounty.cookie, "GET", `/api/v1/staff/cases/${NONEXISTENT}`);
    const garbage = await call(who.otherCounty.cookie, "GET", "/api/v1/staff/cases/not-a-uuid");
    expect(other.status).toBe(404);
    expect(sansRequestId(other.body)).toEqual(sansRequestId(missing.body));
    expect(sansRequestId(garbage.body)).toEqual(sansRequestId(missing.body));
    expect(other.text).not.toContain(caseId);

    const body = { action: "register", leaseToken: "00000000-0000-4000-8000-000000000000" };
    const act = await call(who.otherCounty.cookie, "POST", `/api/v1/staff/cases/${caseId}/actions`, body);
    const actMissing = await call(
      who.otherCounty.cookie,
      "POST",
      `/api/v1/staff/cases/${NONEXISTENT}/actions`,
      body,
    );
    expect(act.status).toBe(404);
    expect(sansRequestId(act.body)).toEqual(sansRequestId(actMissing.body));
    const claim = await call(who.otherCounty.cookie, "POST", `/api/v1/staff/cases/${caseId}/claim`);
    expect(claim.status).toBe(404);
    expect(sansRequestId(claim.body)).toEqual(sansRequestId(actMissing.body));
    // The city's staff without the supervisor role do not see the county's cases either.
    expect((await call(who.cityStaff.cookie, "GET", `/api/v1/staff/cases/${caseId}`)).status).toBe(404);
  });

  it("lets a city supervisor and a province supervisor read a county case, and refuses them acting with 403", async () => {
    for (const sup of [who.citySupervisor, who.provinceSupervisor]) {
      const r = await call(sup.cookie, "GET", `/api/v1/staff/cases/${caseId}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: caseId, relation: "read", canClaim: false, allowedActions: [] });
    }
    // The county staff member holds it; the supervisor tries with no token and with a real one.
    const claim = await call(who.county.cookie, "POST", `/api/v1/staff/cases/${caseId}/claim`);
    const token = claim.body.leaseToken;
    for (const body of [
      { action: "register" },
      { action: "register", leaseToken: token },
      { action: "release", leaseToken: token },
    ]) {
      const r = await call(who.citySupervisor.cookie, "POST", `/api/v1/staff/cases/${caseId}/actions`, body);
      expect(r.status).toBe(403);
      expect(Object.keys(r.body).sort()).toEqual(["detail", "requestId", "status", "title", "type"]);
      expect(r.text).not.toContain(caseId);
      expect(r.text).not.toContain(caseTitle.slice(0, 6));
    }
    const c = await call(who.citySupervisor.cookie, "POST", `/api/v1/staff/cases/${caseId}/claim`);
    expect(c.status).toBe(403);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row.stage).toBe("received");
    expect(row.leaseToken).toBe(token);
  });

  it("answers 401 without a session, with a forged one and with an expired one", async () => {
    const paths: [string, string][] = [
      ["GET", `/api/v1/staff/cases/${caseId}`],
      ["POST", `/api/v1/staff/cases/${caseId}/actions`],
      ["POST", "/api/v1/staff/queue/claim"],
      ["GET", "/api/v1/staff/queue"],
      ["GET", "/api/v1/staff/overdue"],
      ["GET", "/api/v1/staff/cases/mine"],
    ];
    const forged = `${SESSION_COOKIE}=${"A".repeat(43)}`; // well-formed, never issued
    for (const [method, path] of paths) {
      const body = method === "POST" ? { action: "register" } : undefined;
      expect((await call(undefined, method, path, body)).status, path).toBe(401);
      expect((await call(forged, method, path, body)).status, path).toBe(401);
    }
    const late = await createStaff(rig, { username: "wc.late", office: COUNTY, roles: ["intake"] });
    expect((await call(late.cookie, "GET", "/api/v1/staff/queue")).status).toBe(200);
    now = new Date(now.getTime() + (rig.config.sessionIdleMinutes + 1) * 60_000);
    const expired = await call(late.cookie, "GET", "/api/v1/staff/queue");
    expect(expired.status).toBe(401);
    expect(expired.body.type).toMatch(/unauthorized$/);
  });

  it("refuses a cross-site POST before it reaches the workflow", async () => {
    const fresh = await createStaff(rig, { username: "wc.fresh", office: COUNTY, roles: ["intake"] });
    const r = await call(
      fresh.cookie,
      "POST",
      "/api/v1/staff/queue/claim",
      undefined,
      "https://evil.example",
    );
    expect(r.status).toBe(403);
  });
});

describe("the staff API in a public-role process", () => {
  it("does not exist", async () => {
    const rig = await createRig("pglite", { env: { APP_ROLE: "public" } });
    try {
      for (const path of [
        "/api/v1/staff/queue",
        "/api/v1/staff/overdue",
        `/api/v1/staff/cases/${NONEXISTENT}`,
      ]) {
        expect((await rig.app.request(path)).status, path).toBe(404);
      }
      expect((await rig.app.request("/api/v1/staff/queue/claim", { method: "POST" })).status).toBe(404);
    } finally {
      await rig.destroy();
    }
  });
});
