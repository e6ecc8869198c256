// Issue 11 §6 through the API: 呈批 and 批示 with their permissions, the 书记阅批件 ledger (by rule
// and by hand) with its month-end counts, 销号 and 督办批示, and 提级办理 / 提级审核 seen from the
// office below. PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { trackRoute } from "../../api/routes/public";
import { leaderActionRoute, leaderLedgerRoute, leaderViewRoute } from "../../api/routes/staff-leaders";
import { printForm } from "../../api/services/printing/forms";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区
const OTHER_CITY = "430300"; // 湘潭市
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

type Staff = { actor: StaffActor; cookie: string };

const cityCadre = (title: string) =>
  anonymousReport({
    title,
    subject: {
      name: "赵六",
      unit: "长沙市住建局",
      position: "副局长",
      managementLevel: "city",
      divisionCode: CITY,
    },
  });
const countyCadre = (title: string) =>
  anonymousReport({
    title,
    subject: {
      name: "钱七",
      unit: "望城区水利局",
      position: "局长",
      managementLevel: "county",
      divisionCode: COUNTY,
    },
  });

describe.each(dbKinds())("leaders' instructions and 提级 on %s", (kind) => {
  let rig: TestRig;
  let now = at("2026-03-02T09:00:00");
  let cityDesk: Staff;
  let cityLeader: Staff;
  let otherLeader: Staff;
  let provinceLeader: Staff;
  let countyDesk: Staff;
  let provinceDesk: Staff;
  const everyone: Staff[] = [];

  const api = () => staffCalls((p, i) => rig.app.request(p, i));
  const req = (who: Staff, method: string, path: string, body?: unknown) =>
    rig.app.request(path, {
      method,
      headers: staffHeaders(who.cookie),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const leader = async (who: Staff, id: string, body: Record<string, unknown>) =>
    expectResponse(
      await req(who, "POST", `/api/v1/staff/cases/${id}/leader-actions`, body),
      leaderActionRoute,
      200,
    );
  const refused = async (who: Staff, id: string, body: Record<string, unknown>, status: number) =>
    expectProblem(
      await req(who, "POST", `/api/v1/staff/cases/${id}/leader-actions`, body),
      leaderActionRoute,
      status,
    );
  const act = async (who: Staff, id: string, body: Record<string, unknown>) => {
    const r = await api().act(who.cookie, id, body);
    expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  const claim = (who: Staff, id: string) => api().claimById(who.cookie, id);
  const ledger = async (who: Staff, month: string) =>
    expectResponse(
      await req(who, "GET", `/api/v1/staff/instructions?month=${month}`),
      leaderLedgerRoute,
      200,
    );
  const moveTo = async (t: Date) => {
    now = t;
    for (const who of everyone)
      who.cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, who.actor.id)}`;
  };
  const track = async (trackingCode: string) =>
    expectResponse(
      await rig.app.request("/api/v1/track", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode }),
      }),
      trackRoute,
      200,
    );

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "100000" } });
    cityDesk = await createStaff(rig, { username: "cs.desk", office: CITY, roles: ["intake", "handler"] });
    cityLeader = await createStaff(rig, { username: "cs.leader", office: CITY, roles: ["leader"] });
    otherLeader = await createStaff(rig, { username: "xt.leader", office: OTHER_CITY, roles: ["leader"] });
    provinceLeader = await createStaff(rig, { username: "hn.leader", office: PROVINCE, roles: ["leader"] });
    countyDesk = await createStaff(rig, {
      username: "wc.desk",
      office: COUNTY,
      roles: ["intake", "handler"],
    });
    provinceDesk = await createStaff(rig, {
      username: "hn.desk",
      office: PROVINCE,
      roles: ["intake", "handler"],
    });
    everyone.push(cityDesk, cityLeader, otherLeader, provinceLeader, countyDesk, provinceDesk);
  });
  afterAll(async () => rig?.destroy());

  it("puts a case before the office's leader, who alone writes the 批示; an event each", async () => {
    await moveTo(at("2026-03-02T09:00:00"));
    const c = await fileReport(rig, countyCadre("市级受理的件"));
    // Filed about a 县管 cadre it goes to the county; this one the city registers itself: route it by hand.
    const city = await fileReport(rig, anonymousReport({ title: "呈批测试件" }));

    // The leader cannot 呈批 (not 信访室), and nothing is pending to 批示 yet.
    await refused(cityLeader, city.id, { action: "submit_instruction", proposal: "拟转望城区办理" }, 403);
    const noneYet = await refused(
      cityLeader,
      city.id,
      { action: "instruct", instruction: "同意", signedOn: "2026-03-02" },
      409,
    );
    expect(noneYet.allowedActions).not.toContain("instruct");

    const sent = await leader(cityDesk, city.id, {
      action: "submit_instruction",
      proposal: "拟转望城区办理",
    });
    expect(sent.instructions).toEqual([
      expect.objectContaining({ kind: "instruction", pending: true, proposal: "拟转望城区办理" }),
    ]);
    // One 呈批 at a time.
    await refused(cityDesk, city.id, { action: "submit_instruction", proposal: "再呈一次" }, 409);

    // A non-leader cannot write the 批示; nor can another city's leader (the case is not in its view),
    // nor the province's leader, who reads it from above but is not the city's leader.
    await refused(
      cityDesk,
      city.id,
      { action: "instruct", instruction: "同意", signedOn: "2026-03-02" },
      403,
    );
    await refused(
      otherLeader,
      city.id,
      { action: "instruct", instruction: "同意", signedOn: "2026-03-02" },
      404,
    );
    await refused(
      provinceLeader,
      city.id,
      { action: "instruct", instruction: "同意", signedOn: "2026-03-02" },
      403,
    );
    // Fields after permission: a date after today is refused.
    const bad = await refused(
      cityLeader,
      city.id,
      { action: "instruct", instruction: "同意", signedOn: "2026-03-03" },
      422,
    );
    expect(bad.errors?.map((e) => e.path)).toEqual(["signedOn"]);

    const done = await leader(cityLeader, city.id, {
      action: "instruct",
      instruction: "同意转办，跟踪结果。",
      signedOn: "2026-03-01",
    });
    expect(done.instructions[0]).toMatchObject({
      pending: false,
      instruction: "同意转办，跟踪结果。",
      signedOn: "2026-03-01",
      instructedBy: "staff:cs.leader",
    });
    const view = await api().call(cityDesk.cookie, "GET", `/api/v1/staff/cases/${city.id}`);
    const kinds = view.body.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["instruction_requested", "instructed"]));
    const instructed = view.body.events.find((e: { kind: string }) => e.kind === "instructed");
    expect(instructed).toMatchObject({
      isPublic: false,
      data: { instruction: "同意转办，跟踪结果。", signedOn: "2026-03-01" },
    });
    expect(c.id).toBeTruthy();
  });

  it("keeps the 书记阅批件 ledger: 市管干部 by rule, others by hand; month-end counts, 销号 and 督办批示", async () => {
    await moveTo(at("2026-04-01T09:00:00"));
    const a = await fileReport(rig, cityCadre("四月市管干部一"));
    const b = await fileReport(rig, cityCadre("四月市管干部二"));
    const county = await fileReport(rig, countyCadre("四月县管不入台账"));
    const byHand = await fileReport(
      rig,
      anonymousReport({
        title: "四月手工列入",
        subject: {
          name: "孙八",
          unit: "长沙市某局",
          position: "科员",
          managementLevel: "unknown",
          divisionCode: CITY,
        },
      }),
    );
    let l = await ledger(cityLeader, "2026-04");
    const ids = () => l.items.map((i) => i.case.id);
    expect(ids()).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids()).not.toContain(county.id);
    expect(ids()).not.toContain(byHand.id);
    const april = () => l.months.find((m) => m.month === "2026-04")!;
    // The March 呈批 case (about a 市管干部 too) is carried over, still pending.
    expect(april()).toMatchObject({ total: 3, added: 2, concluded: 0, pending: 3, closed: 0 });
    expect(l.months.find((m) => m.month === "2026-03")).toMatchObject({ total: 1, added: 1, pending: 1 });

    // By hand: the 信访室 marks it; marking twice is a conflict.
    await leader(cityDesk, byHand.id, { action: "mark" });
    await refused(cityDesk, byHand.id, { action: "mark" }, 409);
    l = await ledger(cityLeader, "2026-04");
    expect(april()).toMatchObject({ total: 4, pending: 4 });
    expect(l.items.find((i) => i.case.id === byHand.id)?.by).toBe("hand");
    expect(l.items.find((i) => i.case.id === a.id)).toMatchObject({ by: "rule", rule: "city_cadre" });

    // a is concluded in April; b stays pending: 督办批示 on b, which the city answers with respond.
    await refused(cityLeader, a.id, { action: "close" }, 409); // not concluded yet
    const t = await claim(cityDesk, a.id);
    await act(cityDesk, a.id, { action: "register", leaseToken: t });
    await act(cityDesk, a.id, { action: "dispose", leaseToken: t, disposition: "close" });
    await act(cityDesk, a.id, {
      action: "conclude",
      leaseToken: t,
      finding: "unsubstantiated",
      result: "经核查，反映问题不属实。",
    });
    await refused(cityDesk, b.id, { action: "supervise", instruction: "抓紧办理" }, 403);
    const pressed = await leader(cityLeader, b.id, {
      action: "supervise",
      instruction: "请于月底前报结果。",
    });
    expect(pressed.instructions.at(-1)).toMatchObject({
      kind: "supervision",
      instruction: "请于月底前报结果。",
    });
    const bView = await api().call(cityDesk.cookie, "GET", `/api/v1/staff/cases/${b.id}`);
    expect(bView.body.supervisions.at(-1)).toMatchObject({
      pending: true,
      note: "请于月底前报结果。",
      withinOffice: true,
    });
    expect(bView.body.allowedActions).toContain("respond");
    await refused(cityLeader, a.id, { action: "supervise", instruction: "已办结的件不督办" }, 409);

    // 销号 of a, by the leader only.
    await refused(cityDesk, a.id, { action: "close" }, 403);
    await moveTo(at("2026-04-20T10:00:00"));
    const closed = await leader(cityLeader, a.id, { action: "close" });
    expect(closed.ledger).toMatchObject({ by: "rule", closedBy: "staff:cs.leader" });
    await refused(cityLeader, a.id, { action: "close" }, 409);

    // The month-end count of April (asked for in May): 4 in the ledger, 1 concluded, 3 pending, 1 销号.
    await moveTo(at("2026-05-06T09:00:00"));
    const c2 = await fileReport(rig, cityCadre("五月市管干部"));
    l = await ledger(cityLeader, "2026-04");
    expect(april()).toEqual({ month: "2026-04", total: 4, added: 3, concluded: 1, pending: 3, closed: 1 });
    expect(ids()).not.toContain(c2.id); // arrived after April
    const may = await ledger(cityLeader, "2026-05");
    expect(may.months[0]).toEqual({
      month: "2026-05",
      total: 5,
      added: 1,
      concluded: 1,
      pending: 4,
      closed: 1,
    });
    // Other offices' staff, and roles without case work, see their own ledger or none.
    expect((await ledger(otherLeader, "2026-04")).items.map((i) => i.case.id)).not.toContain(a.id);
    const custodian = await createStaff(rig, { username: "cs.cust", office: CITY, roles: ["custodian"] });
    await expectProblem(await req(custodian, "GET", "/api/v1/staff/instructions"), leaderLedgerRoute, 403);
    await expectProblem(
      await req(cityLeader, "GET", "/api/v1/staff/instructions?month=2026-13"),
      leaderLedgerRoute,
      422,
    );
  });

  it("提级办理: the city takes up a county case; the county still sees it was pulled up", async () => {
    await moveTo(at("2026-06-01T09:00:00"));
    const c = await fileReport(rig, countyCadre("提级办理件"));
    const t = await claim(countyDesk, c.id);
    await act(countyDesk, c.id, { action: "register", leaseToken: t });
    // Only from above, and only a leader or supervisor.
    await refused(countyDesk, c.id, { action: "pull_up", reason: "本级办理" }, 403);
    await moveTo(at("2026-06-01T10:00:00"));
    await refused(otherLeader, c.id, { action: "pull_up", reason: "不是上级" }, 404);
    const up = await leader(cityLeader, c.id, { action: "pull_up", reason: "逾期未办结，提级办理" });
    expect(up.office.code).toBe(CITY);
    expect(up.pulledUp).toEqual([
      expect.objectContaining({
        from: { code: COUNTY, name: expect.any(String) },
        to: { code: CITY, name: expect.any(String) },
        reason: "逾期未办结，提级办理",
      }),
    ]);
    // The city now holds it, with its own number; the county's lease is gone.
    const cityView = await api().call(cityDesk.cookie, "GET", `/api/v1/staff/cases/${c.id}`);
    expect(cityView.status).toBe(200);
    expect(cityView.body.stage).toBe("registered");
    expect(cityView.body.numbers.map((n: { office: { code: string } }) => n.office.code)).toEqual([
      COUNTY,
      CITY,
    ]);
    // The county no longer works it, but sees that it was pulled up, and by whom.
    expect((await api().call(countyDesk.cookie, "GET", `/api/v1/staff/cases/${c.id}`)).status).toBe(404);
    const seen = await expectResponse(
      await req(countyDesk, "GET", `/api/v1/staff/cases/${c.id}/leader`),
      leaderViewRoute,
      200,
    );
    expect(seen).toMatchObject({ relation: "pulled", allowedActions: [], office: { code: CITY } });
    expect(seen.number).toMatch(/^望城/);
    expect(seen.pulledUp[0].from.code).toBe(COUNTY);
    // Public on /track: 已由上级机关提级办理.
    expect((await track(c.code)).timeline.map((e) => e.event)).toContain("pulled_up");
    // A second pull-up from the city (its own case now) is refused.
    await refused(cityLeader, c.id, { action: "pull_up", reason: "再提一次" }, 403);
  });

  it("提级审核: the county's 办结 waits for the city's approval before the reporter sees 已办结", async () => {
    await moveTo(at("2026-06-02T09:00:00"));
    const c = await fileReport(rig, realNameReport({ title: "提级审核件" }));
    const up = await leader(cityLeader, c.id, { action: "review_up", reason: "交办件提级审核" });
    expect(up.review).toEqual({ office: { code: CITY, name: expect.any(String) }, held: false });
    await refused(cityLeader, c.id, { action: "review_up", reason: "再次" }, 409);
    let t = await claim(countyDesk, c.id);
    await act(countyDesk, c.id, { action: "register", leaseToken: t });
    await act(countyDesk, c.id, { action: "dispose", leaseToken: t, disposition: "close" });
    // The city cannot decide before there is a conclusion.
    await refused(cityLeader, c.id, { action: "approve_review" }, 409);
    const concluded = await act(countyDesk, c.id, {
      action: "conclude",
      leaseToken: t,
      finding: "unsubstantiated",
      result: "不属实",
    });
    // Held: 已办结 below, no 反馈 owed (nor its clock) while the city reviews, and none may be given.
    expect(concluded.case.stage).toBe("concluded");
    expect(concluded.case.publicStatus).toBe("in_progress");
    expect(concluded.case.nextDueOn).toBeNull();
    t = await claim(countyDesk, c.id);
    const early = await api().act(countyDesk.cookie, c.id, {
      action: "feedback",
      leaseToken: t,
      method: "phone",
      body: "经核查，所反映问题不属实。",
      view: "not_stated",
    });
    expect(early.status).toBe(409);
    await act(countyDesk, c.id, { action: "release", leaseToken: t });
    // The reporter writes meanwhile: a follow-up, not an 异议 that would reopen the case around the
    // review (and let the office below answer it before the city has approved).
    const written = await rig.app.request("/api/v1/track/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: c.code, body: "请问办理进展如何？" }),
    });
    expect(written.status).toBe(201);
    const still = await api().call(countyDesk.cookie, "GET", `/api/v1/staff/cases/${c.id}`);
    expect(still.body.stage).toBe("concluded");
    t = await claim(countyDesk, c.id);
    const around = await api().act(countyDesk.cookie, c.id, {
      action: "feedback",
      leaseToken: t,
      method: "phone",
      body: "经核查，所反映问题不属实。",
      view: "not_stated",
    });
    expect(around.status).toBe(409);
    await act(countyDesk, c.id, { action: "release", leaseToken: t });
    let tr = await track(c.code);
    expect(tr.status).not.toBe("concluded");
    expect(tr.reply).toBeNull();
    // The county sees the hold on its case; only the reviewing office decides.
    const below = await expectResponse(
      await req(countyDesk, "GET", `/api/v1/staff/cases/${c.id}/leader`),
      leaderViewRoute,
      200,
    );
    expect(below.review).toMatchObject({ office: { code: CITY }, held: true });
    await refused(countyDesk, c.id, { action: "approve_review" }, 403);
    await refused(provinceLeader, c.id, { action: "approve_review" }, 403);

    // 退回重办: back to handling below; the next 办结 is held again, then approved.
    await leader(cityLeader, c.id, { action: "return_review", reason: "事实不清，请补充核查" });
    t = await claim(countyDesk, c.id);
    await act(countyDesk, c.id, {
      action: "conclude",
      leaseToken: t,
      finding: "unsubstantiated",
      result: "补充核查后不属实",
    });
    await moveTo(at("2026-06-03T09:00:00"));
    await leader(cityLeader, c.id, { action: "approve_review", note: "同意办结" });
    tr = await track(c.code);
    expect(tr.status).toBe("concluded");
    expect(tr.reply).toBeNull();
    // Approved: the real-name reporter is owed 反馈 now, 15 working days from the approval.
    const owed = await api().call(countyDesk.cookie, "GET", `/api/v1/staff/cases/${c.id}`);
    expect(owed.body.stage).toBe("awaiting_feedback");
    expect(owed.body.clocks.filter((k: { running: boolean }) => k.running)).toEqual([
      expect.objectContaining({ rule: "result_notice", startedOn: "2026-06-03", dueOn: "2026-06-25" }),
    ]);
    expect(owed.body.nextDueOn).toBe("2026-06-25");
    t = await claim(countyDesk, c.id);
    const told = await act(countyDesk, c.id, {
      action: "feedback",
      leaseToken: t,
      method: "phone",
      body: "经补充核查，所反映问题不属实。",
      view: "not_stated",
    });
    expect(told.case).toMatchObject({ stage: "concluded", nextDueOn: null });
    tr = await track(c.code);
    expect(tr.reply?.body).toBe("经补充核查，所反映问题不属实。");
    // Every step is an event on the county's case.
    const view = await api().call(countyDesk.cookie, "GET", `/api/v1/staff/cases/${c.id}`);
    const kinds = view.body.events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["review_raised", "review_returned", "review_approved"]));
    const publicKinds = view.body.events
      .filter((e: { isPublic: boolean }) => e.isPublic)
      .map((e: { kind: string }) => e.kind);
    expect(publicKinds).not.toContain("concluded");
    expect(publicKinds).toContain("review_approved");
  });
  it("an office loses its 提级审核 when the case goes to or above it, and keeps one from above through 提级办理", async () => {
    await moveTo(at("2026-06-03T09:00:00"));
    // The city reviews a county case; the county then sends it up to the city (报送).
    const c = await fileReport(rig, countyCadre("报送后的提级审核"));
    await leader(cityLeader, c.id, { action: "review_up", reason: "提级审核" });
    let t = await claim(countyDesk, c.id);
    await act(countyDesk, c.id, { action: "escalate", leaseToken: t, reason: "请上级处理" });
    const atCity = await expectResponse(
      await req(cityLeader, "GET", `/api/v1/staff/cases/${c.id}/leader`),
      leaderViewRoute,
      200,
    );
    expect(atCity.review).toBeNull();
    // Up again to the province: its conclusion reaches the reporter without the city's say.
    t = await claim(cityDesk, c.id);
    await act(cityDesk, c.id, { action: "escalate", leaseToken: t, reason: "请省纪委处理" });
    t = await claim(provinceDesk, c.id);
    await act(provinceDesk, c.id, { action: "register", leaseToken: t });
    await act(provinceDesk, c.id, { action: "dispose", leaseToken: t, disposition: "close" });
    const done = await act(provinceDesk, c.id, {
      action: "conclude",
      leaseToken: t,
      result: "不属实",
      finding: "unsubstantiated",
    });
    expect(done.case.publicStatus).toBe("concluded");
    await refused(cityLeader, c.id, { action: "return_review", reason: "退回" }, 404);
    expect((await track(c.code)).status).toBe("concluded");

    // The province reviews a county case; the city pulls it up: the province's review stays.
    const d = await fileReport(rig, countyCadre("省级提级审核后市级提级办理"));
    await leader(provinceLeader, d.id, { action: "review_up", reason: "省纪委提级审核" });
    const pulled = await leader(cityLeader, d.id, { action: "pull_up", reason: "市纪委提级办理" });
    expect(pulled.review).toMatchObject({ office: { code: PROVINCE } });
  });

  it("a ledger entry left below gives no say over a case now held above, nor its 拟办意见", async () => {
    await moveTo(at("2026-06-04T09:00:00"));
    // A 市管干部 case: a 书记阅批件 of the city by rule; the province takes it up.
    const c = await fileReport(rig, cityCadre("省纪委提级办理的书记阅批件"));
    await leader(provinceLeader, c.id, { action: "pull_up", reason: "省纪委提级办理" });
    await leader(provinceDesk, c.id, { action: "submit_instruction", proposal: "省级拟办意见：内部掌握" });
    const seen = await expectResponse(
      await req(cityLeader, "GET", `/api/v1/staff/cases/${c.id}/leader`),
      leaderViewRoute,
      200,
    );
    expect(seen.allowedActions).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain("内部掌握");
    await refused(cityLeader, c.id, { action: "supervise", instruction: "请抓紧办理" }, 403);
    await refused(cityLeader, c.id, { action: "close" }, 403);
    // The province's own view keeps its proposal.
    const own = await expectResponse(
      await req(provinceLeader, "GET", `/api/v1/staff/cases/${c.id}/leader`),
      leaderViewRoute,
      200,
    );
    expect(own.instructions.map((i) => i.proposal)).toContain("省级拟办意见：内部掌握");
  });

  it("answers 422, not 500, for a ledger month no calendar has", async () => {
    for (const month of ["0000-01", "0001-01", "0100-01", "9999-12"]) {
      expectProblem(
        await req(cityLeader, "GET", `/api/v1/staff/instructions?month=${month}`),
        leaderLedgerRoute,
        422,
      );
    }
  });
  it("prints a sent 转办单 for the sending office's case workers, not for its custodian", async () => {
    await moveTo(at("2026-06-05T09:00:00"));
    const custodian = await createStaff(rig, {
      username: "cs.custodian",
      office: CITY,
      roles: ["custodian"],
    });
    const c = await fileReport(rig, cityCadre("转送望城的件"));
    const t = await claim(cityDesk, c.id);
    await act(cityDesk, c.id, { action: "forward", leaseToken: t, office: COUNTY, note: "请依规办理" });
    const print = (actor: StaffActor) =>
      printForm({
        ctx: { deps: rig.deps, actor, requestId: "test" },
        input: { caseId: c.id, form: "transfer" },
      });
    const sheet = await print(cityDesk.actor);
    expect(JSON.stringify(sheet)).toContain("转送望城的件");
    await expect(print(custodian.actor)).rejects.toMatchObject({ status: 404 });
  });
  it("prints a 督办函 with its 文号 for the office that pressed, 404 for an office that may not see it", async () => {
    await moveTo(at("2026-06-08T09:00:00"));
    const c = await fileReport(rig, cityCadre("督办函的件"));
    const t = await claim(cityDesk, c.id);
    await act(cityDesk, c.id, { action: "register", leaseToken: t });
    // 督办 inside one office: the 信访室 presses the 承办部门 by letter.
    await act(cityDesk, c.id, { action: "supervise", method: "letter", note: "请于三日内报送办理情况" });
    const print = (actor: StaffActor) =>
      printForm({
        ctx: { deps: rig.deps, actor, requestId: "test" },
        input: { caseId: c.id, form: "supervision" },
      });
    const sheet = await print(cityDesk.actor);
    if (sheet.form !== "supervision") throw new Error(`not a 督办函: ${sheet.form}`);
    expect(sheet.supervision.documentNumber).toMatch(/^长沙纪督〔2026〕\d+号$/);
    expect(sheet.supervision).toMatchObject({ method: "letter", note: "请于三日内报送办理情况" });
    expect(sheet.supervision.to.code).toBe(CITY);
    await expect(print(countyDesk.actor)).rejects.toMatchObject({ status: 404 });
  });
});
