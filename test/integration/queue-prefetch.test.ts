import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { appendEvent } from "../../api/services/events/append";
import { verifyTrail } from "../../api/services/trail/verify";
import { caseEvents, cases } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const COUNTY = "430112"; // 望城区

/**
 * The claim leaves its read for the holder's next action (api/services/queue/prefetch.ts), which
 * then writes without reading, fenced by the row version the claim wrote. Whatever happened to the
 * case in between, the action must come out as if it had read afresh, and the chain stay whole.
 */
describe.each(dbKinds())("an action after a claim, on %s", (kind) => {
  let rig: TestRig;
  let now = new Date("2026-03-02T01:00:00Z"); // Monday 09:00 in Changsha
  let a: { actor: StaffActor; cookie: string };
  let b: { actor: StaffActor; cookie: string };
  const { claimNext: claim, act } = staffCalls((p, i) => rig.app.request(p, i));
  const file = async () => (await fileReport(rig, realNameReport())).id;
  const kinds = async (id: string) =>
    (
      await rig.deps.db
        .select({ seq: caseEvents.seq, kind: caseEvents.kind })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, id))
        .orderBy(asc(caseEvents.seq))
    ).map((e) => `${e.seq}:${e.kind}`);

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "600" } });
    a = await createStaff(rig, { username: "pf.intake.a", office: COUNTY, roles: ["intake"] });
    b = await createStaff(rig, { username: "pf.intake.b", office: COUNTY, roles: ["intake"] });
  });
  afterAll(async () => rig?.destroy());

  it("registers a claimed case with the claim's read, as a fresh read would", async () => {
    const id = await file();
    const c = await claim(a.cookie);
    expect(c.body.case.id).toBe(id);
    const r = await act(a.cookie, id, { action: "register", leaseToken: c.body.leaseToken });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.case.stage).toBe("registered");
    expect(r.body.case.number).toBe(c.body.case.number);
    expect(await kinds(id)).toEqual(["1:received", "2:registered"]);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row.assigneeId).toBe(a.actor.id);
    expect(row.nextDueOn).not.toBe(c.body.case.nextDueOn ?? "never");
    // A second action finds nothing kept (it was used once) and reads as usual.
    const again = await act(a.cookie, id, { action: "release", leaseToken: c.body.leaseToken });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it("reads afresh when the case row changed after the claim", async () => {
    const id = await file();
    const c = await claim(a.cookie);
    expect(c.body.case.id).toBe(id);
    // Another writer moves the case on (here straight in the table): the claim's read is stale.
    await rig.deps.db.update(cases).set({ stage: "registered" }).where(eq(cases.id, id));
    const r = await act(a.cookie, id, { action: "register", leaseToken: c.body.leaseToken });
    expect(r.status).toBe(409);
    expect(r.body.allowedActions).toBeDefined();
    expect(await kinds(id)).toEqual(["1:received"]);
    await rig.deps.db.update(cases).set({ stage: "received" }).where(eq(cases.id, id));
    const ok = await act(a.cookie, id, { action: "register", leaseToken: c.body.leaseToken });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("chains after an event appended between the claim and the action", async () => {
    const id = await file();
    const c = await claim(a.cookie);
    expect(c.body.case.id).toBe(id);
    await rig.deps.db.transaction((tx) =>
      appendEvent(tx, { caseId: id, kind: "reporter_message", actor: "reporter", officeCode: COUNTY }),
    );
    const r = await act(a.cookie, id, { action: "register", leaseToken: c.body.leaseToken });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await kinds(id)).toEqual(["1:received", "2:reporter_message", "3:registered"]);
  });

  it("fences out the holder whose lease expired and went to someone else", async () => {
    const id = await file();
    const c = await claim(a.cookie);
    expect(c.body.case.id).toBe(id);
    now = new Date(now.getTime() + 16 * 60_000); // past the 15-minute lease
    const cb = await claim(b.cookie);
    expect(cb.body.case.id).toBe(id);
    const stale = await act(a.cookie, id, { action: "register", leaseToken: c.body.leaseToken });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe("lease");
    const forged = await act(b.cookie, id, {
      action: "register",
      leaseToken: "00000000-0000-4000-8000-000000000000",
    });
    expect(forged.status).toBe(409);
    const r = await act(b.cookie, id, { action: "register", leaseToken: cb.body.leaseToken });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await kinds(id)).toEqual(["1:received", "2:registered"]);
  });

  it("leaves every chain verifiable", async () => {
    const report = await verifyTrail(rig.deps.db);
    expect(report.breaks).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.cases).toBe(4);
  });
});
