import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import {
  ACTIONS,
  type Action,
  allowedActions,
  judge,
  nextPublicStatus,
  nextStage,
  STAGES,
  type Stage,
  WORKFLOW,
  type WorkflowCase,
} from "../../api/domain/workflow";
import { caseEvents, cases } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100"; // 长沙市
const CITY_COUNTY = "430102"; // 芙蓉区, below 长沙市

/**
 * The facts of a case at 长沙市 in `stage` as caseAt() brings it there: a real-name 检举控告 the
 * province forwarded (so 退回 is possible and 办结 owes 反馈); at `reviewing`, the result of the
 * city's own 交办 to 芙蓉区 is back.
 */
function factsAt(stage: Stage): WorkflowCase {
  return {
    stage,
    hasLowerOffices: true,
    hasParentOffice: true,
    arrival:
      stage === "reviewing"
        ? { via: "reported", fromOffice: CITY_COUNTY, fromStage: "handling" }
        : { via: "forwarded", fromOffice: PROVINCE, fromStage: "received" },
    overdue: false,
    assignedBy: null,
    review: stage === "reviewing" ? { of: CITY_COUNTY, outerAssignedBy: null } : null,
    owesFeedback: true,
    type: "accusation",
  };
}

/**
 * The shortest way to each stage from `received`, found by walking the state machine itself
 * (actions that keep the case in its office, and that its facts allow for the 检举控告 filed
 * here: an appeal is concluded from `registered`, an accusation is not), so a new stage is
 * reached without editing here.
 */
function pathsToStages(): Partial<Record<Stage, Action[]>> {
  const paths: Partial<Record<Stage, Action[]>> = { received: [] };
  const queue: Stage[] = ["received"];
  while (queue.length) {
    const s = queue.shift()!;
    for (const a of ACTIONS) {
      const spec = WORKFLOW[a];
      if (spec.moves !== "none" || spec.to === "same" || spec.to === "arrival" || !spec.from[s]) continue;
      if (spec.when && !spec.when(factsAt(s))) continue;
      const to = nextStage(a, factsAt(s));
      if (paths[to] === undefined) {
        paths[to] = [...paths[s]!, a];
        queue.push(to);
      }
    }
  }
  return paths;
}

/** Stages reached only with another office or the reporter: a 交办's result coming back, an objection. */
const SET_UPS = ["reviewing", "objected"] as const satisfies Stage[];

