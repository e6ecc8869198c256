// Issue 12 §4 through the API: the five-year history of a person reported (党风廉政意见回复). Cases
// filed through the public API at the province, a city and a county office about one 刘建军 of 望城区
// 交通运输局, written with full-width characters, spaces inside the name and the unit abbreviated;
// another 刘 at the same unit, the same name at another unit (a possible match only), a case
// older than five years, and a misspelt mention that counts once staff link it. Role, purpose and
// requester checks (422 records nothing), the audit row, the ID number never stored or logged.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idNumberCheckChar } from "../../api/domain/id-number";
import {
  createPersonRoute,
  linkRoute,
  personHistoryReadRoute,
  personHistoryRoute,
  unlinkRoute,
} from "../../api/routes/staff-persons";
import { auditLog, cases, personHistoryRequests, personLinks, persons } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { createStaff, staffHeaders } from "../helpers/staff";
import { claimThenAct, fileReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区
const YUELU = "430104"; // 岳麓区
const ID_17 = "43012219750310123";
const ID_NUMBER = ID_17 + idNumberCheckChar(ID_17);

const report = (
  name: string,
  unit: string,
  level: "province" | "city" | "county",
  title: string,
  division = COUNTY,
) => ({
  type: "accusation",
  realName: false,
  subject: { name, unit, position: "局长", managementLevel: level, divisionCode: division },
  category: "integrity",
  title,
  body: `${title}。请组织调查核实。`,
});

describe.each(dbKinds())("person history (人员信访史) on %s", (kind) => {
  let rig: TestRig;
  let now = new Date("2020-01-15T02:00:00Z");
  let replier: { cookie: string; id: string };
  let countyStaff: { cookie: string };
  let cityStaff: { cookie: string };
  let supervisor: { cookie: string };
  let plain: { cookie: string };
  const ids: Record<string, string> = {};
  const api = () => staffCalls((p, i) => rig.app.request(p, i));

  const search = (cookie: string, body: Record<string, unknown>) =>
    rig.app.request("/api/v1/staff/person-history", {
      method: "POST",
      headers: staffHeaders(cookie),
      body: JSON.stringify(body),
    });
  const ASK = {
    name: "刘建军",
    unit: "望城区交通运输局",
    purpose: "拟提拔考察，征求党风廉政意见",
    requester: "省委组织部干部一处",
    reference: "湘组干函〔2026〕158号",
  };
  const counts = async () => {
    const n = async (
      t: typeof auditLog | typeof personHistoryRequests | typeof persons | typeof personLinks,
    ) => (await rig.deps.db.select({ n: sql<number>`count(*)::int` }).from(t))[0].n;
    return {
      audit: await n(auditLog),
      requests: await n(personHistoryRequests),
      persons: await n(persons),
      links: await n(personLinks),
    };
  };

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now });
    // More than five years before the search: not in the history.
    ids.old = (await fileReport(rig, report("刘建军", "望城区交通运输局", "county", "2019年工程款问题"))).id;
    now = new Date("2025-06-10T02:00:00Z");
    ids.province = (
      await fileReport(rig, report("刘建军", "长沙市望城区交通运输局", "province", "违规收受礼金", CITY))
    ).id;
    ids.city = (await fileReport(rig, report("刘 建军", "望城区交通局", "city", "公车私用"))).id;
    ids.county = (
      await fileReport(rig, report("刘　建　军（局长）", "望城区交通运输局", "county", "违规发放补贴"))
    ).id;
    ids.otherLiu = (await fileReport(rig, report("刘建国", "望城区交通运输局", "county", "违规发放补贴"))).id;
    ids.otherUnit = (await fileReport(rig, report("刘建军", "岳麓区教育局", "county", "违规招生", YUELU))).id;
    ids.misspelt = (await fileReport(rig, report("刘健军", "望城区交通运输局", "county", "违规占用公房"))).id;
    now = new Date("2026-03-02T02:00:00Z");

    const r = await createStaff(rig, { username: "sw.reply", office: PROVINCE, roles: ["integrity_reply"] });
    replier = { cookie: r.cookie, id: r.actor.id };
    countyStaff = await createStaff(rig, {
      username: "wc.all",
      office: COUNTY,
      roles: ["intake", "handler"],
    });
    cityStaff = await createStaff(rig, { username: "cs.all", office: CITY, roles: ["intake", "handler"] });
    supervisor = await createStaff(rig, { username: "cs.sup", office: CITY, roles: ["supervisor"] });
    plain = await createStaff(rig, {
      username: "sw.handler",
      office: PROVINCE,
      roles: ["intake", "handler"],
    });
    // The county concludes its case: the history shows the disposition and the outcome.
    await claimThenAct(
      api(),
      countyStaff.cookie,
      [
        { action: "register" },
        { action: "dispose", disposition: "preliminary_verification" },
        { action: "conclude", finding: "partly", result: "部分属实，已责令退还补贴" },
      ],
      { id: ids.county },
    );
  });
  afterAll(async () => rig?.destroy());

  it("stores the cases where the routing sends them: province, city, county", async () => {
    const office = async (id: string) =>
      (await rig.deps.db.select({ o: cases.officeCode }).from(cases).where(eq(cases.id, id)))[0].o;
    expect(await office(ids.province)).toBe(PROVINCE);
    expect(await office(ids.city)).toBe(CITY);
    expect(await office(ids.county)).toBe(COUNTY);
  });

  it("answers 403 without the integrity_reply role, and records nothing", async () => {
    const before = await counts();
    for (const who of [plain, supervisor, countyStaff]) {
      const p = await expectProblem(await search(who.cookie, ASK), personHistoryRoute, 403);
      expect(p.detail).toContain("integrity_reply");
    }
    expect(await counts()).toEqual(before);
  });

  it("answers 422 without purpose or requester, and writes nothing at all", async () => {
    const before = await counts();
    for (const body of [
      { ...ASK, purpose: undefined },
      { ...ASK, requester: undefined },
      { ...ASK, purpose: "  ", requester: "" },
      { ...ASK, purpose: "查", requester: "某" },
      // Invisible or blank-looking characters are no purpose (red team, 2026-12-02).
      { ...ASK, purpose: "\u200b\u200b\u200b\u200b", requester: "\u200b\u200b" },
      { ...ASK, purpose: "⠀⠀⠀⠀", requester: "ㅤㅤ" },
      { ...ASK, purpose: "\u2060\ufeff\u3000\u00a0", requester: "\u200d\u200c" },
    ]) {
      const p = await expectProblem(await search(replier.cookie, body), personHistoryRoute, 422);
      const paths = p.errors!.map((e) => e.path).sort();
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(["purpose", "requester"]).toContain(path);
    }
    const both = await expectProblem(
      await search(replier.cookie, { name: ASK.name, unit: ASK.unit }),
      personHistoryRoute,
      422,
    );
    expect(both.errors!.map((e) => [e.path, e.code])).toEqual([
      ["purpose", "required"],
      ["requester", "required"],
    ]);
    // A bad ID number, a name that reads as no one: refused too, and the number is not echoed.
    const bad = await search(replier.cookie, { ...ASK, name: "刘", idNumber: "430122197503101230" });
    const badText = await bad.clone().text();
    await expectProblem(bad, personHistoryRoute, 422);
    expect(badText).not.toContain("430122197503101230");
    expect(await counts()).toEqual(before);
  });

  it("finds every case about the person across offices, spelled any way, and nothing else", async () => {
    const body = await expectResponse(await search(replier.cookie, ASK), personHistoryRoute, 200);
    const got = body.history.map((c) => c.id);
    expect(new Set(got)).toEqual(new Set([ids.province, ids.city, ids.county]));
    // Newest first (all three were filed at the same instant here: the order is stable).
    expect(body.history.map((c) => c.office.code).sort()).toEqual([PROVINCE, CITY, COUNTY].sort());
    for (const c of body.history) expect(c.why).toBe("name_and_unit");
    // The other 刘 and the case older than five years are in neither list; 刘建军 of 岳麓区教育局 is
    // only a possible match.
    const all = [...body.history, ...body.possible].map((c) => c.id);
    for (const id of [ids.otherLiu, ids.old, ids.misspelt]) expect(all).not.toContain(id);
    expect(body.possible.map((c) => [c.id, c.why])).toEqual([[ids.otherUnit, "same_name_other_unit"]]);
    // Disposition and outcome of the concluded case; the others are still open.
    const county = body.history.find((c) => c.id === ids.county)!;
    expect(county.disposition).toBe("preliminary_verification");
    expect(county.outcome).toEqual({
      finding: "partly",
      result: "部分属实，已责令退还补贴",
      concludedOn: "2026-03-02",
    });
    expect(county.stage).toBe("concluded");
    expect(body.history.find((c) => c.id === ids.city)!.outcome).toBeNull();
    expect(body.request.windowFrom).toBe("2021-03-02");
    expect(body.draftUrl).toBe(`/staff/person-history/${body.request.id}/draft`);
    expect(body.persons).toEqual([]);
  });

  it("audits the search with purpose, requester, reference and query, numbers masked, the ID number nowhere", async () => {
    const phone = "13912345678";
    const res = await search(replier.cookie, {
      ...ASK,
      name: " 刘建军 ",
      unit: "望城区交通局",
      idNumber: ID_NUMBER,
      purpose: `拟任职考察（举报人来电 ${phone} 提及）`,
    });
    const body = await expectResponse(res, personHistoryRoute, 200);
    expect(body.history).toHaveLength(3);
    expect(body.request.idGiven).toBe(true);
    const [row] = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "person_history.search"))
      .orderBy(sql`${auditLog.seq} desc`)
      .limit(1);
    expect(row.actor).toBe("staff:sw.reply");
    expect(row.reason).toBe("拟任职考察（举报人来电 〔已隐去〕 提及）");
    expect(row.data).toEqual({
      request: body.request.id,
      office: PROVINCE,
      requester: "省委组织部干部一处",
      reference: "湘组干函〔2026〕158号",
      query: { name: "刘建军", unit: "望城区交通局", idNumberGiven: true },
      windowFrom: "2021-03-02",
      persons: [],
      history: body.history.map((c) => c.id),
      possible: [ids.otherUnit],
      truncated: false,
    });
    // The ID number and the phone are in no table and no log line.
    const dump = JSON.stringify(
      await rig.deps.db.execute(sql`select row_to_json(t)::text as j from person_history_requests t`),
    );
    const audit = JSON.stringify(await rig.deps.db.select().from(auditLog));
    for (const text of [dump, audit, rig.logs.join("\n")]) {
      expect(text).not.toContain(ID_NUMBER);
      expect(text).not.toContain(phone);
    }
  });

  it("counts a misspelt mention once staff link it, and stops when it is unlinked", async () => {
    // The person record, with the ID number as a keyed hash only.
    const created = await rig.app.request("/api/v1/staff/persons", {
      method: "POST",
      headers: staffHeaders(replier.cookie),
      body: JSON.stringify({ name: "刘建军", unit: "长沙市望城区交通运输局", idNumber: ID_NUMBER }),
    });
    const { person } = await expectResponse(created, createPersonRoute, 201);
    expect(person.hasIdNumber).toBe(true);
    const [stored] = await rig.deps.db.select().from(persons).where(eq(persons.id, person.id));
    expect(stored.idHash).toHaveLength(32);
    expect(Buffer.from(stored.idHash!).toString("hex")).not.toContain(Buffer.from(ID_NUMBER).toString("hex"));
    // A second record with the same ID number is refused.
    const again = await rig.app.request("/api/v1/staff/persons", {
      method: "POST",
      headers: staffHeaders(replier.cookie),
      body: JSON.stringify({ name: "刘建军", unit: "别处", idNumber: ID_NUMBER }),
    });
    await expectProblem(again, createPersonRoute, 409);

    const link = (cookie: string, caseId: string) =>
      rig.app.request(`/api/v1/staff/persons/${person.id}/links`, {
        method: "POST",
        headers: staffHeaders(cookie),
        body: JSON.stringify({ caseId }),
      });
    const linked = await expectResponse(await link(replier.cookie, ids.misspelt), linkRoute, 201);
    expect(linked.link).toMatchObject({ personId: person.id, caseId: ids.misspelt, linkedBy: "sw.reply" });
    // Linking again is the same link.
    await expectResponse(await link(replier.cookie, ids.misspelt), linkRoute, 200);

    const body = await expectResponse(await search(replier.cookie, ASK), personHistoryRoute, 200);
    expect(body.persons.map((p) => p.id)).toEqual([person.id]);
    const mis = body.history.find((c) => c.id === ids.misspelt);
    expect(mis).toMatchObject({ why: "linked", linkedTo: person.id });
    expect(body.history).toHaveLength(4);
    // Found by the ID number alone too, whatever name and unit the request writes.
    const byId = await expectResponse(
      await search(replier.cookie, { ...ASK, name: "刘健军", unit: "交通局", idNumber: ID_NUMBER }),
      personHistoryRoute,
      200,
    );
    expect(byId.history.map((c) => c.id)).toContain(ids.misspelt);

    const audits = await rig.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "person.link"), eq(auditLog.caseId, ids.misspelt)));
    expect(audits).toHaveLength(1);
    expect(audits[0].data).toEqual({ person: person.id, office: COUNTY });

    const un = await rig.app.request(`/api/v1/staff/persons/${person.id}/links/${ids.misspelt}`, {
      method: "DELETE",
      headers: staffHeaders(replier.cookie),
    });
    const gone = await expectResponse(un, unlinkRoute, 200);
    expect(gone.link.unlinkedBy).toBe("sw.reply");
    const after = await expectResponse(await search(replier.cookie, ASK), personHistoryRoute, 200);
    expect(after.history.map((c) => c.id)).not.toContain(ids.misspelt);
    // The recorded search read again sorts its cases afresh: the unlink shows there too.
    const reread = await rig.app.request(`/api/v1/staff/person-history/${body.request.id}`, {
      headers: { cookie: replier.cookie },
    });
    const old = await expectResponse(reread, personHistoryReadRoute, 200);
    expect(old.history.map((c) => c.id)).not.toContain(ids.misspelt);
    expect(old.history).toHaveLength(3);
  });

  it("lets only integrity_reply staff make person records and links", async () => {
    const create = (cookie: string, body: Record<string, string>) =>
      rig.app.request("/api/v1/staff/persons", {
        method: "POST",
        headers: staffHeaders(cookie),
        body: JSON.stringify(body),
      });
    // Handlers of the case's own office do not decide who its subject is either: a link takes a
    // case out of another person's history, and an ID number on a record answers whether the
    // province holds it (red team, 2026-12-02).
    const before = await counts();
    await expectProblem(
      await create(countyStaff.cookie, { name: "刘健军", unit: "望城区交通运输局" }),
      createPersonRoute,
      403,
    );
    await expectProblem(
      await create(countyStaff.cookie, { name: "某某", unit: "y", idNumber: "430102199003071234" }),
      createPersonRoute,
      403,
    );
    expect(await counts()).toEqual(before);
    const { person } = await expectResponse(
      await create(replier.cookie, { name: "刘健军", unit: "望城区交通运输局" }),
      createPersonRoute,
      201,
    );
    const link = (cookie: string, caseId: string) =>
      rig.app.request(`/api/v1/staff/persons/${person.id}/links`, {
        method: "POST",
        headers: staffHeaders(cookie),
        body: JSON.stringify({ caseId }),
      });
    // The county's own case, from the county's handler: no.
    await expectProblem(await link(countyStaff.cookie, ids.misspelt), linkRoute, 403);
    // A supervisor of the city reads the county's case but does not decide who its subject is.
    await expectProblem(await link(supervisor.cookie, ids.otherLiu), linkRoute, 403);
    await expectProblem(await link(cityStaff.cookie, ids.otherLiu), linkRoute, 403);
    await expectResponse(await link(replier.cookie, ids.misspelt), linkRoute, 201);
    // A case linked to this person cannot be linked to another until unlinked.
    const other = await expectResponse(
      await rig.app.request("/api/v1/staff/persons", {
        method: "POST",
        headers: staffHeaders(replier.cookie),
        body: JSON.stringify({ name: "刘健军", unit: "湘潭县教育局" }),
      }),
      createPersonRoute,
      201,
    );
    const clash = await rig.app.request(`/api/v1/staff/persons/${other.person.id}/links`, {
      method: "POST",
      headers: staffHeaders(replier.cookie),
      body: JSON.stringify({ caseId: ids.misspelt }),
    });
    await expectProblem(clash, linkRoute, 409);
    // A stranger to persons: no role to link at all.
    await expectProblem(await link(supervisor.cookie, ids.misspelt), linkRoute, 403);
    // A case linked to another person is not this person's possible match either.
    const linkedAway = await expectResponse(
      await rig.app.request(`/api/v1/staff/persons/${other.person.id}/links`, {
        method: "POST",
        headers: staffHeaders(replier.cookie),
        body: JSON.stringify({ caseId: ids.otherUnit }),
      }),
      linkRoute,
      201,
    );
    expect(linkedAway.link.caseId).toBe(ids.otherUnit);
    const body = await expectResponse(await search(replier.cookie, ASK), personHistoryRoute, 200);
    expect(body.possible).toEqual([]);
  });

  it("reads a recorded search back only for the member who made it", async () => {
    const body = await expectResponse(await search(replier.cookie, ASK), personHistoryRoute, 200);
    const other = await createStaff(rig, {
      username: "sw.reply2",
      office: PROVINCE,
      roles: ["integrity_reply"],
    });
    const res = await rig.app.request(`/api/v1/staff/person-history/${body.request.id}`, {
      headers: { cookie: other.cookie },
    });
    await expectProblem(res, personHistoryReadRoute, 404);
  });

  it("refuses a cross-site search", async () => {
    const before = await counts();
    const res = await rig.app.request("/api/v1/staff/person-history", {
      method: "POST",
      headers: { ...staffHeaders(replier.cookie), origin: "https://evil.example" },
      body: JSON.stringify(ASK),
    });
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});
