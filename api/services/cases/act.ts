import { and, eq, gt, lt } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../../db/client";
import { caseMessages, cases } from "../../../db/schema/index";
import type { Ctx, StaffActor, VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { clockRulesFor } from "../../domain/clock-rules";
import {
  type Action,
  allowedActions,
  isAction,
  judge,
  nextStage,
  TERMINAL_STAGES,
  WORKFLOW,
  type WorkflowCase,
} from "../../domain/workflow";
import { problems } from "../../errors";
import { applyClockRules } from "../clocks/apply-rules";
import { appendEvent } from "../events/append";
import { arrivalOf, type CaseRow, type CaseSummary, caseSummary, workflowCaseOf } from "./facts";
import { fieldError, parseActionBody } from "./inputs";
import { actorLabel, caseNotFound, isUuid, relationTo, staffOf } from "./scope";

export interface ActInput {
  caseId: string;
  /** `{ action, leaseToken, …fields }` as the client sent it. */
  body: unknown;
}

export interface ActResult {
  case: CaseSummary;
  /** The renewed lease expiry when the holder keeps the case; null when it was let go. */
  leaseExpiresAt: string | null;
}

/** Runs `fn` in the caller's open transaction, or in a new one. */
export function inTx<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.tx ? fn(ctx.tx) : ctx.deps.db.transaction(fn);
}

export async function loadCase(db: DbOrTx, id: string): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

export const illegalStep = (action: string, allowed: Action[]) =>
  problems.conflict(
    `此案件当前不能执行「${action}」。This step is not allowed for the case as it stands now.`,
    { allowedActions: allowed },
  );

export const staleLease = () =>
  problems.conflict(
    "领办已过期或已被他人领办，请刷新后重新领办。Your lease on this case expired or was taken over: reload and claim it again.",
    { reason: "lease" },
  );

/**
 * POST /api/v1/staff/cases/:id/actions — one step of the workflow. Permission first (scope,
 * role, stage, from the state machine), then the fields, then in one transaction a conditional
 * UPDATE fenced by stage, office and the live lease token, the case event, the reporter message
 * and the clocks. An empty RETURNING is a 409 and nothing is written.
 */
export async function actOnCase({ ctx, input }: VerbArgs<ActInput>): Promise<ActResult> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  const body = input.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw problems.invalid([fieldError("action", "required")]);
  }
  const rawAction = (body as { action?: unknown }).action;
  if (typeof rawAction !== "string" || !isAction(rawAction)) {
    throw problems.invalid([fieldError("action", rawAction === undefined ? "required" : "invalid_choice")]);
  }
  const action: Action = rawAction;
  const spec = WORKFLOW[action];

  const now = deps.now();
  const today = shanghaiDate(now);
  const row = await loadCase(deps.db, input.caseId);
  if (!row) throw caseNotFound();
  const relation = relationTo(deps.offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  const wc = workflowCaseOf(row, await arrivalOf(deps.db, row.id, row.officeCode), deps.offices, today);
  const who = { roles: actor.roles, relation };
  const verdict = judge(action, wc, who);
  if (!verdict.ok) {
    if (verdict.why === "scope") throw caseNotFound();
    if (verdict.why === "forbidden") {
      throw problems.forbidden(
        relation === "read"
          ? "上级机关可以查看和督办，但不能代为办理下级机关的案件。A higher office may read and press this case, not act on it."
          : "您的角色不能执行此操作。Your roles do not allow this action.",
      );
    }
    throw illegalStep(action, allowedActions(wc, who));
  }

  const parsed = parseActionBody(action, body as Record<string, unknown>, spec.lease);
  if (!parsed.ok) throw problems.invalid(parsed.errors);
  const fields = parsed.fields;
  const effect = await effectOf(ctx, actor, action, row, wc, fields, today);

  const rules = clockRulesFor(deps.config.province);
  const leaseUntil = new Date(now.getTime() + deps.config.leaseMinutes * 60_000);
  const leaseSet =
    spec.afterLease === "keep"
      ? { leaseExpiresAt: leaseUntil }
      : spec.afterLease === "clear"
        ? { leaseToken: null, leaseHolderId: null, leaseExpiresAt: null }
        : {};
  const toStage = nextStage(action, wc);
  const terminal = TERMINAL_STAGES.includes(toStage);

  const updated = await inTx(ctx, async (tx) => {
    const [u] = await tx
      .update(cases)
      .set({
        ...effect.set,
        stage: toStage,
        ...(spec.publicStatus ? { publicStatus: spec.publicStatus } : {}),
        ...leaseSet,
        updatedAt: now,
      })
      .where(
        and(
          eq(cases.id, row.id),
          eq(cases.stage, row.stage),
          eq(cases.officeCode, row.officeCode),
          spec.lease ? eq(cases.leaseToken, parsed.leaseToken!) : undefined,
          spec.lease ? gt(cases.leaseExpiresAt, now) : undefined,
          // 督办 presses an overdue case only: still overdue when the update runs.
          action === "supervise" ? lt(cases.nextDueOn, today) : undefined,
        ),
      )
      .returning();
    if (!u) throw await explainConflict(tx, ctx, actor, action, row.id, today);
    if (spec.event) {
      await appendEvent(tx, {
        caseId: row.id,
        kind: spec.event,
        actor: actorLabel(actor),
        officeCode: actor.officeCode,
        isPublic: spec.publicEvent && (action !== "dispose" || row.publicStatus !== "in_progress"),
        at: now,
        data: effect.data,
      });
      await applyClockRules(
        tx,
        rules,
        { caseId: row.id, kind: spec.event, at: now, data: effect.data, officeCode: u.officeCode, terminal },
        {
          realName: u.realName,
          disposition: u.disposition,
          officeLevel: deps.offices.get(u.officeCode)?.level ?? "county",
          type: u.type,
        },
      );
    }
    if (action === "message") {
      await tx.insert(caseMessages).values({
        caseId: row.id,
        at: now,
        sender: "office",
        staffId: actor.id,
        body: fields.body as string,
      });
    }
    const [fresh] = await tx.select().from(cases).where(eq(cases.id, row.id));
    return fresh;
  });

  return {
    case: caseSummary(updated, deps.offices),
    leaseExpiresAt: spec.afterLease === "keep" ? leaseUntil.toISOString() : null,
  };
}

