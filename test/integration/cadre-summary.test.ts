// Issue 12 §3 through the API: the 省管干部 monthly summary — every 信访件 about a 省管干部 received
// or concluded in the month, by unit and category, with 处置方式 and 办理结果; CSV with a BOM;
// only cadre_report and leaders of the province office (403 for anyone else); audited.
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { cadreSummaryRoute } from "../../api/routes/staff-reconciliation";
import type { CadreSummaryDoc } from "../../api/services/reconciliation/schemas";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { auditLog } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100";
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);
const TRANSPORT = "湖南省交通运输厅";
const HOUSING = "湖南省住房和城乡建设厅";

type Staff = { actor: StaffActor; cookie: string };

const cadreCase = (title: string, unit: string, category: string) =>
  anonymousReport({
    title,
    category,
    subject: { name: "周厅", unit, position: "副厅长", managementLevel: "province", divisionCode: PROVINCE },
  });

describe.each(dbKinds())("the 省管干部 monthly summary on %s", (kind) => {
  let rig: TestRig;
  let now = at("2026-02-20T09:00:00");
  let province: Staff;
  let cadre: Staff;
  let leader: Staff;
  let provinceSup: Staff;
  let cityCadre: Staff;
  let cityLeader: Staff;
  const everyone: Staff[] = [];
  const ids: Record<string, string> = {};

  const api = () => staffCalls((p, i) => rig.app.request(p, i));
  const act = async (who: Staff, id: string, body: Record<string, unknown>) => {
    const r = await api().act(who.cookie, id, { leaseToken: await api().claimById(who.cookie, id), ...body });
    expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(200);
  };
  const moveTo = async (t: Date) => {
    now = t;
    for (const who of everyone)
      who.cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, who.actor.id)}`;
  };
  const get = (who: Staff, query: string) =>
    rig.app.request(`/api/v1/staff/cadre-summary?${query}`, { headers: { cookie: who.cookie } });
  const file = async (name: string, report: Record<string, unknown>) => {
    ids[name] = (await fileReport(rig, report)).id;
  };

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "100000" } });
    const mk = (username: string, office: string, roles: StaffActor["roles"]) =>
      createStaff(rig, { username, office, roles });
    province = await mk("hn.all", PROVINCE, ["intake", "handler"]);
    cadre = await mk("hn.cadre", PROVINCE, ["cadre_report"]);
    leader = await mk("hn.leader", PROVINCE, ["leader"]);
    provinceSup = await mk("hn.sup", PROVINCE, ["supervisor"]);
    cityCadre = await mk("cs.cadre", CITY, ["cadre_report"]);
    cityLeader = await mk("cs.leader", CITY, ["leader"]);
    everyone.push(province, cadre, leader, provinceSup, cityCadre, cityLeader);

    // February: a, concluded in March; g, never concluded (not in March's summary).
    await moveTo(at("2026-02-20T09:00:00"));
    await file("a", cadreCase("二月收到三月办结", TRANSPORT, "integrity"));
    await file("g", cadreCase("二月收到未办结", TRANSPORT, "integrity"));
    // March: b, c, d about 省管干部; e about a 市管 cadre (not in it).
    await moveTo(at("2026-03-03T09:00:00"));
    await file("b", cadreCase("三月收到在办", TRANSPORT, "integrity"));
    await file("c", cadreCase("三月收到工作纪律", TRANSPORT, "work"));
    await file("d", cadreCase("三月收到三月办结", HOUSING, "integrity"));
    await file("e", anonymousReport({ title: "市管干部件" }));
    await moveTo(at("2026-03-05T10:00:00"));
    for (const [name, disposition, finding] of [
      ["a", "preliminary_verification", "substantiated"],
      ["d", "talk_inquiry", "unsubstantiated"],
    ] as const) {
      await act(province, ids[name], { action: "register" });
      await act(province, ids[name], { action: "dispose", disposition });
      await act(province, ids[name], { action: "conclude", finding, result: "已核查。" });
    }
    // April: f, received after the month.
    await moveTo(at("2026-04-01T09:00:00"));
    await file("f", cadreCase("四月收到", HOUSING, "integrity"));
  }, 600_000);
  afterAll(async () => rig?.destroy());

  it("lists the month's 省管干部 cases by unit and category, with disposition and outcome", async () => {
    const doc = (await expectResponse(
      await get(cadre, "month=2026-03"),
      cadreSummaryRoute,
      200,
    )) as CadreSummaryDoc;
    expect(doc.totals).toEqual({ cases: 4, received: 3, concluded: 2 });
    const group = (unit: string, category: string) =>
      doc.groups.find((g) => g.unit === unit && g.category === category)!;
    expect(doc.groups.map((g) => [g.unit, g.category])).toEqual([
      [TRANSPORT, "integrity"],
      [TRANSPORT, "work"],
      [HOUSING, "integrity"],
    ]);
    const ti = group(TRANSPORT, "integrity");
    expect(ti.items.map((i) => i.caseId)).toEqual([ids.a, ids.b]);
    expect([ti.received, ti.concluded]).toEqual([1, 1]);
    const a = ti.items[0];
    expect(a).toMatchObject({
      receivedOn: "2026-02-20",
      receivedInMonth: false,
      concludedInMonth: true,
      concludedOn: "2026-03-05",
      disposition: "preliminary_verification",
      finding: "substantiated",
      stage: "concluded",
      office: { code: PROVINCE },
    });
    expect(a.number).toMatch(/^湖南〔2026〕第\d+号$/);
    expect(ti.items[1]).toMatchObject({ receivedInMonth: true, concludedInMonth: false, finding: null });
    expect(group(HOUSING, "integrity").items[0]).toMatchObject({
      caseId: ids.d,
      disposition: "talk_inquiry",
      finding: "unsubstantiated",
    });
    const listed = doc.groups.flatMap((g) => g.items.map((i) => i.caseId));
    for (const absent of [ids.e, ids.f, ids.g]) expect(listed).not.toContain(absent);
  });

  it("answers CSV with a BOM, one row per case and the totals", async () => {
    const res = await get(leader, "month=2026-03&format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1).split("\r\n");
    expect(lines.at(-1)).toBe("");
    const rows = lines.slice(0, -1).map((l) => l.split(","));
    expect(rows[0].slice(0, 4)).toEqual(["单位", "类别", "信访件编号", "收到日期"]);
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
    const body = rows.slice(1, -1);
    expect(body.map((r) => r[0])).toEqual([TRANSPORT, TRANSPORT, TRANSPORT, HOUSING]);
    expect(body[3][9]).toBe("谈话函询");
    expect(body[3][10]).toBe("不属实");
    expect(rows.at(-1)!.filter(Boolean)).toEqual(["合计", "4", "3", "2"]);
  });

  it("is for cadre_report and leaders of the province office only", async () => {
    for (const who of [provinceSup, province, cityCadre, cityLeader]) {
      await expectProblem(await get(who, "month=2026-03"), cadreSummaryRoute, 403);
    }
    await expectProblem(await get(cadre, "month=2026-3"), cadreSummaryRoute, 422);
    for (const month of ["0000-01", "0001-01", "1899-12"])
      await expectProblem(await get(cadre, `month=${month}`), cadreSummaryRoute, 422);
    await expectProblem(await get(cadre, "month=2026-05"), cadreSummaryRoute, 422);
    expect((await rig.app.request("/api/v1/staff/cadre-summary?month=2026-03")).status).toBe(401);
  });

  it("audits every summary produced, and no refused one", async () => {
    const rows = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "cadre_summary.produce"))
      .orderBy(asc(auditLog.seq));
    expect(rows.map((r) => [r.actor, r.data])).toEqual([
      ["staff:hn.cadre", { month: "2026-03", format: "json", cases: 4 }],
      ["staff:hn.leader", { month: "2026-03", format: "csv", cases: 4 }],
    ]);
  });
});
