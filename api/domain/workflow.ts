// The case workflow as a state machine: pure data and functions, no I/O. The staff API, the
// console's forms and the transition tests are all derived from WORKFLOW, so a new action
// has to be declared here before anything can offer or perform it.
//
// Stages (cases.stage) of a case at the office that holds it (cases.office_code):
//   received           待受理   new, forwarded down (转送), assigned down (交办: the receiving office
//                               受理s it itself) or escalated up (报送); the office decides
//   registered         已受理   accepted; waiting for a handler to choose a disposition
//   handling           办理中   a disposition (处置方式) is being carried out
//   reviewing          待审核销号 an assigned case's result is back at the assigning office (审核/销号)
//   awaiting_feedback  待反馈   办结; the real-name reporter of a 检举控告 is owed feedback (反馈)
//   objected           异议待核查 the reporter objected after 办结; the office explains or rechecks
//   declined           不予受理 (terminal)
//   concluded          已办结   (terminal until the reporter objects)
//   merged             合并: a repeat merged into another case, handled with it (terminal)
//   kept               留存备查: a repeat kept for reference, not handled again (terminal)
//
// Roles (api/context.ts): `intake` (信访受理) decides at `received`: register, decline, route, and
// reviews (审核/销号) what it assigned; `handler` (承办) works registered and handling cases:
// dispose, conclude or report (报结) an assigned case, review, give feedback, take up an
// objection; `supervisor` reads the cases of the offices below its own and presses (督办) their
// overdue ones, but never acts on them (inside its own office, the 信访室 — intake — or a
// supervisor presses the 承办部门 on any registered or handling case, and the office answers every
// 督办 with `respond`); `custodian` and `admin` have no case actions. Anyone may write to the
// reporter (message) and give a case back (release) once they hold its lease, except that message
// needs intake or handler.
import type { Role } from "../context";
import type { CaseEventKind } from "./case-events";
import type { ReportType } from "./categories";
import type { PublicStatus } from "./status";

export const STAGES = [
  "received",
  "registered",
  "handling",
  "reviewing",
  "awaiting_feedback",
  "objected",
  "declined",
  "concluded",
  "merged",
  "kept",
] as const;
export type Stage = (typeof STAGES)[number];
export const TERMINAL_STAGES: Stage[] = ["declined", "concluded", "merged", "kept"];
/** Stages with work left at the office holding the case: in its queue, its lists and its counts. */
export const ACTIVE_STAGES: Stage[] = STAGES.filter((s) => !TERMINAL_STAGES.includes(s));
/** The stages of a repeat (重复件): nothing may be merged into it or kept as its repeat. */
export const REPEAT_STAGES: Stage[] = ["merged", "kept"];

/**
 * Reaching one of these stages ends the case's handling: every running clock stops, and only the
 * clocks the step itself starts run on (办结 starts the 反馈 clock).
 */
export function endsHandling(stage: Stage): boolean {
  return TERMINAL_STAGES.includes(stage) || stage === "awaiting_feedback";
}

export const ACTIONS = [
  "register",
  "decline",
  "transfer",
  "forward",
  "assign",
  "escalate",
  "merge",
  "keep",
  "dispose",
  "conclude",
  "report",
  "approve",
  "rework",
  "feedback",
  "recheck",
  "return",
  "message",
  "release",
  "supervise",
  "respond",
] as const;
export type Action = (typeof ACTIONS)[number];

/** 问题线索处置方式 (current rules). */
export const DISPOSITIONS = [
  "talk_inquiry",
  "preliminary_verification",
  "hold",
  "close",
  "investigation",
] as const;
export type DispositionCode = (typeof DISPOSITIONS)[number];

/** What 办结 found: 属实 / 部分属实 / 不属实. */
export const FINDINGS = ["substantiated", "partly", "unsubstantiated"] as const;
export type Finding = (typeof FINDINGS)[number];

/** How the reporter was told (反馈方式): 网上答复 / 电话 / 书面 / 当面. */
export const FEEDBACK_METHODS = ["online", "phone", "written", "in_person"] as const;
export type FeedbackMethod = (typeof FEEDBACK_METHODS)[number];

