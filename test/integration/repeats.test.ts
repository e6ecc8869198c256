// Issue 11 §3 through the API: a repeat (重复件) found at intake across offices, what a lower and a
// higher office see of it, 合并 and 留存备查 across offices telling the earlier case's office (an
// event on its own hash chain, in the same transaction), and the refusals (a hidden case named by
// its id, a match of another case, a stale lease).
import fs from "node:fs";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { subjectKey } from "../../api/domain/repeats";
import { trackRoute } from "../../api/routes/public";
import { actionRoute, caseRoute } from "../../api/routes/staff-cases";
import { actOnCase } from "../../api/services/cases/act";
import { candidatesQuery, recordRepeats } from "../../api/services/repeats/record";
import { verifyTrail } from "../../api/services/trail/verify";
import { caseEvents, caseRepeats, cases } from "../../db/schema/index";
import { loadLabelledSet } from "../fixtures/repeats/labelled";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const COUNTY = "430104"; // 岳麓区, below 长沙市
const XT_CITY = "430300"; // 湘潭市
const XT_COUNTY = "430321"; // 湘潭县, below 湘潭市

type Staff = { actor: StaffActor; cookie: string };
const { reports } = loadLabelledSet();

/** A labelled report (test/fixtures/repeats) filed online, about a person managed at `level`. */
const reportOf = (id: string, level: "city" | "county") => {
  const r = reports.get(id)!;
  return {
    type: "accusation",
    realName: false,
    subject: { name: r.name, unit: r.unit, position: "", managementLevel: level, divisionCode: r.division },
    category: "integrity",
    title: r.title,
    body: r.body,
  };
};

