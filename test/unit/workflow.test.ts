import { describe, expect, it } from "vitest";
import type { Role } from "../../api/context";
import {
  ACTIONS,
  allowedActions,
  canHold,
  judge,
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
  ...over,
});

// The state machine written out by hand: stage → role → what that role may do there (own office,
// with every fact in favour). A change to WORKFLOW that is not also made here fails.
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
  declined: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
  concluded: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
  merged: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
  kept: { intake: ["message", "release"], handler: ["message", "release"], supervisor: ["release"] },
};

describe("workflow state machine", () => {
  it("matches the matrix written out by hand, for every stage and role", () => {
    for (const stage of STAGES) {
      for (const role of ["intake", "handler", "supervisor", "custodian", "admin"] as Role[]) {
        const got = allowedActions(base(stage), { roles: [role], relation: "act" });
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
    expect(nextStage("assign", base("registered"))).toBe("registered");
    expect(nextStage("escalate", base("registered"))).toBe("received");
    expect(nextStage("dispose", base("registered"))).toBe("handling");
    expect(nextStage("conclude", base("handling"))).toBe("concluded");
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
    const appeal = (stage: Stage) => base(stage, { type: "appeal" });
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

  it("hands intake the received cases and handlers the registered and handling ones", () => {
    expect(queueStages(["intake"])).toEqual(["received"]);
    expect(queueStages(["handler"])).toEqual(["registered", "handling"]);
    expect(queueStages(["intake", "handler"])).toEqual(["received", "registered", "handling"]);
    expect(queueStages(["supervisor", "custodian", "admin"])).toEqual([]);
    expect(canHold(["handler"], "concluded")).toBe(true); // to write to the reporter
    expect(canHold(["supervisor"], "received")).toBe(false);
  });
});