/**
 * The reporter's view of the result when told (满意 / 基本满意 / 不满意), or 未表态 when they gave
 * none; what they said in their own words goes in the feedback's free-text `viewNote`.
 */
export const REPORTER_VIEWS = ["not_stated", "satisfied", "basically_satisfied", "dissatisfied"] as const;
export type ReporterView = (typeof REPORTER_VIEWS)[number];

export const OFFICE_LEVELS = ["province", "city", "county"] as const;
export type OfficeLevel = (typeof OFFICE_LEVELS)[number];

/** How a case came to the office that holds it, read from its last routing event. */
export interface Arrival {
  via: "forwarded" | "assigned" | "escalated" | "returned" | "reported" | "reworked";
  fromOffice: string;
  /** The stage the case had at the sending office when it was sent. */
  fromStage: Stage;
}

/** A 交办 still open: `from` assigned the case to `to`, and has not yet approved (销号) its result. */
export interface Assignment {
  from: string;
  to: string;
}

/** What the machine needs to know about a case. */
export interface WorkflowCase {
  stage: Stage;
  /** The office has offices below it (转送/交办 go down). */
  hasLowerOffices: boolean;
  /** The office has a parent (报送 goes up). */
  hasParentOffice: boolean;
  arrival: Arrival | null;
  /** A running clock is past its due date. */
  overdue: boolean;
  /** A 督办 addressed to the office holding the case awaits its reply. */
  supervisionPending?: boolean;
  /**
   * The kind of report. 申诉 concerns a decision about the reporter, not a 问题线索: it is not
   * given a 处置方式 (no dispose) and is concluded once registered.
   */
  type: ReportType;
  /** The office that assigned (交办) the case to the office holding it and awaits its result (报结). */
  assignedBy: string | null;
  /**
   * At the assigning office: the office whose result it reviews (审核/销号), and the office that in
   * turn assigned the case to this one (a 交办 inside a 交办), which then awaits this office's result.
   */
  review: { of: string; outerAssignedBy: string | null } | null;
  /** The rules owe the reporter feedback (反馈) after 办结: a real-name 检举控告. */
  owesFeedback: boolean;
  /**
   * The conclusion is held for 提级审核 (api/domain/leaders.ts): concluded here, not yet shown to the
   * reporter, so no 反馈 may be given.
   */
  conclusionHeld?: boolean;
}

/**
 * The actor's relation to the case: `act` — the case is at their own office; `read` — a
 * supervisor of an office above the case's; `none` — outside their scope (answers 404).
 */
export type Relation = "act" | "read" | "none";

export interface WorkflowActor {
  roles: readonly Role[];
  relation: Relation;
}

type StageRoles = Partial<Record<Stage, readonly Role[]>>;

export interface ActionSpec {
  /** Stages the action may start from, and who may take it from each. */
  from: StageRoles;
  /**
   * The stage after the action; `same` keeps it; `arrival` restores the sender's stage (退回); a
   * function decides from the case's facts (办结 waits for 反馈 when the rules owe it).
   */
  to: Stage | "same" | "arrival" | ((c: WorkflowCase) => Stage);
  /** Where the case goes: stays, down to a lower office, up to the parent, back to the sender. */
  moves: "none" | "down" | "up" | "back";
  /** Needs the current lease token (every action but 督办, which a higher office does from outside). */
  lease: boolean;
  /** After success the holder keeps (and renews) the lease, or the case is let go. */
  afterLease: "keep" | "clear" | "untouched";
  /**
   * The reporter-facing status after the action, when the action sets one (a function: when it
   * depends on the facts; undefined leaves it). Its event is public only if the status changes.
   */
  publicStatus?: PublicStatus | ((c: WorkflowCase) => PublicStatus | undefined);
  /** Kind of the case event written; null writes none (release is queue bookkeeping). */
  event: CaseEventKind | null;
  /** Whether the reporter sees the event on /track. */
  publicEvent: boolean;
  /** Needed facts beyond stage and role. */
  when?: (c: WorkflowCase) => boolean;
  /** Taken by an office above the case's office (relation `read`) rather than by its own. */
  fromAbove?: boolean;
  /**
   * A `fromAbove` action the holding office may also take on its own cases (relation `act`), from
   * these stages by these roles, when `when` (if any) holds: 督办 inside one office.
   */
  within?: { from: StageRoles; when?: (c: WorkflowCase) => boolean };
}