describe.each(dbKinds())("repeats (重复件) on %s", (kind) => {
  let rig: TestRig;
  const now = new Date("2026-03-02T02:00:00Z");
  let city: Staff; // 长沙市: intake and handler, no supervisor
  let citySup: Staff; // 长沙市: supervisor (reads the offices below)
  let county: Staff; // 岳麓区: intake and handler
  let xtCity: Staff;
  let xtCounty: Staff;
  // 刘建军 of 岳麓区住建局, the 麓谷明珠 matter: first at 岳麓区 (县管), then at 长沙市 (市管).
  let first: { id: string; code: string };
  let second: { id: string; code: string };
  let otherMatter: { id: string; code: string };
  let otherPerson: { id: string; code: string };

  const api = () => staffCalls((p, i) => rig.app.request(p, i));
  const view = async (who: Staff, id: string) =>
    expectResponse(
      await rig.app.request(`/api/v1/staff/cases/${id}`, { headers: { cookie: who.cookie } }),
      caseRoute,
      200,
    );
  const act = (who: Staff, id: string, body: Record<string, unknown>) =>
    rig.app.request(`/api/v1/staff/cases/${id}/actions`, {
      method: "POST",
      headers: { cookie: who.cookie, origin: "http://localhost", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const eventsOf = (id: string) =>
    rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(caseEvents.seq);
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
    rig = await createRig(kind, { now: () => now });
    city = await createStaff(rig, { username: "cs.all", office: CITY, roles: ["intake", "handler"] });
    citySup = await createStaff(rig, { username: "cs.sup", office: CITY, roles: ["supervisor"] });
    county = await createStaff(rig, { username: "yl.all", office: COUNTY, roles: ["intake", "handler"] });
    xtCity = await createStaff(rig, { username: "xt.all", office: XT_CITY, roles: ["intake", "handler"] });
    xtCounty = await createStaff(rig, {
      username: "xtx.all",
      office: XT_COUNTY,
      roles: ["intake", "handler"],
    });
    first = await fileReport(rig, reportOf("r001", "county"));
    // Another person of the same name (芦淞区教育局) and the same person on another matter.
    otherPerson = await fileReport(rig, reportOf("r007", "county"));
    otherMatter = await fileReport(rig, reportOf("r005", "county"));
    second = await fileReport(rig, reportOf("r002", "city"));
  });
  afterAll(async () => rig?.destroy());

  it("finds the earlier report at another office at intake, and nothing about others", async () => {
    const [a] = await rig.deps.db.select().from(cases).where(eq(cases.id, first.id));
    expect(a.officeCode).toBe(COUNTY);
    expect(a.subjectKey).toBe("刘建军");
    const pairs = await rig.deps.db.select().from(caseRepeats);
    expect(pairs.map((p) => [p.caseId, p.otherId])).toEqual([[second.id, first.id]]);
    expect(pairs[0].similarity).toBeGreaterThanOrEqual(0.08);
    // The same person on another matter (and another 刘建军, above) were not taken for repeats.
    expect((await view(county, otherMatter.id)).repeats).toEqual([]);
  });

  it("shows a higher office's match to the lower office as office and similarity only", async () => {
    const v = await view(county, first.id);
    expect(v.repeats).toEqual([
      {
        match: expect.any(String),
        id: null,
        number: null,
        title: null,
        office: { code: CITY, name: "长沙市纪委监委" },
        stage: null,
        similarity: expect.any(Number),
        receivedAt: null,
        earlier: false,
        visible: false,
        mergedIntoThis: false,
      },
    ]);
    // Nothing of the other case is in the answer: not its id, title or text.
    const text = JSON.stringify(v);
    const r2 = reports.get("r002")!;
    expect(text).not.toContain(second.id);
    expect(text).not.toContain(r2.title);
    expect(text).not.toContain("消防车道被占");
  });

  it("shows the lower office's case to the higher office's supervisor, and hides it from its other staff", async () => {
    const sup = await view(citySup, second.id);
    const number = (await view(county, first.id)).number;
    expect(sup.repeats).toEqual([
      expect.objectContaining({
        id: first.id,
        number,
        title: reports.get("r001")!.title,
        office: { code: COUNTY, name: "岳麓区纪委监委" },
        stage: "received",
        earlier: true,
        visible: true,
      }),
    ]);
    const plain = await view(city, second.id);
    expect(plain.repeats).toEqual([
      expect.objectContaining({
        id: null,
        number: null,
        title: null,
        stage: null,
        visible: false,
        earlier: true,
      }),
    ]);
    expect(plain.repeats[0].similarity).toBe(sup.repeats[0].similarity);
    expect(plain.repeats[0].match).toBe(sup.repeats[0].match);
  });

  it("merges the later case into the earlier one at a lower office it cannot see, by the match, telling that office", async () => {
    const match = (await view(city, second.id)).repeats[0].match as string;
    const before = await eventsOf(first.id);
    const token = await api().claimById(city.cookie, second.id);
    // Named by its id, a case the caller may not see is unknown; so is the match of another case.
    const byId = await act(city, second.id, { action: "merge", leaseToken: token, caseId: first.id });
    expect((await expectProblem(byId, actionRoute, 422)).errors?.[0]).toMatchObject({
      path: "caseId",
      code: "caseId.unknown",
    });
    const [foreign] = await rig.deps.db
      .insert(caseRepeats)
      .values({ caseId: otherPerson.id, otherId: otherMatter.id, similarity: 0.5 })
      .returning();
    const byOtherMatch = await act(city, second.id, {
      action: "merge",
      leaseToken: token,
      caseId: foreign.id,
    });
    expect((await expectProblem(byOtherMatch, actionRoute, 422)).errors?.[0]).toMatchObject({
      path: "caseId",
    });
    await rig.deps.db.delete(caseRepeats).where(eq(caseRepeats.id, foreign.id));

    const r = await expectResponse(
      await act(city, second.id, { action: "merge", leaseToken: token, caseId: match }),
      actionRoute,
      200,
    );
    expect(r.case.stage).toBe("merged");
    // Merged into a case the caller may not see: not even its id in the answer.
    expect(r.case.mergedInto).toBeNull();
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, second.id));
    expect(row.mergedInto).toBe(first.id);
    const mine = await view(city, second.id);
    expect(mine.joined).toEqual({
      id: null,
      number: null,
      title: null,
      office: { code: COUNTY, name: "岳麓区纪委监委" },
    });
    expect(mine.mergedInto).toBeNull();
    expect(mine.events.at(-1)).toMatchObject({ kind: "merged", data: { intoOffice: COUNTY } });
    expect(mine.events.at(-1)?.data).not.toHaveProperty("into");

    // The earlier case's office is told on that case's own chain: one event, internal, and the
    // repeat's id left out (it is at an office above).
    const after = await eventsOf(first.id);
    expect(after.length).toBe(before.length + 1);
    const told = after.at(-1)!;
    expect(told).toMatchObject({
      kind: "repeat_merged",
      officeCode: CITY,
      actor: "staff:cs.all",
      isPublic: false,
    });
    expect(told.data).toEqual({ fromOffice: CITY, similarity: expect.any(Number) });
    expect(Buffer.from(told.prevHash!).equals(Buffer.from(before.at(-1)!.hash))).toBe(true);
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);
    // The county sees the repeat merged into its case (still without its content), and its reporter
    // sees 已并案办理 with the status of the earlier report.
    expect((await view(county, first.id)).repeats).toEqual([
      expect.objectContaining({
        visible: false,
        mergedIntoThis: true,
        office: { code: CITY, name: "长沙市纪委监委" },
      }),
    ]);
    const t = await track(second.code);
    expect(t.merged).not.toBeNull();
    expect(t.status).toBe("received");
  });

  it("keeps a lower office's later case for reference as a repeat of a higher office's case, telling it (留存备查)", async () => {
    // 陈晓红 of 湘潭县人民医院: first at 湘潭市 (市管), then at 湘潭县 (县管).
    const earlier = await fileReport(rig, reportOf("r018", "city"));
    const later = await fileReport(rig, reportOf("r020", "county"));
    expect((await rig.deps.db.select().from(cases).where(eq(cases.id, earlier.id)))[0].officeCode).toBe(
      XT_CITY,
    );
    const seen = await view(xtCounty, later.id);
    expect(seen.repeats).toEqual([
      expect.objectContaining({
        visible: false,
        earlier: true,
        office: { code: XT_CITY, name: "湘潭市纪委监委" },
      }),
    ]);
    expect(seen.allowedActions).toContain("keep");
    const before = await eventsOf(earlier.id);
    const token = await api().claimById(xtCounty.cookie, later.id);

    // A stale lease: 409, and nothing is written on either case.
    const stale = await act(xtCounty, later.id, {
      action: "keep",
      leaseToken: "00000000-0000-4000-8000-000000000000",
      caseId: seen.repeats[0].match,
    });
    expect((await expectProblem(stale, actionRoute, 409)).status).toBe(409);
    expect((await eventsOf(earlier.id)).length).toBe(before.length);

    const r = await expectResponse(
      await act(xtCounty, later.id, {
        action: "keep",
        leaseToken: token,
        caseId: seen.repeats[0].match,
        note: "与市纪委监委在办件为同一事项",
      }),
      actionRoute,
      200,
    );
    expect(r.case.stage).toBe("kept");
    expect(r.case.publicStatus).toBe("kept");
    expect(r.leaseExpiresAt).toBeNull();
    const after = await eventsOf(earlier.id);
    expect(after.length).toBe(before.length + 1);
    // The higher office is told, with the repeat's id and number (it is below that office).
    const laterNumber = (await view(xtCounty, later.id)).number;
    expect(after.at(-1)).toMatchObject({
      kind: "repeat_kept",
      officeCode: XT_COUNTY,
      isPublic: false,
      data: {
        fromOffice: XT_COUNTY,
        repeat: later.id,
        repeatNumber: laterNumber,
        note: "与市纪委监委在办件为同一事项",
        similarity: expect.any(Number),
      },
    });
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);
    const xtView = await view(xtCity, earlier.id);
    expect(xtView.events.at(-1)).toMatchObject({ kind: "repeat_kept", office: { code: XT_COUNTY } });
    // Its reporter: 已留存备查, not told of acceptance again; no running clock.
    const t = await track(later.code);
    expect(t.status).toBe("kept");
    expect(t.statusLabel).toBe("已留存备查");
    expect(t.timeline.map((e) => e.event)).toEqual(["received", "kept"]);
    expect((await view(xtCounty, later.id)).clocks.every((c) => !c.running)).toBe(true);
    // Nothing can be merged into or kept as a repeat of a case that is itself a repeat.
    const again = await fileReport(rig, reportOf("r019", "county"));
    const t2 = await api().claimById(xtCounty.cookie, again.id);
    const intoKept = await act(xtCounty, again.id, { action: "merge", leaseToken: t2, caseId: later.id });
    expect((await expectProblem(intoKept, actionRoute, 422)).errors?.[0]).toMatchObject({ path: "caseId" });
  });

  it("merges on the locked path too (inside a caller's transaction), locking the earlier case before its head", async () => {
    // 谢文斌's road tender, twice at 北湖区: the second merged into the first by its id, in a transaction.
    const a = await fileReport(rig, reportOf("r039", "county"));
    const b = await fileReport(rig, reportOf("r040", "county"));
    const holder = await createStaff(rig, {
      username: "bh.all",
      office: "431002",
      roles: ["intake", "handler"],
    });
    const token = await api().claimById(holder.cookie, b.id);
    const before = (await eventsOf(a.id)).length;
    const r = await rig.deps.db.transaction((tx) =>
      actOnCase({
        ctx: { deps: rig.deps, actor: holder.actor, requestId: "t", tx },
        input: { caseId: b.id, body: { action: "merge", leaseToken: token, caseId: a.id } },
      }),
    );
    expect(r.case).toMatchObject({ stage: "merged", mergedInto: a.id });
    const after = await eventsOf(a.id);
    expect(after.length).toBe(before + 1);
    // Same office: the earlier case's office is told which case it was, by id and number.
    expect(after.at(-1)).toMatchObject({
      kind: "repeat_merged",
      data: { repeat: b.id, fromOffice: "431002" },
    });
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);
  });

  it("retrieves the candidates through the subject key index, never by reading every case", async () => {
    const plan = await rig.deps.db.transaction(async (tx) => {
      // Few rows here: the planner is told that a sequential scan is a last resort, so the plan
      // shows whether the index can answer the query at all.
      await tx.execute(sql`set local enable_seqscan = off`);
      const q = candidatesQuery(tx, "刘建军", first.id, now).getSQL();
      const r = (await tx.execute(sql`explain ${q}`)) as unknown as
        | Record<string, string>[]
        | { rows: Record<string, string>[] };
      return (Array.isArray(r) ? r : r.rows).map((row) => Object.values(row)[0]).join("\n");
    });
    expect(plan).toContain("cases_subject_key_idx");
    expect(plan).not.toMatch(/Seq Scan on cases/);
  });

  it("keys a case stored without its key (before migration 0010) when it looks for its repeats", async () => {
    const again = await fileReport(rig, reportOf("r003", "county"));
    await rig.deps.db.update(cases).set({ subjectKey: null }).where(eq(cases.id, again.id));
    await rig.deps.db.delete(caseRepeats).where(eq(caseRepeats.caseId, again.id));
    const found = await recordRepeats(rig.deps.db, rig.deps, again.id, now);
    expect(found.map((f) => f.otherId)).toContain(first.id);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, again.id));
    expect(row.subjectKey).toBe(subjectKey("刘 建军"));
    // Found again, a pair already recorded (either way round) stays one row.
    await recordRepeats(rig.deps.db, rig.deps, again.id, now);
    await recordRepeats(rig.deps.db, rig.deps, first.id, now);
    const pairs = await rig.deps.db
      .select()
      .from(caseRepeats)
      .where(sql`${caseRepeats.caseId} = ${again.id} or ${caseRepeats.otherId} = ${again.id}`);
    const others = pairs.map((p) => (p.caseId === again.id ? p.otherId : p.caseId));
    expect(new Set(others).size).toBe(others.length);
  });

  it("keys the cases stored before it in migration 0010 as subjectKey does", async () => {
    const names = [
      "刘 建军",
      "王志强（村支书）",
      "ＡＢ　刘·建军",
      "李・四",
      "Zhang Wei",
      "〔已隐去〕",
      "欧阳 娜娜",
    ];
    const ids: string[] = [];
    for (const name of names) {
      const r = reportOf("r085", "county");
      ids.push((await fileReport(rig, { ...r, subject: { ...r.subject, name } })).id);
    }
    await rig.deps.db.update(cases).set({ subjectKey: null }).where(inArray(cases.id, ids));
    const migration = fs.readFileSync("db/migrations/0010_repeats.sql", "utf8");
    const backfill = migration
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^\s*(--[^\n]*\n)*/u, "").trim())
      .find((s) => s.startsWith("UPDATE"))!;
    await rig.deps.db.execute(
      sql.raw(
        `${backfill.replace("WHERE", `WHERE "cases"."id" in (${ids.map((i) => `'${i}'`).join(", ")}) AND`)}`,
      ),
    );
    const rows = await rig.deps.db.select().from(cases).where(inArray(cases.id, ids));
    for (const row of rows) expect(row.subjectKey, row.subjectName!).toBe(subjectKey(row.subjectName));
  });

  it("keeps a case for reference without naming one, telling no other case", async () => {
    const lone = await fileReport(rig, reportOf("r085", "county")); // 天心区 (430103)
    const holder = await createStaff(rig, { username: "tx.intake", office: "430103", roles: ["intake"] });
    const t = await api().claimById(holder.cookie, lone.id);
    const r = await expectResponse(
      await act(holder, lone.id, { action: "keep", leaseToken: t }),
      actionRoute,
      200,
    );
    expect(r.case.stage).toBe("kept");
    const events = await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.kind, "repeat_kept"));
    expect(events.map((e) => e.caseId)).not.toContain(lone.id);
  });
  it("does not tell an office below of a report sent above it because its subject is discipline staff", async () => {
    const before = (await view(county, first.id)).repeats.length;
    const r = reportOf("r001", "county");
    const above = await fileReport(rig, { ...r, subject: { ...r.subject, isDisciplineStaff: true } });
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, above.id));
    expect(row.officeCode).toBe(CITY);
    // The detector paired them, and the city's supervisor (who may see both) is shown the county's case.
    const pairs = await rig.deps.db.select().from(caseRepeats).where(eq(caseRepeats.caseId, above.id));
    expect(pairs.map((p) => p.otherId)).toContain(first.id);
    expect((await view(citySup, above.id)).repeats.map((x) => x.id)).toContain(first.id);
    // The county sees nothing of it, not even that a match exists at the city.
    const v = await view(county, first.id);
    expect(v.repeats).toHaveLength(before);
    expect(v.repeats.filter((x) => x.office.code === CITY)).toHaveLength(before === 0 ? 0 : 1);
  });
});
