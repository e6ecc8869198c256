import { describe, expect, it } from "vitest";
import type { Role } from "../../api/context";
import { CLOCK_RULES, ruleApplies } from "../../api/domain/clock-rules";
import {
  ACTIONS,
  ACTIVE_STAGES,
  allowedActions,
  canHold,
  endsHandling,
  eventIsPublic,
  judge,
  nextPublicStatus,
  nextStage,
  queueStages,
  STAGES,
  type Stage,
  WORKFLOW,
  type WorkflowCase,
} from "../../api/domain/workflow";

const base = (stage: Stage, over: Partial<WorkflowCase> = {}): WorkflowCase => ({
  stage,
  hasLowerOffices: true,
  hasParentOffice: true,
  arrival: { via: "forwarded", fromOffice: "430000", fromStage: "received" },
  overdue: true,
  type: "accusation",
  assignedBy: null,
  review: null,
  owesFeedback: true,
  ...over,
});

// The state machine written out by hand: stage → role → what that role may do there (own office,
// with every fact in favour: a forwarded real-name 检举控告 that no 交办 awaits, at an office with
// offices above and below it; at `reviewing`, the result of its own 交办 is back). A change to
// WORKFLOW that is not also made here fails.
const EXPECTED: Record<Stage, Partial<Record<Role, string[]>>> = {
  received: {
    intake: [
      "register",
      "decline",
      "transfer",
      "forward",
      "assign",
      "escalate",
      "merge",
      "keep",
      "return",
      "message",
      "release",
    ],
    handler: ["message", "release"],
    supervisor: ["release"],
    custodian: ["release"],
    admin: ["release"],
  },
  // 督办 inside one office: the 信访室 (intake) or a supervisor presses the 承办部门.
  registered: {
    intake: ["message", "release", "supervise"],
    handler: ["transfer", "assign", "escalate", "merge", "keep", "dispose", "return", "message", "release"],
    supervisor: ["release", "supervise"],
  },
  handling: {
    intake: ["message", "release", "supervise"],
    handler: ["transfer", "dispose", "conclude", "message", "release"],
    supervisor: ["release", "supervise"],
  },
  reviewing: {
    intake: ["approve", "rework", "message", "release"],
    handler: ["approve", "rework", "message", "release"],
    supervisor: ["release"],
  },
  awaiting_feedback: {
    intake: ["message", "release"],
    handler: ["feedback", "message", "release"],
    supervisor: ["release"],
  },
  objected: {
    intake: ["message", "release"],
    handler: ["feedback", "recheck", "message", "release"],
    supervisor: ["release"],
  },
  declined: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
  concluded: {
    intake: ["message", "release"],
    handler: ["feedback", "message", "release"],
    supervisor: ["release"],
  },
  merged: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
  kept: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
};

/** The facts of each stage in the matrix: at `reviewing` the office reviews its own 交办's result. */
const factsAt = (stage: Stage): WorkflowCase =>
  stage === "reviewing"
    ? base(stage, {
        arrival: { via: "reported", fromOffice: "430112", fromStage: "handling" },
        review: { of: "430112", outerAssignedBy: null },
      })
    : base(stage);