const ALL_STAGES_FOR = (roles: readonly Role[]): StageRoles =>
  Object.fromEntries(STAGES.map((s) => [s, roles])) as StageRoles;
const ACTIVE_FOR = (roles: readonly Role[]): StageRoles =>
  Object.fromEntries(ACTIVE_STAGES.map((s) => [s, roles])) as StageRoles;

/** No 交办 awaits this office's result: it may close the case itself (不予受理, 合并, 办结). */
const unassigned = (c: WorkflowCase) => c.assignedBy === null;
/** 办结 (or 销号 of the last open 交办): the reporter is owed 反馈, or the case is done. */
const afterConclusion = (c: WorkflowCase): Stage => (c.owesFeedback ? "awaiting_feedback" : "concluded");
/** A 问题线索 is concluded after its 处置方式 (handling); an appeal (which has none) once registered. */
const concludable = (c: WorkflowCase) => c.stage === "handling" || c.type === "appeal";

export const WORKFLOW: Record<Action, ActionSpec> = {
  register: {
    from: { received: ["intake"] },
    to: "registered",
    moves: "none",
    lease: true,
    afterLease: "keep",
    publicStatus: "accepted",
    event: "registered",
    publicEvent: true,
  },
  decline: {
    from: { received: ["intake"] },
    to: "declined",
    moves: "none",
    lease: true,
    afterLease: "clear",
    publicStatus: "not_accepted",
    event: "declined",
    publicEvent: true,
    // An assigned case goes back to the assigning office (退回), which decides; it is not declined below.
    when: unassigned,
  },
  transfer: {
    from: { received: ["intake"], registered: ["handler"], handling: ["handler"] },
    to: "same",
    moves: "none",
    lease: true,
    afterLease: "keep",
    event: "transferred",
    publicEvent: false,
  },
  forward: {
    from: { received: ["intake"] },
    to: "received",
    moves: "down",
    lease: true,
    afterLease: "clear",
    event: "forwarded",
    publicEvent: true,
    // An assigned case passed further down is 交办 again, so its result still comes back up.
    when: (c) => c.hasLowerOffices && unassigned(c),
  },
  assign: {
    from: { received: ["intake"], registered: ["handler"] },
    // The receiving office 受理s the case itself: it does not inherit the sender's stage.
    to: "received",
    moves: "down",
    lease: true,
    afterLease: "clear",
    event: "assigned",
    publicEvent: true,
    when: (c) => c.hasLowerOffices,
  },
  escalate: {
    from: { received: ["intake"], registered: ["handler"] },
    to: "received",
    moves: "up",
    lease: true,
    afterLease: "clear",
    event: "escalated",
    publicEvent: true,
    when: (c) => c.hasParentOffice && unassigned(c),
  },
  merge: {
    from: { received: ["intake"], registered: ["handler"] },
    to: "merged",
    moves: "none",
    lease: true,
    afterLease: "clear",
    event: "merged",
    // The repeat's reporter sees 已并案办理, then the status of the case it joined (/track).
    publicEvent: true,
    when: unassigned,
  },
  keep: {
    // 留存备查: a repeat of a matter already handled (or being handled) is kept for reference and
    // not handled, nor its reporter told of acceptance, again; the earlier case's office is told.
    from: { received: ["intake"], registered: ["handler"] },
    to: "kept",
    moves: "none",
    lease: true,
    afterLease: "clear",
    publicStatus: "kept",
    event: "kept",
    publicEvent: true,
    when: unassigned,
  },
  dispose: {
    from: { registered: ["handler"], handling: ["handler"] },
    to: "handling",
    moves: "none",
    lease: true,
    afterLease: "keep",
    publicStatus: "in_progress",
    event: "in_progress",
    publicEvent: true,
    when: (c) => c.type !== "appeal",
  },
  conclude: {
    from: { registered: ["handler"], handling: ["handler"] },
    to: afterConclusion,
    moves: "none",
    lease: true,
    afterLease: "clear",
    publicStatus: "concluded",
    event: "concluded",
    publicEvent: true,
    // A 问题线索 is concluded after its 处置方式; an appeal (which has none) once registered. An
    // assigned case reports (报结) to the office that assigned it instead.
    when: (c) => unassigned(c) && concludable(c),
  },
  report: {
    from: { registered: ["handler"], handling: ["handler"] },
    to: "reviewing",
    moves: "back",
    lease: true,
    afterLease: "clear",
    event: "reported",
    publicEvent: false,
    when: (c) => c.assignedBy !== null && concludable(c),
  },
  approve: {
    from: { reviewing: ["intake", "handler"] },
    // 销号. Inside a 交办 from further up, this office now reports its own result upward.
    to: (c) => (c.review?.outerAssignedBy ? "handling" : afterConclusion(c)),
    moves: "none",
    lease: true,
    afterLease: "clear",
    publicStatus: (c) => (c.review?.outerAssignedBy ? undefined : "concluded"),
    event: "approved",
    publicEvent: true,
    when: (c) => c.review !== null,
  },
  rework: {
    from: { reviewing: ["intake", "handler"] },
    to: "handling",
    moves: "down",
    lease: true,
    afterLease: "clear",
    event: "reworked",
    publicEvent: false,
    when: (c) => c.review !== null,
  },
  feedback: {
    // Owed after 办结 of a real-name 检举控告; may also be given on any concluded case (an
    // anonymous reporter reads it on /track), and answers an objection without rechecking.
    from: { awaiting_feedback: ["handler"], concluded: ["handler"], objected: ["handler"] },
    to: "concluded",
    when: (c) => !c.conclusionHeld,
    moves: "none",
    lease: true,
    afterLease: "clear",
    event: "feedback",
    publicEvent: true,
  },
  recheck: {
    from: { objected: ["handler"] },
    to: "handling",
    moves: "none",
    lease: true,
    afterLease: "keep",
    publicStatus: "in_progress",
    event: "recheck_started",
    publicEvent: true,
  },
  return: {
    from: { received: ["intake"], registered: ["handler"] },
    to: "arrival",
    moves: "back",
    lease: true,
    afterLease: "clear",
    event: "returned",
    publicEvent: false,
    when: (c) => c.arrival?.via === "forwarded" || c.arrival?.via === "assigned",
  },
  message: {
    from: ALL_STAGES_FOR(["intake", "handler"]),
    to: "same",
    moves: "none",
    lease: true,
    afterLease: "keep",
    event: "message",
    publicEvent: true,
  },
  release: {
    from: ALL_STAGES_FOR(["intake", "handler", "supervisor", "custodian", "admin"]),
    to: "same",
    moves: "none",
    lease: true,
    afterLease: "clear",
    event: null,
    publicEvent: false,
  },
  supervise: {
    from: ACTIVE_FOR(["supervisor"]),
    to: "same",
    moves: "none",
    lease: false,
    afterLease: "untouched",
    event: "supervised",
    publicEvent: false,
    when: (c) => c.overdue,
    fromAbove: true,
    // 信访室 → 承办部门: pressing its own office's handling needs no overdue clock.
    within: { from: { registered: ["intake", "supervisor"], handling: ["intake", "supervisor"] } },
  },
  respond: {
    // Every 督办 needs the supervised office's answer, at whatever stage the case now is.
    from: ALL_STAGES_FOR(["intake", "handler"]),
    to: "same",
    moves: "none",
    lease: true,
    afterLease: "keep",
    event: "supervision_replied",
    publicEvent: false,
    when: (c) => c.supervisionPending === true,
  },
};