/** Why the fenced update matched nothing: the case moved on (illegal step now) or the lease is stale. */
async function explainConflict(
  tx: Tx,
  ctx: Ctx,
  actor: StaffActor,
  action: Action,
  caseId: string,
  today: string,
): Promise<Error> {
  const [now] = await tx.select().from(cases).where(eq(cases.id, caseId));
  const relation = relationTo(ctx.deps.offices, actor, now.officeCode);
  if (relation === "none") return caseNotFound();
  const wc = workflowCaseOf(now, await arrivalOf(tx, now.id, now.officeCode), ctx.deps.offices, today);
  const who = { roles: actor.roles, relation };
  if (!judge(action, wc, who).ok) return illegalStep(action, allowedActions(wc, who));
  return staleLease();
}

interface Effect {
  /** Columns the action sets beyond stage, public status, lease and updated_at. */
  set: Partial<typeof cases.$inferInsert>;
  /** The case event's data. */
  data: Record<string, unknown>;
}

/** What each action changes; also the checks of its fields that need the directory or the database. */
async function effectOf(
  ctx: Ctx,
  actor: StaffActor,
  action: Action,
  row: CaseRow,
  wc: WorkflowCase,
  f: Record<string, unknown>,
  today: string,
): Promise<Effect> {
  const { offices } = ctx.deps;
  const moved = (to: string) => ({ officeCode: to, department: null, assigneeId: null });
  const lowerOffice = (code: string) => {
    if (code === row.officeCode || !offices.get(code) || !offices.isSameOrAbove(row.officeCode, code)) {
      throw problems.invalid([fieldError("office", "office.not_lower")]);
    }
    return code;
  };
  switch (action) {
    case "register":
      return { set: { assigneeId: actor.id }, data: {} };
    case "decline":
      return { set: {}, data: { reason: f.reason, guidance: f.guidance } };
    case "transfer":
      return {
        set: { department: f.department as string },
        data: { department: f.department, previous: row.department },
      };
    case "forward": {
      const to = lowerOffice(f.office as string);
      return { set: moved(to), data: { from: row.officeCode, to, fromStage: row.stage, note: f.note } };
    }
    case "assign": {
      const to = lowerOffice(f.office as string);
      const dueOn = f.dueDate as string;
      if (dueOn < today) throw problems.invalid([fieldError("dueDate", "dueDate.invalid")]);
      return {
        set: moved(to),
        data: { from: row.officeCode, to, fromStage: row.stage, dueOn, note: f.note },
      };
    }
    case "escalate": {
      const to = offices.get(row.officeCode)!.parentCode!;
      return { set: moved(to), data: { from: row.officeCode, to, fromStage: row.stage, reason: f.reason } };
    }
    case "return": {
      const arrival = wc.arrival!;
      return {
        set: moved(arrival.fromOffice),
        data: {
          from: row.officeCode,
          to: arrival.fromOffice,
          fromStage: row.stage,
          toStage: arrival.fromStage,
          reason: f.reason,
        },
      };
    }
    case "merge": {
      const target = await loadCase(ctx.deps.db, f.caseId as string);
      if (
        !target ||
        target.id === row.id ||
        target.officeCode !== actor.officeCode ||
        target.stage === "merged"
      ) {
        throw problems.invalid([fieldError("caseId", "caseId.unknown")]);
      }
      return { set: { mergedInto: target.id }, data: { into: target.id, intoSerial: target.serial } };
    }
    case "dispose":
      return {
        set: { disposition: f.disposition as string, assigneeId: actor.id },
        data: { disposition: f.disposition, previous: row.disposition },
      };
    case "conclude":
      // data.reply is what /track shows the reporter (api/services/track/lookup.ts).
      return { set: {}, data: { result: f.result, reply: f.reply } };
    case "message":
      return { set: {}, data: {} };
    case "release":
      return { set: {}, data: {} };
    case "supervise":
      return { set: {}, data: { byOffice: actor.officeCode, note: f.note, dueOn: row.nextDueOn } };
  }
}
