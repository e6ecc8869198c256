// Issue 11 §4 through the API: 签收, 转送, 留存备查 and 指定承办人 for several cases at once. Each case
// is its own transaction with its own claim and event; a failure on one (another office's case,
// one someone else holds) leaves the others done, and says why without telling anything about it.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchRoute } from "../../api/routes/staff-batch";
import { claimCase } from "../../api/services/queue/claim";
import { caseEvents, cases } from "../../db/schema/index";
import { loadLabelledSet } from "../fixtures/repeats/labelled";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const COUNTY = "430104"; // 岳麓区, below 长沙市
const { reports } = loadLabelledSet();

/** An anonymous report that lands at 长沙市 (市管) or at 岳麓区 (县管). */
const reportAt = (office: "city" | "county", n: number) =>
  anonymousReport({
    subject: {
      name: `赵${"一二三四五六七八九十"[n % 10]}`,
      unit: office === "city" ? "长沙市住房和城乡建设局" : "岳麓区住房和城乡建设局",
      position: "科长",
      managementLevel: office,
      divisionCode: office === "city" ? CITY : COUNTY,
    },
    title: `反映违规审批问题之${n}`,
  });

describe.each(dbKinds())("batch work on %s", (kind) => {
  let rig: TestRig;
  const now = new Date("2026-03-02T02:00:00Z");
  type Member = Awaited<ReturnType<typeof createStaff>>;
  let city: Member;
  let cityColleague: Member;
  let cityHandler: Member;
  let county: Member;
  let custodian: Member;

  const batch = (who: Member, body: unknown) =>
    rig.app.request("/api/v1/staff/cases/batch", {
      method: "POST",
      headers: { cookie: who.cookie, origin: "http://localhost", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const eventsOf = (id: string) =>
    rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(caseEvents.seq);
  const rowOf = async (id: string) => (await rig.deps.db.select().from(cases).where(eq(cases.id, id)))[0];

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now });
    city = await createStaff(rig, { username: "cs.intake", office: CITY, roles: ["intake"] });
    cityColleague = await createStaff(rig, { username: "cs.intake2", office: CITY, roles: ["intake"] });
    cityHandler = await createStaff(rig, { username: "cs.handler", office: CITY, roles: ["handler"] });
    county = await createStaff(rig, { username: "yl.intake", office: COUNTY, roles: ["intake", "handler"] });
    custodian = await createStaff(rig, { username: "cs.custodian", office: CITY, roles: ["custodian"] });
  });
  afterAll(async () => rig?.destroy());

  it("signs the cases it may, and says which failed and why (another office's, one held)", async () => {
    const a = await fileReport(rig, reportAt("city", 1));
    const b = await fileReport(rig, reportAt("city", 2));
    const held = await fileReport(rig, reportAt("city", 3));
    const theirs = await fileReport(rig, reportAt("county", 4));
    await claimCase({
      ctx: { deps: rig.deps, requestId: "t", actor: cityColleague.actor },
      input: { caseId: held.id },
    });
    const ids = [a.id, theirs.id, held.id, b.id];
    const answer = await expectResponse(await batch(city, { ids, action: "sign" }), batchRoute, 200);
    expect(answer.results.map((r) => [r.id, r.ok, r.code])).toEqual([
      [a.id, true, undefined],
      [theirs.id, false, "case.not_found"],
      [held.id, false, "case.held"],
      [b.id, true, undefined],
    ]);
    expect(answer.results[0].number).toMatch(/2026/);
    // Nothing about the other office's case: the same answer as for a case that does not exist.
    const ghost = await expectResponse(
      await batch(city, { ids: ["00000000-0000-4000-8000-000000000000"], action: "sign" }),
      batchRoute,
      200,
    );
    expect({ ...ghost.results[0], id: theirs.id }).toEqual(answer.results[1]);

    for (const done of [a, b]) {
      expect((await rowOf(done.id)).stage).toBe("registered");
      const events = await eventsOf(done.id);
      expect(events.map((e) => [e.kind, e.actor])).toEqual([
        ["received", "system:intake"],
        ["registered", "staff:cs.intake"],
      ]);
    }
    expect((await rowOf(held.id)).leaseHolderId).toBe(cityColleague.actor.id);
    expect((await rowOf(held.id)).stage).toBe("received");
    expect((await rowOf(theirs.id)).stage).toBe("received");
    expect((await eventsOf(theirs.id)).length).toBe(1);
  });

  it("forwards to an office below, each with its own event, and refuses one already signed", async () => {
    const a = await fileReport(rig, reportAt("city", 5));
    const b = await fileReport(rig, reportAt("city", 6));
    const signed = await fileReport(rig, reportAt("city", 7));
    await expectResponse(await batch(city, { ids: [signed.id], action: "sign" }), batchRoute, 200);
    const answer = await expectResponse(
      await batch(city, {
        ids: [a.id, signed.id, b.id],
        action: "forward",
        toOffice: COUNTY,
        reason: "属地办理",
      }),
      batchRoute,
      200,
    );
    expect(answer.results.map((r) => [r.ok, r.code])).toEqual([
      [true, undefined],
      [false, "case.action_illegal"],
      [true, undefined],
    ]);
    for (const done of [a, b]) {
      const row = await rowOf(done.id);
      expect([row.officeCode, row.stage]).toEqual([COUNTY, "received"]);
      expect((await eventsOf(done.id)).at(-1)?.kind).toBe("forwarded");
    }
    expect((await rowOf(signed.id)).stage).toBe("registered");
    // A forward needs its office: the request is refused whole.
    const p = await expectProblem(await batch(city, { ids: [a.id], action: "forward" }), batchRoute, 422);
    expect(p.errors?.[0].path).toBe("toOffice");
  });

  it("keeps a repeat for reference as a repeat of its one earlier case, and asks `into` otherwise", async () => {
    const r = (id: string) => {
      const x = reports.get(id)!;
      return {
        type: "accusation",
        realName: false,
        subject: {
          name: x.name,
          unit: x.unit,
          position: "",
          managementLevel: "county",
          divisionCode: x.division,
        },
        category: "integrity",
        title: x.title,
        body: x.body,
      };
    };
    const earlier = await fileReport(rig, r("r001"));
    const later = await fileReport(rig, r("r002"));
    const lone = await fileReport(rig, reportAt("county", 8));
    const answer = await expectResponse(
      await batch(county, { ids: [later.id, lone.id], action: "keep" }),
      batchRoute,
      200,
    );
    expect(answer.results.map((x) => [x.ok, x.code])).toEqual([
      [true, undefined],
      [false, "into.required"],
    ]);
    expect((await rowOf(later.id)).stage).toBe("kept");
    expect((await eventsOf(earlier.id)).at(-1)?.kind).toBe("repeat_kept");
    expect((await rowOf(lone.id)).stage).toBe("received");
    expect((await rowOf(lone.id)).leaseToken).toBeNull();
    // Naming the earlier case keeps it too.
    const named = await expectResponse(
      await batch(county, { ids: [lone.id], action: "keep", into: earlier.id }),
      batchRoute,
      200,
    );
    expect(named.results[0].ok).toBe(true);
    expect((await rowOf(lone.id)).stage).toBe("kept");
  });

  it("assigns a handler of the office to signed cases, and refuses one who is not", async () => {
    const a = await fileReport(rig, reportAt("city", 9));
    const fresh = await fileReport(rig, reportAt("city", 10));
    await expectResponse(await batch(city, { ids: [a.id], action: "sign" }), batchRoute, 200);
    const answer = await expectResponse(
      await batch(city, { ids: [a.id, fresh.id], action: "assign", assignee: "cs.handler" }),
      batchRoute,
      200,
    );
    expect(answer.results.map((x) => [x.ok, x.code])).toEqual([
      [true, undefined],
      [false, "case.action_illegal"],
    ]);
    const row = await rowOf(a.id);
    expect(row.assigneeId).toBe(cityHandler.actor.id);
    expect(row.leaseToken).toBeNull();
    const last = (await eventsOf(a.id)).at(-1);
    expect([last?.kind, last?.data]).toEqual(["handler_assigned", { assignee: "cs.handler" }]);
    // Another office's member, or one without the handler role, is no assignee.
    for (const assignee of ["yl.intake", "cs.intake2"]) {
      const refused = await expectResponse(
        await batch(city, { ids: [a.id], action: "assign", assignee }),
        batchRoute,
        200,
      );
      expect(refused.results[0]).toMatchObject({ ok: false, code: "assignee.unknown" });
    }
    expect((await rowOf(a.id)).assigneeId).toBe(cityHandler.actor.id);
  });

  it("refuses roles that do not work cases, bad requests and cross-site posts", async () => {
    const a = await fileReport(rig, reportAt("city", 11));
    await expectProblem(await batch(custodian, { ids: [a.id], action: "sign" }), batchRoute, 403);
    await expectProblem(await batch(city, { ids: [], action: "sign" }), batchRoute, 422);
    await expectProblem(await batch(city, { ids: ["x"], action: "sign" }), batchRoute, 422);
    await expectProblem(
      await batch(city, { ids: Array.from({ length: 101 }, () => a.id), action: "sign" }),
      batchRoute,
      422,
    );
    await expectProblem(await batch(city, { ids: [a.id], action: "merge" }), batchRoute, 422);
    const cross = await rig.app.request("/api/v1/staff/cases/batch", {
      method: "POST",
      headers: { cookie: city.cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ ids: [a.id], action: "sign" }),
    });
    expect(cross.status).toBe(403);
    expect((await rowOf(a.id)).stage).toBe("received");
  });
});