export function isStage(s: string): s is Stage {
  return (STAGES as readonly string[]).includes(s);
}

export function isAction(s: string): s is Action {
  return (ACTIONS as readonly string[]).includes(s);
}

export type Verdict =
  | { ok: true }
  /** outside the actor's scope: 404 */
  | { ok: false; why: "scope" }
  /** the case is seen from above (read-only), or the actor's roles can never take this action: 403 */
  | { ok: false; why: "forbidden" }
  /** not from this stage, or a needed fact is missing: 409 with the allowed actions */
  | { ok: false; why: "illegal" };

/** May `actor` take `action` on case `c` now (lease aside)? */
export function judge(action: Action, c: WorkflowCase, actor: WorkflowActor): Verdict {
  if (actor.relation === "none") return { ok: false, why: "scope" };
  const spec = WORKFLOW[action];
  // 督办 inside one office: the office's own rules for an action otherwise taken from above.
  const within = actor.relation === "act" && spec.fromAbove ? spec.within : undefined;
  if (!within && Boolean(spec.fromAbove) !== (actor.relation === "read")) {
    // A higher office only reads and presses; an office does not press its own case.
    return actor.relation === "read" ? { ok: false, why: "forbidden" } : { ok: false, why: "illegal" };
  }
  const from = within?.from ?? spec.from;
  const when = within ? within.when : spec.when;
  const everAllowed = Object.values(from).some((roles) => roles?.some((r) => actor.roles.includes(r)));
  if (!everAllowed) return { ok: false, why: "forbidden" };
  const roles = from[c.stage];
  if (!roles?.some((r) => actor.roles.includes(r))) return { ok: false, why: "illegal" };
  if (when && !when(c)) return { ok: false, why: "illegal" };
  return { ok: true };
}