describe.each(dbKinds())("every workflow transition on %s", (kind) => {
  let rig: TestRig;
  const now = new Date("2026-03-02T01:00:00Z");
  let province: { actor: StaffActor; cookie: string };
  let city: { actor: StaffActor; cookie: string };
  let cityCounty: { actor: StaffActor; cookie: string };
  let mergeTarget: string;
  const codes = new Map<string, string>();

  const { call, claimById, act } = staffCalls((p, i) => rig.app.request(p, i));

  // Valid fields for each action. `satisfies` makes a new action without an entry a type error.
  const INPUTS = {
    register: () => ({}),
    decline: () => ({ reason: "反映内容不属于纪检监察机关受理范围", guidance: "请向人民法院提起诉讼" }),
    transfer: () => ({ department: "第一纪检监察室" }),
    forward: () => ({ office: CITY_COUNTY }),
    assign: () => ({ office: CITY_COUNTY, dueDate: "2026-04-30" }),
    escalate: () => ({ reason: "被反映人系省管干部" }),
    merge: () => ({ caseId: mergeTarget }),
    keep: () => ({ note: "同一事项已在办理，留存备查" }),
    dispose: () => ({ disposition: "preliminary_verification" }),
    conclude: () => ({ finding: "unsubstantiated", result: "经初步核实，反映问题不属实，予以了结" }),
    report: () => ({ finding: "partly", result: "经核实，反映问题部分属实，已责令整改" }),
    approve: () => ({ note: "同意销号" }),
    rework: () => ({ reason: "核查不够深入，请补充核实", dueDate: "2026-04-30" }),
    feedback: () => ({
      method: "phone",
      body: "经核实，您反映的问题不属实。感谢您的监督。",
      view: "basically_satisfied",
    }),
    recheck: () => ({ workingDays: 10 }),
    return: () => ({ reason: "不属本机关管辖" }),
    message: () => ({ body: "请补充相关票据的照片。" }),
    release: () => ({}),
    supervise: () => ({ method: "phone", note: "请抓紧办理" }),
    respond: () => ({ answer: "已于当日登记受理，正在核查。" }),
  } satisfies Record<Action, () => Record<string, unknown>>;

  const file = async (report: Record<string, unknown>) => {
    const { id, code } = await fileReport(rig, report);
    codes.set(id, code);
    return id;
  };
  const provinceReport = () =>
    realNameReport({
      subject: {
        name: "钱七",
        unit: "湖南省某厅",
        position: "处长",
        managementLevel: "province",
        divisionCode: PROVINCE,
      },
    });

  /** `steps` by `who` on case `id`, claiming it whenever it is not held; the token held at the end. */
  async function walk(who: { cookie: string }, id: string, steps: Action[]): Promise<string | null> {
    let token: string | null = null;
    for (const step of steps) {
      token ??= await claimById(who.cookie, id);
      const r = await act(who.cookie, id, { action: step, leaseToken: token, ...INPUTS[step]() });
      expect(r.status, `${step}: ${JSON.stringify(r.body)}`).toBe(200);
      if (r.body.leaseExpiresAt === null) token = null;
    }
    return token;
  }

  /** A case at 长沙市, forwarded there by the province (so 退回 is possible), brought to `stage`, held by `city`. */
  async function caseAt(stage: Stage): Promise<{ id: string; token: string }> {
    const id = await file(provinceReport());
    const pt = await claimById(province.cookie, id);
    const fwd = await act(province.cookie, id, { action: "forward", leaseToken: pt, office: CITY });
    expect(fwd.status, JSON.stringify(fwd.body)).toBe(200);
    if (stage === "reviewing") {
      // The city assigns it to 芙蓉区, which 受理s, handles and reports the result back.
      await walk(city, id, ["register", "assign"]);
      await walk(cityCounty, id, ["register", "dispose", "report"]);
      return { id, token: await claimById(city.cookie, id) };
    }
    if (stage === "objected") {
      await walk(city, id, pathsToStages().concluded!);
      const objection = await rig.app.request("/api/v1/track/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode: codes.get(id), body: "我对处理结果有异议，另有新的证据。" }),
      });
      expect(objection.status).toBe(201);
      return { id, token: await claimById(city.cookie, id) };
    }
    const token = await walk(city, id, pathsToStages()[stage]!);
    return { id, token: token ?? (await claimById(city.cookie, id)) };
  }

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now });
    province = await createStaff(rig, {
      username: "hn.intake",
      office: PROVINCE,
      roles: ["intake", "handler"],
    });
    city = await createStaff(rig, { username: "cs.all", office: CITY, roles: ["intake", "handler"] });
    cityCounty = await createStaff(rig, {
      username: "fr.all",
      office: CITY_COUNTY,
      roles: ["intake", "handler"],
    });
    mergeTarget = await file(
      anonymousReport({
        subject: {
          name: "孙八",
          unit: "长沙市某局",
          position: "局长",
          managementLevel: "city",
          divisionCode: CITY,
        },
      }),
    );
  });
  afterAll(async () => rig?.destroy());

  it("reaches every stage through the machine, or through another office or the reporter", () => {
    expect([...Object.keys(pathsToStages()), ...SET_UPS].sort()).toEqual([...STAGES].sort());
  });

  it("has test fields for every action", () => {
    expect(Object.keys(INPUTS).sort()).toEqual([...ACTIONS].sort());
  });

  // 9 stages × 18 actions, each on a fresh case.
  const cells = STAGES.flatMap((stage) => ACTIONS.map((action) => [stage, action] as const));
  it.each(cells)("%s × %s answers as the state machine says", async (stage, action) => {
    const { id, token } = await caseAt(stage);
    const facts = factsAt(stage);
    const who = { roles: city.actor.roles, relation: "act" as const };
    const verdict = judge(action, facts, who);
    const [before] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
    const eventsBefore = (await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)))
      .length;

    const r = await act(city.cookie, id, { action, leaseToken: token, ...INPUTS[action]() });

    if (verdict.ok) {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const spec = WORKFLOW[action];
      expect(r.body.case.stage).toBe(nextStage(action, facts));
      const [after] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
      expect(after.publicStatus).toBe(nextPublicStatus(action, facts) ?? before.publicStatus);
      const expectedOffice = { none: CITY, down: CITY_COUNTY, up: PROVINCE, back: PROVINCE }[spec.moves];
      expect(after.officeCode).toBe(expectedOffice);
      expect(after.leaseToken === null).toBe(spec.afterLease === "clear");
      const events = await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
      expect(events.length).toBe(eventsBefore + (spec.event ? 1 : 0));
      if (spec.event) {
        const last = events.sort((x, y) => x.seq - y.seq).at(-1)!;
        expect(last.kind).toBe(spec.event);
        expect(last.actor).toBe("staff:cs.all");
      }
    } else {
      expect(verdict.why).toBe("illegal");
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.type).toMatch(/^application\/problem\+json/);
      expect(r.body.allowedActions).toEqual(allowedActions(facts, who));
      const [after] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
      expect(after).toEqual(before);
      const eventsAfter = (await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)))
        .length;
      expect(eventsAfter).toBe(eventsBefore);
    }
  });

  it("returns a forwarded case to the province at the stage it left, and an assigned one likewise", async () => {
    const { id, token } = await caseAt("registered");
    const assign = await act(city.cookie, id, {
      action: "assign",
      leaseToken: token,
      office: CITY_COUNTY,
      dueDate: "2026-04-30",
    });
    expect(assign.status).toBe(200);
    expect(assign.body.case.office.code).toBe(CITY_COUNTY);
    // 交办: the receiving office 受理s the case itself (it does not inherit 已受理).
    expect(assign.body.case.stage).toBe("received");
    const ct = await claimById(cityCounty.cookie, id);
    const back = await act(cityCounty.cookie, id, {
      action: "return",
      leaseToken: ct,
      reason: "该事项由市纪委监委直接办理更妥",
    });
    expect(back.status).toBe(200);
    expect(back.body.case.office.code).toBe(CITY);
    expect(back.body.case.stage).toBe("registered");
  });

  it("answers 422 with the path of each bad field, and changes nothing", async () => {
    const { id, token } = await caseAt("received");
    const r = await act(city.cookie, id, { action: "decline", leaseToken: token, reason: "  " });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["guidance", "reason"]);
    const f = await act(city.cookie, id, { action: "forward", leaseToken: token, office: "430112" }); // 望城区 is below 长沙市 too
    expect(f.status).toBe(200);
    const { id: id2, token: t2 } = await caseAt("received");
    const up = await act(city.cookie, id2, { action: "forward", leaseToken: t2, office: PROVINCE });
    expect(up.status).toBe(422);
    expect(up.body.errors[0]).toMatchObject({ path: "office", code: "office.not_lower" });
    const other = await act(city.cookie, id2, { action: "forward", leaseToken: t2, office: "430200" }); // 株洲市
    expect(other.status).toBe(422);
    const past = await act(city.cookie, id2, {
      action: "assign",
      leaseToken: t2,
      office: CITY_COUNTY,
      dueDate: "2026-03-01",
    });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].path).toBe("dueDate");
    const extra = await act(city.cookie, id2, { action: "register", leaseToken: t2, surprise: 1 });
    expect(extra.status).toBe(422);
    const unknown = await act(city.cookie, id2, { action: "lian_an", leaseToken: t2 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]).toMatchObject({ path: "action", code: "invalid_choice" });
    const self = await act(city.cookie, id2, { action: "merge", leaseToken: t2, caseId: id2 });
    expect(self.status).toBe(422);
    const disp = await act(city.cookie, id2, { action: "register", leaseToken: t2 });
    expect(disp.status).toBe(200);
    const bad = await act(city.cookie, id2, { action: "dispose", leaseToken: t2, disposition: "lian" });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ path: "disposition", code: "invalid_choice" });
  });

  it("refuses an action the caller's roles can never take with 403", async () => {
    const intakeOnly = await createStaff(rig, { username: "cs.intake", office: CITY, roles: ["intake"] });
    const { id } = await caseAt("registered");
    await call(city.cookie, "POST", `/api/v1/staff/cases/${id}/claim`);
    const r = await act(intakeOnly.cookie, id, {
      action: "dispose",
      leaseToken: "00000000-0000-4000-8000-000000000000",
      disposition: "hold",
    });
    expect(r.status).toBe(403);
  });
});
