// Issue 12 §2 through the API and the admin CLI: a scripted month of 转送/交办 province → city →
// county, the 对账's figures and mismatches checked against what the test did, the CSV, who may
// produce it (403 otherwise), the audit rows, and the signed trail heads: verification holds for
// an honest trail that grew since, and fails once an event of the month is rewritten behind the
// append-only guard (as the DB owner would) or the signed file is edited.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { ensureAnchorKey } from "../../api/crypto/anchor";
import { eventHash } from "../../api/crypto/event-chain";
import { reconciliationRoute } from "../../api/routes/staff-reconciliation";
import type { ReconciliationDoc } from "../../api/services/reconciliation/schemas";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { reconciliationSignCommand, reconciliationVerifyCommand } from "../../cli/commands/reconciliation";
import { auditLog, caseEvents } from "../../db/schema/index";
import { runCommand } from "../helpers/cli";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100"; // 长沙市
const OTHER_CITY = "430200"; // 株洲市
const COUNTY = "430112"; // 望城区
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

type Staff = { actor: StaffActor; cookie: string };

const provinceSubject = {
  name: "钱省",
  unit: "湖南省交通运输厅",
  position: "副厅长",
  managementLevel: "province",
  divisionCode: PROVINCE,
};
const provinceCase = (title: string) => anonymousReport({ title, subject: provinceSubject });
const provinceRealName = (title: string) => realNameReport({ title, subject: provinceSubject });
const cityCase = (title: string) =>
  anonymousReport({
    title,
    subject: {
      name: "孙市",
      unit: "长沙市住建局",
      position: "处长",
      managementLevel: "city",
      divisionCode: CITY,
    },
  });

