// Issue 10 §5 through the API: 信访件编号 per office and year (gapless under concurrency), the
// sending office's 转送/交办 ledger, 督办 with its type and the supervised office's reply (from
// above and inside one office), a merged repeat on /track, and unread 补充材料.
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { trackRoute } from "../../api/routes/public";
import { caseRoute, myCasesRoute } from "../../api/routes/staff-cases";
import {
  followUpsRoute,
  markReadRoute,
  sentLedgerRoute,
  supervisionsRoute,
} from "../../api/routes/staff-ledgers";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { caseNumberCounters, caseNumbers } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区, below 长沙市
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

type Staff = { actor: StaffActor; cookie: string };

const cityReport = (title = "反映赵六违规审批问题") =>
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

describe.each(dbKinds())("the offices' ledgers on %s", (kind) => {
  let rig: TestRig;
  let now = at("2026-03-02T09:00:00");
  let city: Staff;
  let cityIntake: Staff;
  let citySup: Staff;
  let cityCustodian: Staff;
  let county: Staff;
  let provinceSup: Staff;

  const api = () => staffCalls((p, i) => rig.app.request(p, i));
  const call = (cookie: string, method: string, path: string, body?: unknown) =>
    api().call(cookie, method, path, body);
  const claim = (who: Staff, id: string) => api().claimById(who.cookie, id);
  const act = async (who: Staff, id: string, body: Record<string, unknown>, status = 200) => {
    const r = await api().act(who.cookie, id, body);
    expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(status);
    return r.body;
  };
  const view = async (who: Staff, id: string) => {
    const r = await call(who.cookie, "GET", `/api/v1/staff/cases/${id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };
  const file = (report: Record<string, unknown>) => fileReport(rig, report);
  const track = async (trackingCode: string) => {
    const res = await rig.app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode }),
    });
    return expectResponse(res, trackRoute, 200);
  };

  // Sessions end after a day at most: moving the clock by days signs everyone in afresh (same
  // staff, so the leases they hold stay theirs).
  const everyone: Staff[] = [];
  const moveTo = async (t: Date) => {
    now = t;
    for (const who of everyone)
      who.cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, who.actor.id)}`;
  };

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "100000" }, dbMax: 20 });
    city = await createStaff(rig, { username: "cs.all", office: CITY, roles: ["intake", "handler"] });
    cityIntake = await createStaff(rig, { username: "cs.intake", office: CITY, roles: ["intake"] });
    citySup = await createStaff(rig, { username: "cs.sup", office: CITY, roles: ["supervisor"] });
    cityCustodian = await createStaff(rig, { username: "cs.cust", office: CITY, roles: ["custodian"] });
    county = await createStaff(rig, { username: "wc.all", office: COUNTY, roles: ["intake", "handler"] });
    provinceSup = await createStaff(rig, { username: "hn.sup", office: PROVINCE, roles: ["supervisor"] });
    everyone.push(city, cityIntake, citySup, cityCustodian, county, provinceSup);
  });
  afterAll(async () => rig?.destroy());

  it("numbers each office's 信访件 per year from 1, and a receiver gives a case its own number", async () => {
    await moveTo(at("2026-03-02T09:00:00"));
    const a = await file(cityReport("第一件"));
    const b = await file(cityReport("第二件"));
    expect((await view(city, a.id)).number).toBe("长沙〔2026〕第1号");
    expect((await view(city, b.id)).number).toBe("长沙〔2026〕第2号");
    // The staff lists show it too.
    const token = await claim(city, b.id);
    const mine = await call(city.cookie, "GET", "/api/v1/staff/cases/mine");
    expect(mine.body.cases.find((c: { id: string }) => c.id === b.id).number).toBe("长沙〔2026〕第2号");

    // 转送 to 望城区: the county's own first number; the city's stays on the case's record.
    const sent = await act(city, b.id, { action: "forward", leaseToken: token, office: COUNTY });
    expect(sent.case.number).toBe("望城〔2026〕第1号");
    const seen = await view(county, b.id);
    expect(seen.number).toBe("望城〔2026〕第1号");
    expect(seen.numbers.map((n: { number: string }) => n.number)).toEqual([
      "长沙〔2026〕第2号",
      "望城〔2026〕第1号",
    ]);
    // 退回: back at the city it is again 长沙〔2026〕第2号, and no number is drawn.
    const back = await act(county, b.id, {
      action: "return",
      leaseToken: await claim(county, b.id),
      reason: "不属本机关管辖",
    });
    expect(back.case.number).toBe("长沙〔2026〕第2号");
    // A new year starts again at 1.
    await moveTo(at("2027-01-04T09:00:00"));
    const c = await file(cityReport("新年第一件"));
    expect((await view(city, c.id)).number).toBe("长沙〔2027〕第1号");
    await moveTo(at("2026-03-02T09:00:00"));
    const counters = await rig.deps.db
      .select()
      .from(caseNumberCounters)
      .where(eq(caseNumberCounters.officeCode, CITY));
    expect(counters.map((k) => [k.year, k.lastSeq]).sort()).toEqual([
      [2026, 2],
      [2027, 1],
    ]);
  });

  it.runIf(kind === "postgres")(
    "gives concurrent submissions to one office numbers without gap or duplicate (files or not)",
    async () => {
      await moveTo(at("2026-03-02T09:00:00"));
      const [{ n: before }] = await rig.deps.db
        .select({ n: caseNumberCounters.lastSeq })
        .from(caseNumberCounters)
        .where(eq(caseNumberCounters.officeCode, COUNTY));
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
        .png()
        .toBuffer();
      const report = anonymousReport({
        subject: {
          name: "钱七",
          unit: "望城区某局",
          position: "局长",
          managementLevel: "county",
          divisionCode: COUNTY,
        },
      });
      const one = (i: number) => {
        if (i % 5 !== 0) {
          return rig.app.request("/api/v1/reports", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ ...report, title: `并发第${i}件` }),
          });
        }
        const form = new FormData();
        form.set("report", JSON.stringify({ ...report, title: `并发第${i}件` }));
        form.append("files", new Blob([new Uint8Array(png)], { type: "image/png" }), "现场.png");
        return rig.app.request("/api/v1/reports", { method: "POST", body: form });
      };
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => one(i)));
      expect(answers.map((r) => r.status)).toEqual(Array(30).fill(201));
      const rows = await rig.deps.db.select().from(caseNumbers).where(eq(caseNumbers.officeCode, COUNTY));
      const seqs = rows
        .filter((r) => r.year === 2026)
        .map((r) => r.seq)
        .sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: before + 30 }, (_, i) => i + 1));
      const [{ n: after }] = await rig.deps.db
        .select({ n: caseNumberCounters.lastSeq })
        .from(caseNumberCounters)
        .where(eq(caseNumberCounters.officeCode, COUNTY));
      expect(after).toBe(before + 30);
    },
  );

  it("keeps the sending office's 转送/交办 ledger: 签收, 受理, overdue first, for intake staff without the supervisor role", async () => {
    await moveTo(at("2026-03-02T09:00:00"));
    const x = await file(cityReport("转送后受理"));
    const y = await file(cityReport("转送后无人签收"));
    const z = await file(cityReport("交办件"));
    await moveTo(at("2026-03-02T10:00:00"));
    await act(city, x.id, { action: "forward", leaseToken: await claim(city, x.id), office: COUNTY });
    await act(city, y.id, { action: "forward", leaseToken: await claim(city, y.id), office: COUNTY });
    await act(cityIntake, z.id, {
      action: "assign",
      leaseToken: await claim(cityIntake, z.id),
      office: COUNTY,
      dueDate: "2026-04-30",
    });

    let ledger = await call(cityIntake.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(ledger.status).toBe(200);
    const item = (id: string) => ledger.body.items.find((i: { case: { id: string } }) => i.case.id === id);
    expect(item(x.id)).toMatchObject({
      kind: "forwarded",
      to: { code: COUNTY, name: "望城区纪委监委" },
      dueOn: "2026-03-09",
      state: "pending",
      overdue: null,
      sentBy: "staff:cs.all",
      case: { canOpen: false, stage: "received", office: { code: COUNTY } },
    });
    expect(item(x.id).case.number).toMatch(/^长沙〔2026〕第\d+号$/);
    expect(item(x.id).case.receiverNumber).toMatch(/^望城〔2026〕第\d+号$/);
    expect(item(z.id)).toMatchObject({
      kind: "assigned",
      reportDueOn: "2026-04-30",
      sentBy: "staff:cs.intake",
    });

    // The county 签收s x (claims it), then 受理s it.
    await moveTo(at("2026-03-03T09:00:00"));
    const t = await claim(county, x.id);
    ledger = await call(city.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(item(x.id)).toMatchObject({ state: "claimed", claimedAt: now.toISOString(), registeredAt: null });
    await act(county, x.id, { action: "register", leaseToken: t });
    ledger = await call(city.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(item(x.id)).toMatchObject({ state: "registered", registeredAt: now.toISOString() });

    // 2026-03-10: y is past its 5 working days without 受理: overdue, listed first.
    await moveTo(at("2026-03-10T09:00:00"));
    ledger = await call(city.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(ledger.body.today).toBe("2026-03-10");
    expect(item(y.id)).toMatchObject({ state: "pending", overdue: "receipt" });
    expect(item(x.id).overdue).toBeNull();
    expect(ledger.body.items[0].overdue).not.toBeNull();
    const firstOk = ledger.body.items.findIndex((i: { overdue: string | null }) => i.overdue === null);
    expect(
      ledger.body.items.slice(firstOk).every((i: { overdue: string | null }) => i.overdue === null),
    ).toBe(true);
    // The county declines y: it closes (不予受理) and is no longer overdue; ?open=1 leaves it out.
    await act(county, y.id, {
      action: "decline",
      leaseToken: await claim(county, y.id),
      reason: "不属受理范围",
      guidance: "请向人民法院起诉",
    });
    ledger = await call(city.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(item(y.id)).toMatchObject({ state: "closed", closedKind: "declined", overdue: null });
    const open = await call(city.cookie, "GET", "/api/v1/staff/ledger/sent?open=1");
    expect(open.body.items.map((i: { case: { id: string } }) => i.case.id)).not.toContain(y.id);
    // The receiver's ledger is its own: nothing the city sent is in the county's.
    const countyLedger = await call(county.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(countyLedger.body.items.map((i: { case: { id: string } }) => i.case.id)).not.toContain(x.id);
    // A supervisor above may open the case; a custodian has no ledger.
    const supLedger = await call(citySup.cookie, "GET", "/api/v1/staff/ledger/sent");
    expect(supLedger.body.items.find((i: { case: { id: string } }) => i.case.id === x.id).case.canOpen).toBe(
      true,
    );
    expect((await call(cityCustodian.cookie, "GET", "/api/v1/staff/ledger/sent")).status).toBe(403);
    await moveTo(at("2026-03-02T09:00:00"));
  });

  it("records 督办's type and wants the supervised office's reply, from above and inside one office", async () => {
    await moveTo(at("2026-03-02T09:00:00"));
    const s = await file(cityReport("督办件"));
    const token = await claim(city, s.id);
    await act(city, s.id, { action: "forward", leaseToken: token, office: COUNTY });
    // Overdue at the county (5 working days passed): the city supervisor presses it.
    await moveTo(at("2026-03-12T09:00:00"));
    const missing = await call(citySup.cookie, "POST", `/api/v1/staff/cases/${s.id}/actions`, {
      action: "supervise",
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]).toMatchObject({ path: "method", code: "required" });
    const pressed = await act(citySup, s.id, {
      action: "supervise",
      method: "letter",
      note: "请于两日内受理",
    });
    expect(pressed.case.office.code).toBe(COUNTY);
    const sent = await call(citySup.cookie, "GET", "/api/v1/staff/supervisions?direction=sent");
    expect(sent.body.supervisions[0]).toMatchObject({
      method: "letter",
      note: "请于两日内受理",
      byOffice: { code: CITY },
      toOffice: { code: COUNTY },
      withinOffice: false,
      pending: true,
      reply: null,
      case: { id: s.id },
    });
    expect(sent.body.supervisions[0].case.number).toMatch(/^望城〔2026〕第\d+号$/);
    const received = await call(county.cookie, "GET", "/api/v1/staff/supervisions");
    expect(
      received.body.supervisions.map((v: { case: { id: string }; pending: boolean }) => [
        v.case.id,
        v.pending,
      ]),
    ).toContainEqual([s.id, true]);
    let seen = await view(county, s.id);
    expect(seen.supervisions).toHaveLength(1);
    expect(seen.allowedActions).toContain("respond");
    // The county answers; pending no more on either side.
    const ct = await claim(county, s.id);
    await act(county, s.id, { action: "respond", leaseToken: ct, answer: "已登记受理，三日内报告进展" });
    seen = await view(county, s.id);
    expect(seen.supervisions[0]).toMatchObject({
      pending: false,
      reply: { body: "已登记受理，三日内报告进展", by: "staff:wc.all" },
    });
    expect(seen.allowedActions).not.toContain("respond");
    expect(seen.events.at(-1)).toMatchObject({ kind: "supervision_replied", isPublic: false });
    const after = await call(citySup.cookie, "GET", "/api/v1/staff/supervisions?direction=sent");
    expect(after.body.supervisions.find((v: { case: { id: string } }) => v.case.id === s.id).pending).toBe(
      false,
    );
    // Nothing left to answer: 409.
    await act(county, s.id, { action: "respond", leaseToken: ct, answer: "再次回复" }, 409);

    // Inside one office: the county's 信访室 presses its own 承办部门 on a handling case, not overdue.
    await moveTo(at("2026-03-12T10:00:00"));
    const ct2 = await claim(county, s.id);
    await act(county, s.id, { action: "register", leaseToken: ct2 });
    await act(county, s.id, { action: "transfer", leaseToken: ct2, department: "第二纪检监察室" });
    await act(county, s.id, { action: "dispose", leaseToken: ct2, disposition: "preliminary_verification" });
    await act(county, s.id, { action: "release", leaseToken: ct2 });
    const countyIntake = await createStaff(rig, { username: "wc.intake", office: COUNTY, roles: ["intake"] });
    await act(countyIntake, s.id, { action: "supervise", method: "phone" });
    seen = await view(county, s.id);
    expect(seen.supervisions[1]).toMatchObject({
      method: "phone",
      withinOffice: true,
      department: "第二纪检监察室",
      byOffice: { code: COUNTY },
      toOffice: { code: COUNTY },
      pending: true,
    });
    expect(seen.events.at(-1)).toMatchObject({
      kind: "supervised",
      data: { withinOffice: true, department: "第二纪检监察室" },
    });
    // A province supervisor two levels up may not press a case that is not overdue.
    await act(provinceSup, s.id, { action: "supervise", method: "onsite" }, 409);
    await act(county, s.id, {
      action: "respond",
      leaseToken: await claim(county, s.id),
      answer: "正在初核，下周报结果",
    });
    expect((await view(county, s.id)).supervisions.every((v: { pending: boolean }) => !v.pending)).toBe(true);
    await moveTo(at("2026-03-02T09:00:00"));
  });

  it("tells a merged repeat's reporter 已并案办理 and the joined case's status; the kept case lists its repeats", async () => {
    await moveTo(at("2026-03-02T09:00:00"));
    const kept = await file(cityReport("首次反映"));
    const repeat = await file(cityReport("重复反映"));
    const keptNumber = (await view(city, kept.id)).number as string;
    const kt = await claim(city, kept.id);
    await act(city, kept.id, { action: "register", leaseToken: kt });
    // The repeat is merged by the kept case's 信访件编号, as staff read it.
    const rt = await claim(city, repeat.id);
    const bad = await call(city.cookie, "POST", `/api/v1/staff/cases/${repeat.id}/actions`, {
      action: "merge",
      leaseToken: rt,
      caseId: "长沙〔2026〕第9999号",
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ path: "caseId", code: "caseId.unknown" });
    await act(city, repeat.id, {
      action: "merge",
      leaseToken: rt,
      caseId: keptNumber.replace("〔", "[").replace("〕", "]"),
    });

    let t = await track(repeat.code);
    expect(t.merged).toEqual({ at: now.toISOString() });
    expect(t.status).toBe("accepted");
    expect(t.statusLabel).toBe("已受理");
    expect(t.timeline.map((e: { event: string }) => e.event)).toEqual(["received", "merged"]);
    expect(t.timeline[1].label).toBe("已并案办理");
    const keptView = await view(city, kept.id);
    // (The other reports of this file about 赵六 are likely repeats too: the ones merged here are marked.)
    expect(keptView.repeats.filter((r: { mergedIntoThis: boolean }) => r.mergedIntoThis)).toEqual([
      expect.objectContaining({
        id: repeat.id,
        title: "重复反映",
        number: (await view(city, repeat.id)).number,
      }),
    ]);
    expect((await view(city, repeat.id)).joined).toEqual({
      id: kept.id,
      number: keptNumber,
      title: "首次反映",
      office: { code: CITY, name: "长沙市纪委监委" },
    });
    expect((await view(city, repeat.id)).events.at(-1).data.intoNumber).toBe(keptNumber);

    // The kept case concludes: the repeat's reporter sees 已办结, but not the reply meant for another.
    await act(city, kept.id, { action: "dispose", leaseToken: kt, disposition: "close" });
    await act(city, kept.id, {
      action: "conclude",
      leaseToken: kt,
      finding: "unsubstantiated",
      result: "予以了结",
    });
    t = await track(repeat.code);
    expect(t.status).toBe("concluded");
    expect(t.reply).toBeNull();
    expect((await track(kept.code)).merged).toBeNull();
  });

  it("keeps the reporter's 补充材料 unread on the case and in the office's list until marked read", async () => {
    await moveTo(at("2026-03-02T09:00:00"));
    const f = await file(cityReport("补充材料件"));
    const add = async (body: string) => {
      const res = await rig.app.request("/api/v1/track/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode: f.code, body }),
      });
      expect(res.status).toBe(201);
    };
    await add("补充：相关合同复印件已邮寄。");
    await moveTo(at("2026-03-02T11:00:00"));
    await add("再补充：审批时间为2025年5月。");
    let seen = await view(city, f.id);
    expect(seen.unreadMessages).toBe(2);
    expect(seen.messages.map((m: { read: boolean }) => m.read)).toEqual([false, false]);
    let list = await call(cityIntake.cookie, "GET", "/api/v1/staff/follow-ups");
    const entry = list.body.cases.find((c: { case: { id: string } }) => c.case.id === f.id);
    expect(entry).toMatchObject({ unread: 2, lastAt: now.toISOString(), case: { number: seen.number } });
    // Another office's staff and a supervisor above do not take it off the list.
    const read = (who: Staff, body: unknown) =>
      call(who.cookie, "POST", `/api/v1/staff/cases/${f.id}/messages/read`, body);
    const upTo = { upTo: now.toISOString() };
    expect((await read(county, upTo)).status).toBe(404);
    expect((await read(provinceSup, upTo)).status).toBe(403);
    const none = await read(cityIntake, {});
    expect(none.status).toBe(422);
    expect(none.body.errors[0]).toMatchObject({ path: "upTo", code: "required" });
    // Only what the caller was shown: up to the first message, the second stays unread.
    expect((await read(cityIntake, { upTo: seen.messages[0].at })).body).toEqual({ marked: 1 });
    expect((await view(city, f.id)).unreadMessages).toBe(1);
    expect(
      (await call(county.cookie, "GET", "/api/v1/staff/follow-ups")).body.cases.map(
        (c: { case: { id: string } }) => c.case.id,
      ),
    ).not.toContain(f.id);
    // Marked read by a staff member of the office: gone from the list, read on the case.
    expect(await read(cityIntake, upTo)).toMatchObject({ status: 200, body: { marked: 1 } });
    seen = await view(city, f.id);
    expect(seen.unreadMessages).toBe(0);
    list = await call(city.cookie, "GET", "/api/v1/staff/follow-ups");
    expect(list.body.cases.map((c: { case: { id: string } }) => c.case.id)).not.toContain(f.id);
    // A new message is unread again.
    await add("第三次补充。");
    expect((await view(city, f.id)).unreadMessages).toBe(1);
    await moveTo(at("2026-03-02T09:00:00"));
  });

  it("answers as the routes declare (numbers, ledger, 督办, repeats, read marks, merged repeats)", async () => {
    const get = (who: Staff, path: string) =>
      rig.app.request(path, { headers: { cookie: who.cookie, origin: "http://localhost" } });
    await expectResponse(await get(city, "/api/v1/staff/ledger/sent"), sentLedgerRoute, 200);
    await expectResponse(await get(city, "/api/v1/staff/ledger/sent?open=1"), sentLedgerRoute, 200);
    await expectResponse(
      await get(citySup, "/api/v1/staff/supervisions?direction=sent"),
      supervisionsRoute,
      200,
    );
    await expectResponse(await get(county, "/api/v1/staff/supervisions"), supervisionsRoute, 200);
    await expectResponse(await get(city, "/api/v1/staff/follow-ups"), followUpsRoute, 200);
    await expectProblem(await get(cityCustodian, "/api/v1/staff/follow-ups"), followUpsRoute, 403);
    const mine = await expectResponse(await get(city, "/api/v1/staff/cases/mine"), myCasesRoute, 200);
    for (const c of mine.cases.slice(0, 3)) {
      await expectResponse(await get(city, `/api/v1/staff/cases/${c.id}`), caseRoute, 200);
    }
    const f = await file(cityReport("声明的回答"));
    const res = await rig.app.request(`/api/v1/staff/cases/${f.id}/messages/read`, {
      method: "POST",
      headers: { cookie: city.cookie, origin: "http://localhost", "content-type": "application/json" },
      body: JSON.stringify({ upTo: now.toISOString() }),
    });
    expect(await expectResponse(res, markReadRoute, 200)).toEqual({ marked: 0 });
  });
});
