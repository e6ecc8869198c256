import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { reportRoute } from "../../api/routes/public";
import { caseEvents, cases } from "../../db/schema/index";
import { expectDeclared, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

const COUNTY = "430112"; // 望城区

describe.each(dbKinds())("the shared queue on %s", (kind) => {
  let rig: TestRig;
  let now = new Date("2026-03-02T01:00:00Z"); // Monday 09:00 in Changsha
  let a: { actor: StaffActor; cookie: string };
  let b: { actor: StaffActor; cookie: string };
  let handler: { actor: StaffActor; cookie: string };
  let custodian: { actor: StaffActor; cookie: string };

  const call = async (cookie: string, method: string, path: string, body?: unknown) => {
    const res = await rig.app.request(path, {
      method,
      headers: staffHeaders(cookie),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await expectDeclared(res, method, path) };
  };
  const claim = (cookie: string) => call(cookie, "POST", "/api/v1/staff/queue/claim");
  const act = (cookie: string, id: string, body: Record<string, unknown>) =>
    call(cookie, "POST", `/api/v1/staff/cases/${id}/actions`, body);

  async function file(report: Record<string, unknown>): Promise<string> {
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report),
    });
    expect(res.status).toBe(201);
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
    const [row] = await rig.deps.db.select({ id: cases.id }).from(cases).where(eq(cases.trackingHash, hash));
    return row.id;
  }
  const countyAnon = () =>
    anonymousReport({
      subject: {
        name: "赵六",
        unit: "望城区住建局",
        position: "科长",
        managementLevel: "county",
        divisionCode: COUNTY,
      },
    });

  beforeAll(async () => {
    // The test moves the clock by hours; sessions must outlive that idle time.
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "600" } });
    a = await createStaff(rig, { username: "wc.intake.a", office: COUNTY, roles: ["intake"] });
    b = await createStaff(rig, { username: "wc.intake.b", office: COUNTY, roles: ["intake"] });
    handler = await createStaff(rig, { username: "wc.handler", office: COUNTY, roles: ["handler"] });
    custodian = await createStaff(rig, { username: "wc.custodian", office: COUNTY, roles: ["custodian"] });
  });
  afterAll(async () => rig?.destroy());

  it("answers 204 when the office's queue is empty", async () => {
    expect((await claim(a.cookie)).status).toBe(204);
  });

  it("hands out real-name cases first, then the earliest deadline, then the oldest, each once", async () => {
    const anonOld = await file(countyAnon());
    now = new Date(now.getTime() + 60_000);
    const realA = await file(realNameReport());
    now = new Date(now.getTime() + 60_000);
    const anonNew = await file(countyAnon());
    now = new Date(now.getTime() + 60_000);
    const realB = await file(realNameReport());
    // realB gets an earlier deadline than realA (a clock due sooner), so it comes first.
    await rig.deps.db.update(cases).set({ nextDueOn: "2026-03-05" }).where(eq(cases.id, realB));

    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await claim(i % 2 === 0 ? a.cookie : b.cookie);
      expect(r.status).toBe(200);
      expect(r.body.leaseToken).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(r.body.leaseExpiresAt).getTime()).toBe(now.getTime() + 15 * 60_000);
      expect(r.body.case.stage).toBe("received");
      order.push(r.body.case.id);
    }
    expect(order).toEqual([realB, realA, anonOld, anonNew]);
    expect((await claim(b.cookie)).status).toBe(204);
  });

  it("counts unclaimed, claimed and overdue cases for the console", async () => {
    const r = await call(a.cookie, "GET", "/api/v1/staff/queue");
    expect(r.status).toBe(200);
    expect(r.body.counts).toEqual([
      { office: { code: COUNTY, name: "望城区纪委监委" }, unclaimed: 0, claimed: 4, overdue: 0 },
    ]);
  });

  it("puts a case back when its lease expires, and fences the old holder out", async () => {
    now = new Date(now.getTime() + 16 * 60_000);
    const counts = await call(a.cookie, "GET", "/api/v1/staff/queue");
    expect(counts.body.counts[0]).toMatchObject({ unclaimed: 4, claimed: 0 });
    const first = await claim(a.cookie);
    expect(first.status).toBe(200);
    const id = first.body.case.id as string;

    // b reclaims after a's lease expires; a's token is now stale.
    now = new Date(now.getTime() + 16 * 60_000);
    let again: Awaited<ReturnType<typeof claim>>;
    do {
      again = await claim(b.cookie);
    } while (again.body.case.id !== id);
    expect(again.body.leaseToken).not.toBe(first.body.leaseToken);

    const before = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
    const [{ n: eventsBefore }] = await rig.deps.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(caseEvents)
      .where(eq(caseEvents.caseId, id));
    const stale = await act(a.cookie, id, { action: "register", leaseToken: first.body.leaseToken });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toMatch(/conflict$/);
    expect(stale.body.detail).toMatch(/领办/);
    const after = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(after).toEqual(before);
    const [{ n: eventsAfter }] = await rig.deps.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(caseEvents)
      .where(eq(caseEvents.caseId, id));
    expect(eventsAfter).toBe(eventsBefore);

    // The holder's own token works, and renews the lease.
    const ok = await act(b.cookie, id, { action: "register", leaseToken: again.body.leaseToken });
    expect(ok.status).toBe(200);
    expect(ok.body.case.stage).toBe("registered");
    expect(new Date(ok.body.leaseExpiresAt).getTime()).toBe(now.getTime() + 15 * 60_000);
  });

  it("refuses a token after its expiry even when nobody else took the case", async () => {
    const r = await claim(a.cookie);
    expect(r.status).toBe(200);
    now = new Date(now.getTime() + 15 * 60_000 + 1);
    const late = await act(a.cookie, r.body.case.id, { action: "register", leaseToken: r.body.leaseToken });
    expect(late.status).toBe(409);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, r.body.case.id));
    expect(row.stage).toBe("received");
  });

  it("gives a case back with release, and then anyone may claim it", async () => {
    now = new Date(now.getTime() + 60 * 60_000);
    const r = await claim(a.cookie);
    const id = r.body.case.id as string;
    const rel = await act(a.cookie, id, { action: "release", leaseToken: r.body.leaseToken });
    expect(rel.status).toBe(200);
    expect(rel.body.leaseExpiresAt).toBeNull();
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row.leaseToken).toBeNull();
    // A released token is dead.
    expect((await act(a.cookie, id, { action: "register", leaseToken: r.body.leaseToken })).status).toBe(409);
    const next = await claim(b.cookie);
    expect(next.body.case.id).toBe(id);
  });

  it("hands a handler only registered and handling cases, and refuses roles without queue work", async () => {
    const h = await claim(handler.cookie);
    expect(h.status).toBe(200);
    expect(h.body.case.stage).toBe("registered");
    expect((await claim(handler.cookie)).status).toBe(204);
    const c = await claim(custodian.cookie);
    expect(c.status).toBe(403);
  });

  it("claims one particular case by id, and not one somebody else holds", async () => {
    now = new Date(now.getTime() + 60 * 60_000);
    const first = await claim(a.cookie);
    const id = first.body.case.id as string;
    const taken = await call(b.cookie, "POST", `/api/v1/staff/cases/${id}/claim`);
    expect(taken.status).toBe(409);
    const mine = await call(a.cookie, "POST", `/api/v1/staff/cases/${id}/claim`);
    expect(mine.status).toBe(200);
    expect(mine.body.leaseToken).toBe(first.body.leaseToken);
    const rel = await act(a.cookie, id, { action: "release", leaseToken: first.body.leaseToken });
    expect(rel.status).toBe(200);
    const free = await call(b.cookie, "POST", `/api/v1/staff/cases/${id}/claim`);
    expect(free.status).toBe(200);
    expect(free.body.leaseToken).not.toBe(first.body.leaseToken);
  });

  it("lets a lease token act only for the staff member who holds it", async () => {
    const r = await claim(a.cookie);
    expect(r.status).toBe(200);
    const id = r.body.case.id as string;
    // b, a colleague in the same office with the same role, learned a's live token.
    const borrowed = await act(b.cookie, id, { action: "register", leaseToken: r.body.leaseToken });
    expect(borrowed.status).toBe(409);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row.stage).toBe("received");
    expect(row.leaseHolderId).toBe(a.actor.id);
    const events = await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
    expect(events.map((e) => e.kind)).not.toContain("registered");
    const own = await act(a.cookie, id, { action: "release", leaseToken: r.body.leaseToken });
    expect(own.status).toBe(200);
  });

  it("asks for a lease token and refuses a malformed one", async () => {
    const r = await claim(a.cookie);
    const id = r.body.case.id as string;
    const none = await act(a.cookie, id, { action: "register" });
    expect(none.status).toBe(422);
    expect(none.body.errors.map((e: { path: string }) => e.path)).toEqual(["leaseToken"]);
    const bad = await act(a.cookie, id, { action: "register", leaseToken: "not-a-token" });
    expect(bad.status).toBe(422);
  });

  it("lists the cases I hold or carry", async () => {
    const r = await call(b.cookie, "GET", "/api/v1/staff/cases/mine");
    expect(r.status).toBe(200);
    expect(r.body.cases.length).toBeGreaterThan(0);
    for (const c of r.body.cases) expect(c.office.code).toBe(COUNTY);
    expect(r.body.cases.some((c: { held: boolean }) => c.held)).toBe(true);
  });
});