/** A minimal RFC 4180 reader: the rows of a CSV text (CRLF, quoted cells). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe.each(dbKinds())("the monthly 对账 on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let now = at("2026-03-02T09:00:00");
  let province: Staff;
  let provinceSup: Staff;
  let city: Staff;
  let citySup: Staff;
  let cityHandlerOnly: Staff;
  let countySup: Staff;
  let county: Staff;
  let other: Staff;
  const everyone: Staff[] = [];
  const ids: Record<string, string> = {};

  const api = () => staffCalls((p, i) => rig.app.request(p, i));
  const claim = (who: Staff, id: string) => api().claimById(who.cookie, id);
  const act = async (who: Staff, id: string, body: Record<string, unknown>) => {
    const r = await api().act(who.cookie, id, { leaseToken: await claim(who, id), ...body });
    expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  const moveTo = async (t: Date) => {
    now = t;
    for (const who of everyone)
      who.cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, who.actor.id)}`;
  };
  const get = (who: Staff, query: string) =>
    rig.app.request(`/api/v1/staff/reconciliation?${query}`, { headers: { cookie: who.cookie } });
  const produce = async (who: Staff, query: string) =>
    (await expectResponse(await get(who, query), reconciliationRoute, 200)) as ReconciliationDoc;
  const tamper = async (statement: ReturnType<typeof sql>) => {
    // What the database owner could do: switch the append-only guard off, edit, switch it on.
    await rig.deps.db.execute(sql`ALTER TABLE case_events DISABLE TRIGGER case_events_append_only`);
    try {
      await rig.deps.db.execute(statement);
    } finally {
      await rig.deps.db.execute(sql`ALTER TABLE case_events ENABLE TRIGGER case_events_append_only`);
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-recon-"));
    rig = await createRig(kind, {
      now: () => now,
      env: { SESSION_IDLE_MINUTES: "100000", DATA_DIR: dir },
      dbMax: 10,
    });
    const mk = (username: string, office: string, roles: StaffActor["roles"]) =>
      createStaff(rig, { username, office, roles });
    province = await mk("hn.all", PROVINCE, ["intake", "handler"]);
    provinceSup = await mk("hn.sup", PROVINCE, ["supervisor"]);
    city = await mk("cs.all", CITY, ["intake", "handler"]);
    citySup = await mk("cs.sup", CITY, ["supervisor"]);
    cityHandlerOnly = await mk("cs.handler", CITY, ["handler"]);
    countySup = await mk("wc.sup", COUNTY, ["supervisor"]);
    county = await mk("wc.all", COUNTY, ["intake", "handler"]);
    other = await mk("zz.all", OTHER_CITY, ["intake", "handler"]);
    everyone.push(province, provinceSup, city, citySup, cityHandlerOnly, countySup, county, other);

    // The scripted month, March 2026.
    await moveTo(at("2026-03-02T09:00:00"));
    for (const name of ["p1", "p2", "p3", "p5"]) ids[name] = (await file(provinceCase(`省管件${name}`))).id;
    ids.p4 = (await file(provinceRealName("省管实名件p4"))).id;
    ids.p6 = (await file(provinceCase("省管件p6交办"))).id;
    ids.c1 = (await file(cityCase("市管件c1"))).id;
    ids.c2 = (await file(cityCase("市管件c2"))).id;
    // Province → city: 转送 p1–p5; 交办 p6 to 株洲.
    for (const name of ["p1", "p2", "p3", "p4", "p5"])
      await act(province, ids[name], { action: "forward", office: CITY });
    await act(province, ids.p6, { action: "assign", office: OTHER_CITY, dueDate: "2026-03-20" });
    // City → county: 转送 c1, c2.
    for (const name of ["c1", "c2"]) await act(city, ids[name], { action: "forward", office: COUNTY });

    await moveTo(at("2026-03-04T10:00:00"));
    // p1: 签收 and 受理. p2: never touched. p3: 签收 only (a claim writes no event).
    await act(city, ids.p1, { action: "register" });
    await claim(city, ids.p3);
    // p4 (real-name 检举控告): 受理, 处置, 办结 — and no 反馈.
    await act(city, ids.p4, { action: "register" });
    await act(city, ids.p4, { action: "dispose", disposition: "preliminary_verification" });
    await act(city, ids.p4, { action: "conclude", finding: "partly", result: "部分属实，已处理。" });
    // p5: 受理, then 退回; the province sends it again and the city 受理s it a second time.
    await act(city, ids.p5, { action: "register" });
    await act(city, ids.p5, { action: "return", reason: "请省纪委监委明确办理要求" });
    await moveTo(at("2026-03-05T10:00:00"));
    await act(province, ids.p5, { action: "forward", office: CITY });
    await act(city, ids.p5, { action: "register" });
    // The county: c1 受理d, c2 never received.
    await act(county, ids.c1, { action: "register" });
    // A scripted month of some thirty steps: minutes on PGlite on a busy shared machine.
  }, 600_000);
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const file = (report: Record<string, unknown>) => fileReport(rig, report);

  it("counts the province's sends per office below, and lists every mismatch by 编号", async () => {
    await moveTo(at("2026-04-02T09:00:00"));
    const doc = await produce(provinceSup, "month=2026-03");
    expect(doc.office.code).toBe(PROVINCE);
    // The cut-off is the month's end, as the month is over.
    expect(doc.asOf).toBe(at("2026-04-01T00:00:00").toISOString());
    // Every city below the province is listed (zeros included).
    expect(doc.children.map((c) => c.office.code)).toContain("431300");
    const cs = doc.children.find((c) => c.office.code === CITY)!;
    const { mismatches, office: _o, ...figures } = cs;
    expect(figures).toEqual({
      sent: 6, // p1–p5, p5 twice
      forwarded: 6,
      assigned: 0,
      signed: 5, // all but p2
      registered: 4, // p1, p4, p5 (both sends)
      concluded: 1, // p4
      closedOtherwise: 1, // p5's first send, 退回
      pending: 4, // p1, p2, p3, p5 (second send)
      notSigned: 1, // p2
      overdue: 2, // p2 and p3: not 受理d within 5 working days
    });
    const numberOf = async (id: string, who: Staff) =>
      (await api().call(who.cookie, "GET", `/api/v1/staff/cases/${id}`)).body.numbers as { number: string }[];
    const p2Numbers = await numberOf(ids.p2, provinceSup);
    expect(mismatches.map((m) => [m.kind, m.caseId])).toEqual([
      ["never_received", ids.p2],
      ["received_twice", ids.p5],
      ["concluded_without_feedback", ids.p4],
    ]);
    expect(mismatches[0].number).toBe(p2Numbers[0].number);
    expect(mismatches[0].number).toMatch(/^湖南〔2026〕第\d+号$/);
    expect(mismatches[0].receiverNumber).toMatch(/^长沙〔2026〕第\d+号$/);
    expect(mismatches[1].registrations).toBe(2);
    expect(mismatches[2].concludedOn).toBe("2026-03-04");

    const zz = doc.children.find((c) => c.office.code === OTHER_CITY)!;
    expect([zz.sent, zz.assigned, zz.signed, zz.notSigned, zz.pending, zz.overdue]).toEqual([
      1, 1, 0, 1, 1, 1,
    ]);
    expect(zz.mismatches.map((m) => [m.kind, m.caseId, m.sendKind])).toEqual([
      ["never_received", ids.p6, "assigned"],
    ]);
    expect(doc.totals.sent).toBe(7);
    // The city's sends to the county are the city's 对账, not the province's.
    expect(doc.children.find((c) => c.office.code === COUNTY)).toBeUndefined();
    // The trail: the province's own and each listed office's heads.
    const trail = new Map(doc.trail.map((t) => [t.office, t]));
    expect(trail.get(PROVINCE)!.cases).toBe(6); // p1–p6 got province events in March
    expect(trail.get(CITY)!.cases).toBe(5); // p1, p4, p5 acted on; c1, c2 received and sent on (p3: a claim writes no event)
    expect(trail.get("431300")!.cases).toBe(0);
  });

  it("gives the city's 对账 with the county, to the city and to the province above it", async () => {
    const mine = await produce(citySup, "month=2026-03");
    const fromAbove = await produce(provinceSup, `month=2026-03&office=${CITY}`);
    for (const doc of [mine, fromAbove]) {
      expect(doc.office.code).toBe(CITY);
      const wc = doc.children.find((c) => c.office.code === COUNTY)!;
      expect([wc.sent, wc.signed, wc.registered, wc.notSigned, wc.pending]).toEqual([2, 1, 1, 1, 2]);
      expect(wc.mismatches.map((m) => [m.kind, m.caseId])).toEqual([["never_received", ids.c2]]);
    }
    expect(mine.totals).toEqual(fromAbove.totals);
  });

  it("answers the 对账 as CSV with a BOM that parses", async () => {
    const res = await get(provinceSup, "month=2026-03&format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(text.slice(1));
    const header = rows.find((r) => r[0] === "下级机关")!;
    expect(header).toContain("未签收");
    const cs = rows.find((r) => r[1] === CITY)!;
    expect(cs.slice(2, 13).map(Number)).toEqual([6, 6, 0, 5, 4, 1, 1, 4, 1, 2, 3]);
    const listed = rows.filter((r) => ["已转送未签收", "重复受理", "已办结未反馈"].includes(r[0]));
    expect(listed.map((r) => r[8]).sort()).toEqual([ids.p2, ids.p4, ids.p5, ids.p6].sort());
  });

  it("refuses staff who are not supervisors or leaders of the office or above it, and bad months", async () => {
    await expectProblem(await get(cityHandlerOnly, "month=2026-03"), reconciliationRoute, 403);
    await expectProblem(await get(city, "month=2026-03"), reconciliationRoute, 403);
    await expectProblem(await get(citySup, `month=2026-03&office=${PROVINCE}`), reconciliationRoute, 403);
    await expectProblem(await get(citySup, `month=2026-03&office=${OTHER_CITY}`), reconciliationRoute, 403);
    await expectProblem(await get(countySup, `month=2026-03&office=${CITY}`), reconciliationRoute, 403);
    await expectProblem(await get(provinceSup, "month=2026-13"), reconciliationRoute, 422);
    // Years before the records begin: 422, not a 500 from date arithmetic (red team).
    for (const month of ["0000-01", "0001-01", "1899-12"])
      await expectProblem(await get(provinceSup, `month=${month}`), reconciliationRoute, 422);
    await expectProblem(await get(provinceSup, "month=2026-05"), reconciliationRoute, 422);
    await expectProblem(await get(provinceSup, ""), reconciliationRoute, 422);
    const res = await rig.app.request("/api/v1/staff/reconciliation?month=2026-03");
    expect(res.status).toBe(401);
  });

  it("audits each 对账 produced, and nothing for a refused one", async () => {
    const rows = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "reconciliation.produce"))
      .orderBy(asc(auditLog.seq));
    // Four answered so far: province (JSON), city, province for the city, province (CSV).
    expect(
      rows.map((r) => [
        r.actor,
        (r.data as { office: string }).office,
        (r.data as { format: string }).format,
      ]),
    ).toEqual([
      ["staff:hn.sup", PROVINCE, "json"],
      ["staff:cs.sup", CITY, "json"],
      ["staff:hn.sup", CITY, "json"],
      ["staff:hn.sup", PROVINCE, "csv"],
    ]);
    expect((rows[0].data as { month: string; sent: number }).month).toBe("2026-03");
    expect((rows[0].data as { sent: number }).sent).toBe(7);
  });

  it("signs the trail heads with the anchor key; verification holds until an event of the month is rewritten", async () => {
    // Without anchor.key on this host the 对账 goes out unsigned.
    const unsigned = await produce(provinceSup, "month=2026-03");
    expect(unsigned.signature).toBeNull();
    ensureAnchorKey(rig.config.anchorKeyFile, rig.config.anchorPublicKeyFile);
    const signed = await produce(provinceSup, "month=2026-03");
    expect(signed.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(signed.key).toBe(fs.readFileSync(rig.config.anchorPublicKeyFile, "utf8").trim());
    const saved = path.join(dir, "recon-2026-03.json");
    fs.writeFileSync(saved, JSON.stringify(signed));
    // The CLI signs where the key is kept, the same document apart from when it was made.
    const cliFile = path.join(dir, "recon-cli.json");
    const made = await runCommand(rig, reconciliationSignCommand, [
      "--month",
      "2026-03",
      "--office",
      PROVINCE,
      "--out",
      cliFile,
    ]);
    expect(made.error).toBeUndefined();
    const fromCli = JSON.parse(fs.readFileSync(cliFile, "utf8"));
    expect(fromCli.trail).toEqual(signed.trail);
    expect(fromCli.children).toEqual(signed.children);

    const verify = (file: string) => runCommand(rig, reconciliationVerifyCommand, [file]);
    let v = await verify(saved);
    expect(v.error, v.out).toBeUndefined();
    expect(v.out).toContain("holds: signature good, trail unchanged");

    // The trail grows in April: the 对账 of March still holds.
    await act(city, ids.p3, { action: "register" });
    v = await verify(saved);
    expect(v.error, v.out).toBeUndefined();

    // An edited file: the signature no longer matches.
    const edited = path.join(dir, "edited.json");
    fs.writeFileSync(edited, JSON.stringify({ ...signed, totals: { ...signed.totals, sent: 6 } }));
    v = await verify(edited);
    expect(v.error?.status).toBe(500);
    expect(v.error?.detail).toMatch(/signature does not match/);

    // The DB owner rewrites the city's 受理 of p1 (an event of March) behind the guard.
    const [victim] = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, ids.p1), eq(caseEvents.kind, "registered")));
    await tamper(sql`UPDATE case_events SET data = '{"edited":true}'::jsonb WHERE id = ${victim.id}`);
    v = await verify(saved);
    expect(v.error?.status).toBe(500);
    expect(v.out).toContain(`TRAIL office ${CITY} case ${ids.p1} seq ${victim.seq}: broken`);

    // And recomputes the chain so every link matches again: the signed head tells.
    const forgedHash = eventHash(victim.prevHash, {
      caseId: victim.caseId,
      seq: victim.seq,
      at: victim.at.toISOString(),
      kind: victim.kind,
      actor: victim.actor,
      officeCode: victim.officeCode,
      isPublic: victim.isPublic,
      data: { edited: true },
    });
    const later = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.caseId, ids.p1))
      .orderBy(asc(caseEvents.seq));
    let prev = forgedHash;
    await tamper(sql`UPDATE case_events SET hash = ${Buffer.from(forgedHash)} WHERE id = ${victim.id}`);
    for (const e of later.filter((x) => x.seq > victim.seq)) {
      const h = eventHash(prev, {
        caseId: e.caseId,
        seq: e.seq,
        at: e.at.toISOString(),
        kind: e.kind,
        actor: e.actor,
        officeCode: e.officeCode,
        isPublic: e.isPublic,
        data: e.data,
      });
      await tamper(
        sql`UPDATE case_events SET prev_hash = ${Buffer.from(prev)}, hash = ${Buffer.from(h)} WHERE id = ${e.id}`,
      );
      prev = h;
    }
    v = await verify(saved);
    expect(v.error?.status).toBe(500);
    expect(v.out).toMatch(new RegExp(`TRAIL office ${CITY} case ${ids.p1} seq \\d+: rewritten`));
  });
});
