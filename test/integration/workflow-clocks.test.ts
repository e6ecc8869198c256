import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { addWorkingDays, shanghaiDate } from "../../api/domain/clock";
import { CLOCK_RULES, OFFICE_CLOCK_RULES, PROVINCE_CLOCK_RULES } from "../../api/domain/clock-rules";
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
  const codes = new Map<string, string>();
  const file = async (report: Record<string, unknown>) => {
    const { id, code } = await fileReport(rig, report);
    codes.set(id, code);
    return id;
  };
  /** What the reporter sees on /track. */
  const track = async (id: string) => {
    const res = await rig.app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: codes.get(id) }),
    });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
    return (await res.json()) as any;
  };
  /** The reporter adds a message with their tracking code. */
  const reporterWrites = async (id: string, body: string) => {
    const res = await rig.app.request("/api/v1/track/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: codes.get(id), body }),
    });
    expect(res.status).toBe(201);
  };
  const byRule = (clocks: { rule: string; running: boolean }[], rule: string) =>
    clocks.filter((c) => c.rule === rule);
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
  const today = () => shanghaiDate(now);
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

  it("runs the report clock of an assignment, and no 反馈 clock for an anonymous report even after 予以了结", async () => {
    await moveTo(at("2026-03-02T10:00:00"));
    const id = await file(cityReport(false));
    let t = await claimById(cityStaff, id);
    await act(cityStaff, id, { action: "register", leaseToken: t });
    const sent = await act(cityStaff, id, {
      action: "assign",
      leaseToken: t,
      office: COUNTY,
      dueDate: "2026-04-15",
    });
    // 交办: the county 受理s it itself.
    expect(sent.case).toMatchObject({ stage: "received", nextDueOn: "2026-04-15" });
    let v = await view(countyStaff, id);
    expect(v.clocks).toEqual([
      expect.objectContaining({
        rule: "assign_report",
        dueOn: "2026-04-15",
        officeCode: COUNTY,
        running: true,
        source: expect.objectContaining({ document: "交办函", article: null }),
      }),
    ]);
    t = await claimById(countyStaff, id);
    await act(countyStaff, id, { action: "register", leaseToken: t });
    const disposed = await act(countyStaff, id, { action: "dispose", leaseToken: t, disposition: "close" });
    // Before issue 10, 予以了结 started a 15-working-day 反馈 clock here (due 2026-03-23), for an
    // anonymous report too: the rules start it at 办结, for real-name 检举控告 only.
    expect(disposed.case.nextDueOn).toBe("2026-04-15");
    const reported = await act(countyStaff, id, {
      action: "report",
      leaseToken: t,
      finding: "unsubstantiated",
      result: "经了解，相关问题已整改到位，予以了结。",
    });
    expect(reported.case).toMatchObject({
      stage: "reviewing",
      office: { code: CITY },
      publicStatus: "in_progress",
      nextDueOn: null,
    });
    t = await claimById(cityStaff, id);
    const approved = await act(cityStaff, id, { action: "approve", leaseToken: t });
    expect(approved.case).toMatchObject({ stage: "concluded", publicStatus: "concluded", nextDueOn: null });
    v = await view(cityStaff, id);
    expect(v.clocks.map((c: { rule: string }) => c.rule)).toEqual(["assign_report"]);
    expect(v.clocks.every((c: { running: boolean }) => !c.running)).toBe(true);
  });

  it("runs 受理告知 for no 申诉 or 批评建议, and stops it when the case is merged as a repeat", async () => {
    await moveTo(at("2026-05-11T09:00:00"));
    const { subject: _none, ...noSubject } = realNameReport();
    const appeal = {
      ...noSubject,
      type: "appeal",
      appeal: {
        decision: "给予党内警告处分",
        decidingBody: "望城区纪委监委",
        decisionDate: "2025-06-30",
        officeCode: COUNTY,
      },
    };
    for (const report of [appeal, realNameReport({ type: "suggestion" })]) {
      const other = await file(report);
      expect((await view(countyStaff, other)).clocks, String(report.type)).toEqual([]);
    }
    const first = await file(realNameReport());
    const repeat = await file(realNameReport());
    expect((await view(countyStaff, repeat)).nextDueOn).toBe(addWorkingDays("2026-05-11", 15));
    const t = await claimById(countyStaff, repeat);
    await act(countyStaff, repeat, { action: "merge", leaseToken: t, caseId: first });
    const v = await view(countyStaff, repeat);
    expect(v.nextDueOn).toBeNull();
    expect(v.clocks).toEqual([expect.objectContaining({ rule: "accept_notice", running: false })]);
  });

  it("does not tell a repeat kept for reference (留存备查) of its acceptance again (Art.13)", async () => {
    await moveTo(at("2026-05-12T09:00:00"));
    const first = await file(realNameReport());
    const repeat = await file(realNameReport());
    const t = await claimById(countyStaff, repeat);
    const kept = await act(countyStaff, repeat, { action: "keep", leaseToken: t, caseId: first });
    expect(kept.case).toMatchObject({ stage: "kept", publicStatus: "kept", nextDueOn: null });
    const v = await view(countyStaff, repeat);
    // The clock intake started stops, none runs on, and the reporter never sees 已受理.
    expect(v.clocks).toEqual([expect.objectContaining({ rule: "accept_notice", running: false })]);
    expect((await track(repeat)).status).toBe("kept");
  });

  it("gives an escalated case 5 working days at the office above (报送, like 转送)", async () => {
    await moveTo(at("2026-09-29T09:30:00"));
    const id = await file(anonymousReport({ subject: { ...realNameReport().subject } }));
    let t = await claimById(countyStaff, id);
    await act(countyStaff, id, { action: "escalate", leaseToken: t, reason: "被反映人系市管干部" });
    const v = await view(cityStaff, id);
    expect(v.clocks).toEqual([
      expect.objectContaining({
        rule: "register_escalated",
        officeCode: CITY,
        startedOn: "2026-09-29",
        dueOn: "2026-10-12",
        running: true,
        source: expect.objectContaining({ article: "第十五条第一款" }),
      }),
    ]);
    t = await claimById(cityStaff, id);
    const registered = await act(cityStaff, id, { action: "register", leaseToken: t });
    expect(registered.case.nextDueOn).toBeNull();
  });

  it("runs 反馈 from the recorded 办结 date of a real-name 检举控告 until feedback, shown on /track as the reply", async () => {
    await moveTo(at("2026-06-01T09:00:00"));
    const id = await file(realNameReport());
    let t = await claimById(countyStaff, id);
    await act(countyStaff, id, { action: "register", leaseToken: t });
    await act(countyStaff, id, { action: "dispose", leaseToken: t, disposition: "preliminary_verification" });
    await moveTo(at("2026-06-15T16:00:00"));
    t = await claimById(countyStaff, id);
    const future = await act(
      countyStaff,
      id,
      { action: "conclude", leaseToken: t, finding: "partly", result: "部分属实", concludedOn: "2026-06-16" },
      422,
    );
    expect(future.errors[0]).toMatchObject({ path: "concludedOn", code: "concludedOn.invalid" });
    const concluded = await act(countyStaff, id, {
      action: "conclude",
      leaseToken: t,
      finding: "partly",
      result: "经初步核实，反映问题部分属实，已给予诫勉谈话。",
      concludedOn: "2026-06-12",
    });
    // 06-12 (Friday) + 15 working days: 06-15 … 07-03 (端午 06-19 is a holiday).
    expect(concluded.case).toMatchObject({
      stage: "awaiting_feedback",
      publicStatus: "concluded",
      nextDueOn: addWorkingDays("2026-06-12", 15),
    });
    let v = await view(countyStaff, id);
    expect(byRule(v.clocks, "result_notice")).toEqual([
      expect.objectContaining({ startedOn: "2026-06-12", running: true, countsFrom: "event_date" }),
    ]);
    // 已办结 at once; the reply only once the reporter has been told.
    let seen = await track(id);
    expect(seen.status).toBe("concluded");
    expect(seen.reply).toBeNull();

    // Overdue the day after: in the office's overdue list, still at the office's active stage.
    await moveTo(at(`${addWorkingDays("2026-06-12", 16)}T09:00:00`));
    const overdue = await call(countyStaff.cookie, "GET", "/api/v1/staff/overdue");
    expect(overdue.body.cases.map((c: { id: string }) => c.id)).toContain(id);

    t = await claimById(countyStaff, id);
    // A 反馈 cannot be dated before the 办结 it reports.
    const early = await act(
      countyStaff,
      id,
      {
        action: "feedback",
        leaseToken: t,
        method: "phone",
        givenOn: "2026-06-11",
        body: "早于办结",
        view: "not_stated",
      },
      422,
    );
    expect(early.errors[0]).toMatchObject({ path: "givenOn", code: "givenOn.invalid" });
    const told = await act(countyStaff, id, {
      action: "feedback",
      leaseToken: t,
      method: "phone",
      givenOn: today(),
      body: "经初步核实，您反映的问题部分属实，已对李四给予诫勉谈话。感谢您的监督。",
      view: "basically_satisfied",
      viewNote: "希望继续关注整改情况",
    });
    expect(told.case).toMatchObject({ stage: "concluded", nextDueOn: null });
    v = await view(countyStaff, id);
    expect(v.clocks.every((c: { running: boolean }) => !c.running)).toBe(true);
    expect(v.events.at(-1)).toMatchObject({
      kind: "feedback",
      isPublic: true,
      data: { method: "phone", view: "basically_satisfied", viewNote: "希望继续关注整改情况" },
    });
    seen = await track(id);
    expect(seen.reply).toEqual({
      at: now.toISOString(),
      body: "经初步核实，您反映的问题部分属实，已对李四给予诫勉谈话。感谢您的监督。",
    });
    expect(seen.timeline.map((e: { event: string }) => e.event)).toEqual([
      "received",
      "registered",
      "in_progress",
      "concluded",
      "feedback",
    ]);
  });

  it("sends an assigned case's result back for 审核/销号, with rework, before the reporter sees 已办结", async () => {
    await moveTo(at("2026-07-06T10:00:00"));
    const id = await file(cityReport(true));
    let t = await claimById(cityStaff, id);
    await act(cityStaff, id, { action: "register", leaseToken: t });
    await act(cityStaff, id, { action: "assign", leaseToken: t, office: COUNTY, dueDate: "2026-07-31" });
    t = await claimById(countyStaff, id);
    // The county cannot conclude it itself, nor decline it: it reports, or gives it back.
    const registered = await act(countyStaff, id, { action: "register", leaseToken: t });
    expect(registered.case.publicStatus).toBe("accepted");
    await act(countyStaff, id, { action: "dispose", leaseToken: t, disposition: "preliminary_verification" });
    const outcome = { finding: "unsubstantiated", result: "经初步核实，反映问题不属实。" };
    const refused = await act(countyStaff, id, { action: "conclude", leaseToken: t, ...outcome }, 409);
    expect(refused.allowedActions).toContain("report");
    await act(countyStaff, id, { action: "report", leaseToken: t, ...outcome });
    expect((await track(id)).status).toBe("in_progress");

    // The city sends it back for more work, with a new date; the county's report clock restarts.
    await moveTo(at("2026-07-20T10:00:00"));
    t = await claimById(cityStaff, id);
    const back = await act(cityStaff, id, {
      action: "rework",
      leaseToken: t,
      reason: "未核实工程款流向，请补充核实。",
      dueDate: "2026-08-14",
    });
    expect(back.case).toMatchObject({ stage: "handling", office: { code: COUNTY }, nextDueOn: "2026-08-14" });
    let v = await view(countyStaff, id);
    expect(
      byRule(v.clocks, "assign_report").map((c) => [c.running, (c as { dueOn?: string }).dueOn]),
    ).toEqual([
      [false, "2026-07-31"],
      [true, "2026-08-14"],
    ]);
    expect(
      v.events
        .filter((e: { isPublic: boolean; kind: string }) => e.isPublic)
        .map((e: { kind: string }) => e.kind),
    ).toEqual(["received", "registered", "assigned", "in_progress"]);

    await moveTo(at("2026-08-03T10:00:00"));
    t = await claimById(countyStaff, id);
    await act(countyStaff, id, {
      action: "report",
      leaseToken: t,
      finding: "partly",
      result: "部分属实，已整改。",
    });
    expect((await track(id)).status).toBe("in_progress");
    t = await claimById(cityStaff, id);
    const closed = await act(cityStaff, id, { action: "approve", leaseToken: t, note: "同意销号" });
    // A real-name 检举控告: 已办结 now, and 15 working days from 销号 to tell the reporter.
    expect(closed.case).toMatchObject({
      stage: "awaiting_feedback",
      publicStatus: "concluded",
      office: { code: CITY },
      nextDueOn: addWorkingDays("2026-08-03", 15),
    });
    expect((await track(id)).status).toBe("concluded");
    v = await view(cityStaff, id);
    expect(byRule(v.clocks, "result_notice")).toEqual([
      expect.objectContaining({ startedOn: "2026-08-03", officeCode: CITY, running: true }),
    ]);
  });

  it("reopens a concluded case for 核查 when the reporter objects, with a clock the office chooses", async () => {
    await moveTo(at("2026-09-07T10:00:00"));
    const id = await file(realNameReport());
    let t = await claimById(countyStaff, id);
    await act(countyStaff, id, { action: "register", leaseToken: t });
    await act(countyStaff, id, { action: "dispose", leaseToken: t, disposition: "talk_inquiry" });
    await act(countyStaff, id, {
      action: "conclude",
      leaseToken: t,
      finding: "unsubstantiated",
      result: "不属实",
    });
    t = await claimById(countyStaff, id);
    await act(countyStaff, id, {
      action: "feedback",
      leaseToken: t,
      method: "online",
      body: "经核实，您反映的问题不属实。",
      view: "not_stated",
    });
    expect((await view(countyStaff, id)).stage).toBe("concluded");

    await moveTo(at("2026-09-10T10:00:00"));
    await reporterWrites(id, "我不认可处理结果，补充提供工程结算单。");
    let v = await view(countyStaff, id);
    expect(v).toMatchObject({ stage: "objected", publicStatus: "concluded", nextDueOn: null });
    expect(v.events.at(-1)).toMatchObject({ kind: "reporter_message", data: { objection: true } });
    // Active again at the county: a handler takes it up (核查) or explains (反馈).
    expect(v.canClaim).toBe(true);
    t = await claimById(countyStaff, id);
    expect((await view(countyStaff, id)).allowedActions).toEqual([
      "feedback",
      "recheck",
      "message",
      "release",
    ]);
    const neither = await act(countyStaff, id, { action: "recheck", leaseToken: t }, 422);
    expect(neither.errors[0]).toMatchObject({ path: "dueDate", code: "recheck.due_required" });
    const endless = await act(
      countyStaff,
      id,
      { action: "recheck", leaseToken: t, dueDate: "2999-12-31" },
      422,
    );
    expect(endless.errors[0]).toMatchObject({ path: "dueDate", code: "recheck.due_too_late" });
    const rechecking = await act(countyStaff, id, { action: "recheck", leaseToken: t, workingDays: 10 });
    expect(rechecking.case).toMatchObject({
      stage: "handling",
      publicStatus: "in_progress",
      nextDueOn: addWorkingDays("2026-09-10", 10),
    });
    v = await view(countyStaff, id);
    expect(byRule(v.clocks, "objection_check")).toEqual([
      expect.objectContaining({ running: true, dueOn: addWorkingDays("2026-09-10", 10) }),
    ]);
    const seen = await track(id);
    expect(seen.status).toBe("in_progress");
    expect(seen.reply?.body).toBe("经核实，您反映的问题不属实。");
    await act(countyStaff, id, {
      action: "conclude",
      leaseToken: t,
      finding: "partly",
      result: "经核查部分属实",
    });
    v = await view(countyStaff, id);
    expect(v.stage).toBe("awaiting_feedback");
    expect(byRule(v.clocks, "objection_check")[0].running).toBe(false);
    expect(byRule(v.clocks, "result_notice").map((c) => c.running)).toEqual([false, true]);

    // A message on a case still being handled is a follow-up, not an objection.
    const other = await file(realNameReport());
    await reporterWrites(other, "补充一份材料。");
    const o = await view(countyStaff, other);
    expect(o.stage).toBe("received");
    expect(o.events.at(-1)).toMatchObject({ kind: "reporter_message", data: {} });
  });

  describe("an office's own rule", () => {
    afterEach(() => {
      delete OFFICE_CLOCK_RULES[COUNTY];
      PROVINCE_CLOCK_RULES["430000"] = [];
    });

    it("lets 望城区 register forwarded cases within 3 working days, and a province count 受理告知 from its own receipt", async () => {
      const core = (id: string) => CLOCK_RULES.find((r) => r.id === id)!;
      OFFICE_CLOCK_RULES[COUNTY] = [{ ...core("register_forwarded"), due: { workingDays: 3 } }];
      PROVINCE_CLOCK_RULES["430000"] = [{ ...core("accept_notice"), countsFrom: "event" }];
      await moveTo(at("2026-11-02T09:00:00"));
      const id = await file(cityReport(true));
      await moveTo(at("2026-11-04T09:00:00"));
      const t = await claimById(cityStaff, id);
      await act(cityStaff, id, { action: "forward", leaseToken: t, office: COUNTY });
      const v = await view(countyStaff, id);
      const running = v.clocks.filter((c: { running: boolean }) => c.running);
      expect(running).toEqual([
        expect.objectContaining({
          rule: "accept_notice",
          startedOn: "2026-11-04",
          dueOn: addWorkingDays("2026-11-04", 15),
          countsFrom: "event",
        }),
        expect.objectContaining({ rule: "register_forwarded", dueOn: addWorkingDays("2026-11-04", 3) }),
      ]);
    });
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
          source: { document: "某省实施细则", article: "第五条", text: "受理后3个工作日内启动办理。" },
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
