import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { isUniqueViolation, type Tx } from "../../../db/client";
import {
  caseInstructions,
  caseSupervisions,
  cases,
  caseTransfers,
  leaderItems,
} from "../../../db/schema/index";
import type { Ctx, Deps, StaffActor, VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import {
  allowedLeaderActions,
  isLeaderAction,
  judgeLeader,
  type LeaderAction,
  reviewAfterMove,
} from "../../domain/leaders";
import { leaderFieldError, problems } from "../../errors";
import type { CaseRow } from "../cases/facts";
import { actorLabel, caseNotFound, staffOf } from "../cases/scope";
import { appendEvent } from "../events/append";
import { allocateNumber, yearOf } from "../numbering/numbers";
import { type LeaderCase, loadLeaderCase } from "./facts";
import { type LeaderInput, parseLeaderBody } from "./inputs";
import { getLeaderView, type LeaderCaseView } from "./view";

export interface LeaderActInput {
  caseId: string;
  /** `{ action, …fields }` as the client sent it. */
  body: unknown;
}

const illegal = (action: LeaderAction, allowed: LeaderAction[]) =>
  problems.conflict(["leader.action_illegal", { action }], { allowedActions: allowed });

const ACTIVE = ["received", "registered", "handling"] as const;

/**
 * POST /api/v1/staff/cases/{id}/leader-actions — one leader action (api/domain/leaders.ts): 呈批,
 * 批示, 书记阅批件 (mark, 销号, 督办批示), 提级办理, 提级审核 and its decision. In one transaction:
 * the case row is locked, the facts read, the permission judged (404 outside every view of the
 * case, 403 roles or place, 409 state with the actions possible now), the fields parsed, then the
 * conditional writes and the case event. The answer is the case's leader view.
 */
export async function leaderAct({ ctx, input }: VerbArgs<LeaderActInput>): Promise<LeaderCaseView> {
  const actor = staffOf(ctx);
  const body = input.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw problems.invalid([leaderFieldError("action", "required")]);
  }
  const action = (body as { action?: unknown }).action;
  if (!isLeaderAction(action)) {
    throw problems.invalid([
      leaderFieldError("action", action === undefined ? "required" : "action.invalid"),
    ]);
  }
  const run = (tx: Tx) => actOnce(ctx, actor, action, body as Record<string, unknown>, input.caseId, tx);
  try {
    if (ctx.tx) await run(ctx.tx);
    else await ctx.deps.db.transaction(run);
  } catch (e) {
    // Two 呈批 at once: the second meets the first's pending row.
    if (isUniqueViolation(e, "case_instructions_pending")) throw illegal(action, []);
    throw e;
  }
  return getLeaderView({ ctx, input: { caseId: input.caseId } });
}

async function actOnce(
  ctx: Ctx,
  actor: StaffActor,
  action: LeaderAction,
  body: Record<string, unknown>,
  caseId: string,
  tx: Tx,
): Promise<void> {
  const { deps } = ctx;
  const now = deps.now();
  const today = shanghaiDate(now);
  const lc = await loadLeaderCase(tx, deps, actor, caseId, true);
  if (!lc) throw caseNotFound();
  const verdict = judgeLeader(action, lc.facts, actor.roles);
  if (!verdict.ok) {
    if (verdict.why === "forbidden") throw problems.forbidden("leader.forbidden");
    throw illegal(action, allowedLeaderActions(lc.facts, actor.roles));
  }
  const parsed = parseLeaderBody(action, body, today);
  if (!parsed.ok) throw problems.invalid(parsed.errors);
  await write(actor, parsed.input, lc, tx, now, today, deps.offices);
}

