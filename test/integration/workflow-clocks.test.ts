import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { addWorkingDays } from "../../api/domain/clock";
import { PROVINCE_CLOCK_RULES } from "../../api/domain/clock-rules";
import { caseClocks } from "../../db/schema/index";
import { PROVINCE_CLOCK_RULE_LABELS } from "../../messages/labels";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区, below 长沙市
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

describe.each(dbKinds())("deadlines on %s", (kind) => {
  let rig: TestRig;
  let now = at("2025-09-28T10:00:00");
  type Who = { actor: StaffActor; cookie: string };
  let countyStaff: Who;
  let cityStaff: Who;
  let citySupervisor: Who;
  let countySupervisor: Who;

  const api = staffCalls((p, i) => rig.app.request(p, i));
  const { call } = api;
  const claimById = (who: Who, id: string) => api.claimById(who.cookie, id);
  const act = async (who: Who, id: string, body: Record<string, unknown>, status = 200) => {
    const r = await api.act(who.cookie, id, body);
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  const view = async (who: Who, id: string) => {
    const r = await call(who.cookie, "GET", `/api/v1/staff/cases/${id}`);
    expect(r.status).toBe(200);
    return r.body;
  };
  const file = async (report: Record<string, unknown>) => (await fileReport(rig, report)).id;
  const cityReport = (real: boolean) =>
    (real ? realNameReport : anonymousReport)({
      subject: {
        name: "周九",
        unit: "长沙市某局",
        position: "局长",
        managementLevel: "city",
        divisionCode: CITY,
      },
    });

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "100000" } });
  });
  afterAll(async () => rig?.destroy());
  // Sessions live at most 12 hours; each test moves the clock by weeks, so sign in afresh.
  let n = 0;
  const signIn = async () => {
    n += 1;
    countyStaff = await createStaff(rig, {
      username: `wc.staff${n}`,
      office: COUNTY,
      roles: ["intake", "handler"],
    });
    cityStaff = await createStaff(rig, {
      username: `cs.staff${n}`,
      office: CITY,
      roles: ["intake", "handler"],
    });
    citySupervisor = await createStaff(rig, { username: `cs.sup${n}`, office: CITY, roles: ["supervisor"] });
    countySupervisor = await createStaff(rig, {
      username: `wc.sup${n}`,
      office: COUNTY,
      roles: ["supervisor"],
    });
  };
  const moveTo = async (t: Date) => {
    now = t;
    await signIn();
  };

  it("gives a real-name report of Sunday 2025-09-28 (调休 workday) until 2025-10-24 to be accepted, across 国庆", async () => {
    await moveTo(at("2025-09-28T10:00:00"));
    const id = await file(realNameReport());
    const v = await view(countyStaff, id);
    expect(v.nextDueOn).toBe("2025-10-24");
    expect(v.clocks).toEqual([
      expect.objectContaining({
        rule: "accept_notice",
        startedOn: "2025-09-28",
        dueOn: "2025-10-24",
        running: true,
        daysLeft: 15,
        overdue: false,
        officeCode: COUNTY,
      }),
    ]);
    // On the make-up Saturday 2025-10-11 it is a working day that counts: 10 left (10-13…10-24).
    await moveTo(at("2025-10-11T09:00:00"));
    expect((await view(countyStaff, id)).clocks[0].daysLeft).toBe(10);
    // An anonymous report runs no accept clock.
    const anon = await file(anonymousReport({ subject: { ...realNameReport().subject } }));
    expect((await view(countyStaff, anon)).clocks).toEqual([]);
    // Registering stops the clock and clears the case's next deadline.
    const t = await claimById(countyStaff, id);
    await act(countyStaff, id, { action: "register", leaseToken: t });
    const after = await view(countyStaff, id);
    expect(after.nextDueOn).toBeNull();
    expect(after.clocks[0]).toMatchObject({ running: false, daysLeft: null, overdue: false });
  });

  it("gives a case forwarded on 2026-09-29 until 2026-10-12 to be registered below (5 working days, 调休 Saturday 10-10 counted)", async () => {
    await moveTo(at("2026-09-29T09:30:00"));
    const id = await file(cityReport(true));
    const t = await claimById(cityStaff, id);
    await act(cityStaff, id, { action: "forward", leaseToken: t, office: COUNTY });
    const v = await view(countyStaff, id);
    expect(v.office.code).toBe(COUNTY);
    const byRule = Object.fromEntries(v.clocks.map((c: { rule: string }) => [c.rule, c]));
    expect(byRule.accept_notice).toMatchObject({ dueOn: "2026-10-26", running: true });
    expect(byRule.register_forwarded).toMatchObject({
      dueOn: "2026-10-12",
      running: true,
      officeCode: COUNTY,
    });
    expect(v.nextDueOn).toBe("2026-10-12");
    // The city no longer sees it as its own case (its staff are not supervisors): 404.
    expect((await call(cityStaff.cookie, "GET", `/api/v1/staff/cases/${id}`)).status).toBe(404);

    // 2026-10-12 is the last day: not yet overdue.
    await moveTo(at("2026-10-12T18:00:00"));
    expect((await call(countyStaff.cookie, "GET", "/api/v1/staff/overdue")).body.cases).toEqual([]);
    let sup = await call(citySupervisor.cookie, "POST", `/api/v1/staff/cases/${id}/actions`, {
      action: "supervise",
    });
    expect(sup.status).toBe(409);
    expect(sup.body.allowedActions).toEqual([]);

    // 2026-10-13: overdue in the county's list and in the city supervisor's.
    await moveTo(at("2026-10-13T08:00:00"));
    const own = await call(countyStaff.cookie, "GET", "/api/v1/staff/overdue");
    expect(own.body.today).toBe("2026-10-13");
    expect(own.body.cases.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(own.body.cases[0].clocks).toEqual([
      expect.objectContaining({ rule: "register_forwarded", dueOn: "2026-10-12", daysLeft: -1 }),
    ]);
    expect(own.body.cases[0].canSupervise).toBe(false);
    const above = await call(citySupervisor.cookie, "GET", "/api/v1/staff/overdue");
    expect(above.body.cases.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(above.body.cases[0]).toMatchObject({
      canSupervise: true,
      lastSupervised: null,
      office: { code: COUNTY },
    });
    const counts = await call(citySupervisor.cookie, "GET", "/api/v1/staff/queue");
    expect(counts.body.counts).toEqual([
      { office: { code: CITY, name: "长沙市纪委监委" }, unclaimed: 0, claimed: 0, overdue: 0 },
      // This case and the two of the first test (one registered, one received), none held.
      { office: { code: COUNTY, name: "望城区纪委监委" }, unclaimed: 3, claimed: 0, overdue: 1 },
    ]);

    // The case shows up read-only above, with 督办 as the one thing to do.
    const seen = await view(citySupervisor, id);
    expect(seen.relation).toBe("read");
    expect(seen.allowedActions).toEqual(["supervise"]);
    expect(seen.lease.token).toBeNull();
    // The county's own supervisor does not press their own office.
    const selfSup = await call(countySupervisor.cookie, "POST", `/api/v1/staff/cases/${id}/actions`, {
      action: "supervise",
    });
    expect(selfSup.status).toBe(409);

    sup = await call(citySupervisor.cookie, "POST", `/api/v1/staff/cases/${id}/actions`, {
      action: "supervise",
      method: "phone",
      note: "请于两日内登记受理",
    });
    expect(sup.status).toBe(200);
    const pressed = (await view(countyStaff, id)).events.at(-1);
    expect(pressed).toMatchObject({
      kind: "supervised",
      office: { code: CITY },
      isPublic: false,
      data: { note: "请于两日内登记受理" },
    });
    for (const who of [countyStaff, citySupervisor]) {
      const list = await call(who.cookie, "GET", "/api/v1/staff/overdue");
      expect(list.body.cases[0].lastSupervised).toEqual({
        at: now.toISOString(),
        office: { code: CITY, name: "长沙市纪委监委" },
      });
    }

    // Registering stops both clocks; the case leaves the overdue lists.
    const t2 = await claimById(countyStaff, id);
    await act(countyStaff, id, { action: "register", leaseToken: t2 });
    expect((await view(countyStaff, id)).nextDueOn).toBeNull();
    expect((await call(citySupervisor.cookie, "GET", "/api/v1/staff/overdue")).body.cases).toEqual([]);
  });

  it("runs the result clock after 予以了结 and the report clock of an assignment", async () => {
    await moveTo(at("2026-03-02T10:00:00"));
    const id = await file(cityReport(false));
    let t = await claimById(cityStaff, id);
    await act(cityStaff, id, { action: "register", leaseToken: t });
    await act(cityStaff, id, { action: "assign", leaseToken: t, office: COUNTY, dueDate: "2026-04-15" });
    let v = await view(countyStaff, id);
    expect(v.clocks).toEqual([
      expect.objectContaining({
        rule: "assign_report",
        dueOn: "2026-04-15",
        officeCode: COUNTY,
        running: true,
      }),
    ]);
    t = await claimById(countyStaff, id);
    const disposed = await act(countyStaff, id, { action: "dispose", leaseToken: t, disposition: "close" });
    expect(disposed.case.nextDueOn).toBe("2026-03-23"); // 15 working days after 03-02
    expect(addWorkingDays("2026-03-02", 15)).toBe("2026-03-23");
    await act(countyStaff, id, {
      action: "conclude",
      leaseToken: t,
      result: "予以了结",
      reply: "经了解，相关问题已整改到位。",
    });
    v = await view(countyStaff, id);
    expect(v.nextDueOn).toBeNull();
    expect(v.clocks.every((c: { running: boolean }) => !c.running)).toBe(true);
    expect(v.clocks.map((c: { rule: string }) => c.rule).sort()).toEqual(["assign_report", "result_notice"]);
  });

  describe("a province's own rule", () => {
    afterEach(() => {
      PROVINCE_CLOCK_RULES["430000"] = [];
      delete PROVINCE_CLOCK_RULE_LABELS.start_handling;
    });

    it("adds a 3-working-day clock to start handling, by adding data only", async () => {
      PROVINCE_CLOCK_RULES["430000"] = [
        {
          id: "start_handling",
          startsOn: "registered",
          stopsOn: ["in_progress", "forwarded", "assigned", "escalated", "returned"],
          due: { workingDays: 3 },
          appliesTo: {},
        },
      ];
      PROVINCE_CLOCK_RULE_LABELS.start_handling = {
        zh: "受理后3个工作日内启动办理",
        en: "Start handling within 3 working days of registration",
      };
      await moveTo(at("2025-09-30T10:00:00"));
      const id = await file(realNameReport());
      const t = await claimById(countyStaff, id);
      await act(countyStaff, id, { action: "register", leaseToken: t });
      let v = await view(countyStaff, id);
      const clock = v.clocks.find((c: { rule: string }) => c.rule === "start_handling");
      // 09-30 + 3 working days: 10-09, 10-10, 10-11 (调休 Saturday).
      expect(clock).toMatchObject({
        dueOn: "2025-10-11",
        running: true,
        label: { zh: "受理后3个工作日内启动办理" },
      });
      expect(v.nextDueOn).toBe("2025-10-11");
      await act(countyStaff, id, { action: "dispose", leaseToken: t, disposition: "talk_inquiry" });
      v = await view(countyStaff, id);
      expect(v.clocks.find((c: { rule: string }) => c.rule === "start_handling").running).toBe(false);
      expect(v.nextDueOn).toBeNull();
      const rows = await rig.deps.db.select().from(caseClocks).where(eq(caseClocks.caseId, id));
      expect(rows.map((r) => r.rule).sort()).toEqual(["accept_notice", "start_handling"]);
    });
  });
});