describe("workflow state machine", () => {
  it("matches the matrix written out by hand, for every stage and role", () => {
    for (const stage of STAGES) {
      for (const role of ["intake", "handler", "supervisor", "custodian", "admin"] as Role[]) {
        const got = allowedActions(factsAt(stage), { roles: [role], relation: "act" });
        expect(got, `${stage} × ${role}`).toEqual(EXPECTED[stage][role] ?? ["release"]);
      }
    }
  });

  it("declares every action with at least one stage and role", () => {
    for (const a of ACTIONS) expect(Object.keys(WORKFLOW[a].from).length, a).toBeGreaterThan(0);
  });

  it("moves stages as declared", () => {
    expect(nextStage("register", base("received"))).toBe("registered");
    expect(nextStage("decline", base("received"))).toBe("declined");
    expect(nextStage("forward", base("received"))).toBe("received");
    // 交办: the receiving office 受理s the case itself.
    expect(nextStage("assign", base("registered"))).toBe("received");
    expect(nextStage("escalate", base("registered"))).toBe("received");
    expect(nextStage("dispose", base("registered"))).toBe("handling");
    // 办结 of a real-name 检举控告 waits for 反馈; any other case is done.
    expect(nextStage("conclude", base("handling"))).toBe("awaiting_feedback");
    expect(nextStage("conclude", base("handling", { owesFeedback: false }))).toBe("concluded");
    expect(nextStage("feedback", base("awaiting_feedback"))).toBe("concluded");
    expect(nextStage("feedback", base("objected"))).toBe("concluded");
    expect(nextStage("recheck", base("objected"))).toBe("handling");
    expect(nextStage("merge", base("registered"))).toBe("merged");
    expect(
      nextStage(
        "return",
        base("registered", { arrival: { via: "assigned", fromOffice: "430100", fromStage: "registered" } }),
      ),
    ).toBe("registered");
  });

  it("needs the facts: lower offices to forward, a parent to escalate, an arrival to return", () => {
    const intake = { roles: ["intake"] as Role[], relation: "act" as const };
    expect(judge("forward", base("received", { hasLowerOffices: false }), intake)).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judge("assign", base("received", { hasLowerOffices: false }), intake)).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judge("escalate", base("received", { hasParentOffice: false }), intake)).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judge("return", base("received", { arrival: null }), intake)).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(
      judge(
        "return",
        base("received", { arrival: { via: "escalated", fromOffice: "430112", fromStage: "received" } }),
        intake,
      ),
    ).toEqual({ ok: false, why: "illegal" });
  });

  it("lets an office above only press (督办) an overdue active case, and never act", () => {
    const sup = { roles: ["supervisor", "intake", "handler"] as Role[], relation: "read" as const };
    expect(allowedActions(base("received"), sup)).toEqual(["supervise"]);
    expect(allowedActions(base("received", { overdue: false }), sup)).toEqual([]);
    expect(allowedActions(base("concluded"), sup)).toEqual([]);
    expect(judge("register", base("received"), sup)).toEqual({ ok: false, why: "forbidden" });
    expect(judge("release", base("received"), sup)).toEqual({ ok: false, why: "forbidden" });
    // Own office: 督办 is for the offices below.
    expect(judge("supervise", base("received"), { ...sup, relation: "act" })).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judge("supervise", base("received"), { roles: ["intake"], relation: "read" })).toEqual({
      ok: false,
      why: "forbidden",
    });
  });

  it("presses inside one office without an overdue clock, and answers a pending 督办 at any stage", () => {
    const own = (roles: Role[]) => ({ roles, relation: "act" as const });
    expect(judge("supervise", base("handling", { overdue: false }), own(["intake"]))).toEqual({ ok: true });
    expect(judge("supervise", base("received"), own(["intake"]))).toEqual({ ok: false, why: "illegal" });
    expect(judge("supervise", base("handling"), own(["handler"]))).toEqual({ ok: false, why: "forbidden" });
    for (const stage of STAGES) {
      expect(judge("respond", base(stage), own(["handler"]))).toEqual({ ok: false, why: "illegal" });
      expect(judge("respond", base(stage, { supervisionPending: true }), own(["handler"]))).toEqual({
        ok: true,
      });
      expect(judge("respond", base(stage, { supervisionPending: true }), own(["intake"]))).toEqual({
        ok: true,
      });
    }
    expect(
      judge("respond", base("handling", { supervisionPending: true }), {
        roles: ["supervisor"],
        relation: "read",
      }),
    ).toEqual({ ok: false, why: "forbidden" });
  });

  it("tells a role that can never take an action (403) from a stage that does not allow it (409)", () => {
    expect(judge("dispose", base("registered"), { roles: ["intake"], relation: "act" })).toEqual({
      ok: false,
      why: "forbidden",
    });
    expect(judge("dispose", base("received"), { roles: ["handler"], relation: "act" })).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judge("register", base("received"), { roles: ["intake"], relation: "none" })).toEqual({
      ok: false,
      why: "scope",
    });
  });

  it("does not push an appeal (申诉) through 处置方式: no dispose, and it is concluded once registered", () => {
    const handler = { roles: ["handler"] as Role[], relation: "act" as const };
    // 申诉 owes no 反馈 clock (real-name 检举控告 only): 办结 is the end.
    const appeal = (stage: Stage) => base(stage, { type: "appeal", owesFeedback: false });
    expect(allowedActions(appeal("registered"), handler)).toEqual([
      "transfer",
      "assign",
      "escalate",
      "merge",
      "keep",
      "conclude",
      "return",
      "message",
      "release",
    ]);
    expect(judge("dispose", appeal("registered"), handler)).toEqual({ ok: false, why: "illegal" });
    expect(nextStage("conclude", appeal("registered"))).toBe("concluded");
    // Any other report is concluded only after its 处置方式.
    for (const type of ["accusation", "suggestion", "other"] as const) {
      expect(judge("conclude", base("registered", { type }), handler)).toEqual({ ok: false, why: "illegal" });
      expect(judge("dispose", base("registered", { type }), handler)).toEqual({ ok: true });
    }
  });

  it("hands intake the received and reviewing cases, handlers the rest of the active ones", () => {
    expect(queueStages(["intake"])).toEqual(["received", "reviewing"]);
    expect(queueStages(["handler"])).toEqual([
      "registered",
      "handling",
      "reviewing",
      "awaiting_feedback",
      "objected",
    ]);
    expect(queueStages(["intake", "handler"])).toEqual([...ACTIVE_STAGES]);
    expect(queueStages(["supervisor", "custodian", "admin"])).toEqual([]);
    expect(canHold(["handler"], "concluded")).toBe(true); // to write to the reporter
    expect(canHold(["supervisor"], "received")).toBe(false);
  });

  it("makes the office an assignment (交办) came to report its result, not conclude or drop the case", () => {
    const assigned = (stage: Stage) =>
      base(stage, {
        arrival: { via: "assigned", fromOffice: "430100", fromStage: "registered" },
        assignedBy: "430100",
      });
    const both = { roles: ["intake", "handler"] as Role[], relation: "act" as const };
    expect(allowedActions(assigned("received"), both)).toEqual([
      "register",
      "transfer",
      "assign",
      "return",
      "message",
      "release",
    ]);
    // (督办 inside the office stays open to its 信访室: intake.)
    expect(allowedActions(assigned("handling"), both)).toEqual([
      "transfer",
      "dispose",
      "report",
      "message",
      "release",
      "supervise",
    ]);
    // A repeat cannot be dropped below either: merge and keep are the assigning office's to decide.
    expect(judge("keep", assigned("registered"), both)).toEqual({ ok: false, why: "illegal" });
    expect(judge("merge", assigned("registered"), both)).toEqual({ ok: false, why: "illegal" });
    expect(judge("conclude", assigned("handling"), both)).toEqual({ ok: false, why: "illegal" });
    expect(nextStage("report", assigned("handling"))).toBe("reviewing");
    // The reporter sees nothing of 报结: the status stays until the assigning office's 销号.
    expect(nextPublicStatus("report", assigned("handling"))).toBeUndefined();
    expect(eventIsPublic("report", assigned("handling"), "in_progress")).toBe(false);
  });

  it("approves (销号) into 已办结, 待反馈, or — inside an outer 交办 — into handling to report upward", () => {
    const reviewing = (over: Partial<WorkflowCase>) =>
      base("reviewing", { review: { of: "430112", outerAssignedBy: null }, ...over });
    expect(nextStage("approve", reviewing({ owesFeedback: false }))).toBe("concluded");
    expect(nextStage("approve", reviewing({}))).toBe("awaiting_feedback");
    expect(nextPublicStatus("approve", reviewing({}))).toBe("concluded");
    expect(eventIsPublic("approve", reviewing({}), "in_progress")).toBe(true);
    const nested = reviewing({ review: { of: "430112", outerAssignedBy: "430000" } });
    expect(nextStage("approve", nested)).toBe("handling");
    expect(nextPublicStatus("approve", nested)).toBeUndefined();
    expect(eventIsPublic("approve", nested, "in_progress")).toBe(false);
    expect(nextStage("rework", reviewing({}))).toBe("handling");
    const staff = { roles: ["handler"] as Role[], relation: "act" as const };
    expect(judge("approve", base("reviewing"), staff)).toEqual({ ok: false, why: "illegal" });
  });

  it("shows a status-setting step to the reporter only when it changes the status", () => {
    expect(eventIsPublic("register", base("received"), "received")).toBe(true);
    expect(eventIsPublic("register", base("received"), "accepted")).toBe(false);
    expect(eventIsPublic("dispose", base("handling"), "in_progress")).toBe(false);
    expect(eventIsPublic("recheck", base("objected"), "concluded")).toBe(true);
    expect(eventIsPublic("feedback", base("awaiting_feedback"), "concluded")).toBe(true);
    expect(eventIsPublic("transfer", base("registered"), "accepted")).toBe(false);
  });

  it("ends the handling (every clock stops) at a terminal stage and at 办结 awaiting 反馈", () => {
    expect(STAGES.filter(endsHandling)).toEqual([
      "awaiting_feedback",
      "declined",
      "concluded",
      "merged",
      "kept",
    ]);
  });

  it("owes feedback exactly where the 反馈 clock applies: real-name 检举控告", () => {
    const rule = CLOCK_RULES.find((r) => r.id === "result_notice")!;
    for (const realName of [true, false]) {
      for (const type of ["accusation", "appeal", "suggestion", "other"]) {
        const facts = {
          realName,
          type,
          disposition: null,
          officeLevel: "county" as const,
          repeat: false,
          publicStatus: "concluded" as const,
          stage: "awaiting_feedback" as const,
        };
        expect(ruleApplies(rule, facts), `${realName} ${type}`).toBe(realName && type === "accusation");
      }
    }
  });

  it("gives no 反馈 on a conclusion held for 提级审核 until the reviewing office approves it", () => {
    const handler = { roles: ["handler"] as Role[], relation: "act" as const };
    expect(judge("feedback", base("concluded", { conclusionHeld: true }), handler)).toEqual({
      ok: false,
      why: "illegal",
    });
    expect(judge("feedback", base("concluded", { conclusionHeld: false }), handler)).toEqual({ ok: true });
  });
});