/** The actions `actor` may take on `c` now, in ACTIONS order (lease aside). */
export function allowedActions(c: WorkflowCase, actor: WorkflowActor): Action[] {
  return ACTIONS.filter((a) => judge(a, c, actor).ok);
}

/** The stage after `action` on `c` (at the office the case ends up in). */
export function nextStage(action: Action, c: WorkflowCase): Stage {
  const to = WORKFLOW[action].to;
  if (to === "same") return c.stage;
  if (to === "arrival") {
    if (!c.arrival) throw new Error("return without an arrival");
    return c.arrival.fromStage;
  }
  return typeof to === "function" ? to(c) : to;
}

/** The reporter-facing status `action` sets on `c`, or undefined when it leaves it. */
export function nextPublicStatus(action: Action, c: WorkflowCase): PublicStatus | undefined {
  const s = WORKFLOW[action].publicStatus;
  return typeof s === "function" ? s(c) : s;
}

/**
 * Whether the reporter sees the event `action` writes on `c`, whose status is `statusBefore`: a
 * step that sets the public status shows only when it changes it (a second 处置方式, 受理 of an
 * assigned case the assigning office already accepted, a 销号 that reports further up).
 */
export function eventIsPublic(action: Action, c: WorkflowCase, statusBefore: PublicStatus): boolean {
  const spec = WORKFLOW[action];
  if (!spec.publicEvent) return false;
  if (spec.publicStatus === undefined) return true;
  const after = nextPublicStatus(action, c);
  return after !== undefined && after !== statusBefore;
}

/** An action that moves the case on: it changes the stage or the office. */
export function isProgress(action: Action): boolean {
  const s = WORKFLOW[action];
  return !s.fromAbove && (s.to !== "same" || s.moves !== "none");
}

/**
 * The stages whose cases the queue hands to someone with `roles`: those where one of their
 * roles can move the case on. intake → received; handler → registered, handling.
 */
export function queueStages(roles: readonly Role[]): Stage[] {
  return ACTIVE_STAGES.filter((stage) =>
    ACTIONS.some((a) => isProgress(a) && WORKFLOW[a].from[stage]?.some((r) => roles.includes(r))),
  );
}

/** Someone with `roles` may hold the lease of a case in `stage` (some leased action other than release). */
export function canHold(roles: readonly Role[], stage: Stage): boolean {
  return ACTIONS.some(
    (a) => a !== "release" && WORKFLOW[a].lease && WORKFLOW[a].from[stage]?.some((r) => roles.includes(r)),
  );
}