/** The writes of each action; every conditional write that matches nothing is a 409. */
async function write(
  actor: StaffActor,
  input: LeaderInput,
  lc: LeaderCase,
  tx: Tx,
  now: Date,
  today: string,
  offices: Deps["offices"],
): Promise<void> {
  const row: CaseRow = lc.row;
  const who = actorLabel(actor);
  const office = actor.officeCode;
  const event = (
    kind: Parameters<typeof appendEvent>[1]["kind"],
    data: Record<string, unknown>,
    isPublic = false,
  ) => appendEvent(tx, { caseId: row.id, kind, actor: who, officeCode: office, isPublic, data, at: now });
  const conflict = () => illegal(input.action, []);

  switch (input.action) {
    case "submit_instruction": {
      const e = await event("instruction_requested", { proposal: input.proposal });
      await tx.insert(caseInstructions).values({
        caseId: row.id,
        officeCode: row.officeCode,
        kind: "instruction",
        requestedAt: now,
        requestedBy: who,
        proposal: input.proposal,
        requestEventSeq: e.seq,
      });
      return;
    }
    case "instruct": {
      const e = await event("instructed", { instruction: input.instruction, signedOn: input.signedOn });
      const done = await tx
        .update(caseInstructions)
        .set({
          instructedAt: now,
          instructedBy: who,
          instruction: input.instruction,
          signedOn: input.signedOn,
          instructEventSeq: e.seq,
        })
        .where(and(eq(caseInstructions.id, lc.pendingInstructionId!), isNull(caseInstructions.instructedAt)))
        .returning({ id: caseInstructions.id });
      if (done.length === 0) throw conflict();
      return;
    }
    case "mark": {
      const done = await tx
        .insert(leaderItems)
        .values({ caseId: row.id, officeCode: office, manual: true, markedAt: now, markedBy: who })
        .onConflictDoUpdate({
          target: [leaderItems.caseId, leaderItems.officeCode],
          set: { manual: true, markedAt: now, markedBy: who },
          setWhere: eq(leaderItems.manual, false),
        })
        .returning({ caseId: leaderItems.caseId });
      if (done.length === 0) throw conflict();
      await event("leader_marked", {});
      return;
    }
    case "close": {
      const done = await tx
        .insert(leaderItems)
        .values({ caseId: row.id, officeCode: office, manual: false, closedAt: now, closedBy: who })
        .onConflictDoUpdate({
          target: [leaderItems.caseId, leaderItems.officeCode],
          set: { closedAt: now, closedBy: who },
          setWhere: isNull(leaderItems.closedAt),
        })
        .returning({ caseId: leaderItems.caseId });
      if (done.length === 0) throw conflict();
      await event("leader_closed", {});
      return;
    }
    case "supervise": {
      // 督办批示: a 督办 by letter from the leader's office to the office holding the case, which
      // answers it like any other (the `respond` action), and a 批示 on the case.
      const within = row.officeCode === office;
      const e = await event("supervised", {
        byOffice: office,
        method: "letter",
        note: input.instruction,
        dueOn: row.nextDueOn,
        instruction: true,
        ...(within ? { withinOffice: true, department: row.department } : {}),
      });
      const [s] = await tx
        .insert(caseSupervisions)
        .values({
          caseId: row.id,
          eventSeq: e.seq,
          at: now,
          byOffice: office,
          byActor: who,
          toOffice: row.officeCode,
          department: within ? row.department : null,
          withinOffice: within,
          method: "letter",
          note: input.instruction,
        })
        .returning({ id: caseSupervisions.id });
      await tx.insert(caseInstructions).values({
        caseId: row.id,
        officeCode: office,
        kind: "supervision",
        instructedAt: now,
        instructedBy: who,
        instruction: input.instruction,
        signedOn: today,
        instructEventSeq: e.seq,
        supervisionId: s.id,
      });
      return;
    }
    case "pull_up": {
      const from = row.officeCode;
      const moved = await tx
        .update(cases)
        .set({
          officeCode: office,
          department: null,
          assigneeId: null,
          leaseToken: null,
          leaseHolderId: null,
          leaseExpiresAt: null,
          // Handled above now: a review from an office still above this one stays; one by this
          // office or an office below it has nothing left to review.
          reviewOfficeCode: reviewAfterMove(row.reviewOfficeCode, office, (a, b) =>
            offices.isSameOrAbove(a, b),
          ),
          updatedAt: now,
        })
        .where(and(eq(cases.id, row.id), eq(cases.officeCode, from), inArray(cases.stage, [...ACTIVE])))
        .returning({ id: cases.id });
      if (moved.length === 0) throw conflict();
      await event("pulled_up", { from, to: office, fromStage: row.stage, reason: input.reason }, true);
      // The case arrives at the higher office: its number there (kept if it had one).
      await allocateNumber(tx, { caseId: row.id, officeCode: office, year: yearOf(today), at: now });
      // A 转送/交办 to the office below is settled: the case went up (报送上级 in the sender's ledger).
      await tx
        .update(caseTransfers)
        .set({ closedAt: now, closedKind: "escalated" })
        .where(
          and(
            eq(caseTransfers.caseId, row.id),
            eq(caseTransfers.toOffice, from),
            isNull(caseTransfers.closedAt),
          ),
        );
      return;
    }
    case "review_up": {
      const set = await tx
        .update(cases)
        .set({ reviewOfficeCode: office, updatedAt: now })
        .where(and(eq(cases.id, row.id), isNull(cases.reviewOfficeCode), inArray(cases.stage, [...ACTIVE])))
        .returning({ id: cases.id });
      if (set.length === 0) throw conflict();
      await event("review_raised", { byOffice: office, reason: input.reason });
      return;
    }
    case "approve_review": {
      const held = and(
        eq(cases.id, row.id),
        eq(cases.stage, "concluded"),
        eq(cases.reviewOfficeCode, office),
        ne(cases.publicStatus, "concluded"),
      );
      const done = await tx
        .update(cases)
        .set({ publicStatus: "concluded", updatedAt: now })
        .where(held)
        .returning({ id: cases.id });
      if (done.length === 0) throw conflict();
      // Public: the reporter now sees 已办结 and the reply given at the conclusion (/track).
      await event("review_approved", { byOffice: office, note: input.note }, true);
      return;
    }
    case "return_review": {
      const done = await tx
        .update(cases)
        // Back to handling below (an appeal, concluded once registered, to registered).
        .set({
          stage: sql`case when ${cases.type} = 'appeal' then 'registered' else 'handling' end`,
          updatedAt: now,
        })
        .where(
          and(
            eq(cases.id, row.id),
            eq(cases.stage, "concluded"),
            eq(cases.reviewOfficeCode, office),
            ne(cases.publicStatus, "concluded"),
          ),
        )
        .returning({ id: cases.id });
      if (done.length === 0) throw conflict();
      await event("review_returned", { byOffice: office, reason: input.reason });
      return;
    }
  }
}
