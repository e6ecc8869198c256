import { and, eq, notInArray } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { caseRepeats, cases } from "../../../db/schema/index";
import type { Ctx, StaffActor, VerbArgs } from "../../context";
import { REPEAT_STAGES } from "../../domain/workflow";
import { Problem, problems, workflowFieldError } from "../../errors";
import { zodFieldErrors } from "../../zod-issues";
import { actOnCase } from "../cases/act";
import { assignHandler } from "../cases/assign-handler";
import { WORKFLOW_FIELDS } from "../cases/inputs";
import { staffOf, worksCases } from "../cases/scope";
import { claimCase } from "../queue/claim";
import {
  type BatchAction,
  type BatchAnswer,
  type BatchInput,
  BatchRequest,
  type BatchResult,
} from "./schemas";

/**
 * POST /api/v1/staff/cases/batch — 签收, 转送, 留存备查 or 指定承办人 for several cases at once
 * (issue 11 §4). Each case runs in its own transaction: claim its lease, then the same single-case
 * verb the case page uses (actOnCase; assignHandler), so each writes its own event and a failure
 * rolls back that case's claim alone. Scope and permission are judged per case by those verbs: a
 * case of another office fails as case.not_found, like any case the caller may not see.
 */
export async function runBatch({ ctx, input }: VerbArgs<{ body: unknown }>): Promise<BatchAnswer> {
  const actor = staffOf(ctx);
  if (!worksCases(actor.roles)) throw problems.forbidden("batch.no_role");
  const parsed = BatchRequest.safeParse(input.body);
  if (!parsed.success) throw problems.invalid(zodFieldErrors(parsed.error, WORKFLOW_FIELDS));
  const req = parsed.data;
  const missing = requiredField(req);
  if (missing) throw problems.invalid([workflowFieldError(missing, "required")]);

  const results: BatchResult[] = [];
  // One run per case: an id written in capitals is the same case.
  for (const id of [...new Set(req.ids.map((i) => i.toLowerCase()))]) {
    try {
      const number = await ctx.deps.db.transaction((tx) => oneCase({ ...ctx, tx }, tx, actor, req, id));
      results.push({ id, ok: true, number });
    } catch (e) {
      if (!(e instanceof Problem)) {
        // Never the raw error (it may carry SQL and its parameters): the request id finds the log line.
        ctx.deps.log.error(
          { requestId: ctx.requestId, err: { name: (e as Error)?.name } },
          "batch case failed",
        );
        results.push({ id, ok: false, code: "internal" });
        continue;
      }
      const field = e.errors?.[0];
      const code =
        field?.code ?? (typeof e.detailRef === "string" ? e.detailRef : e.detailRef?.[0]) ?? e.type;
      results.push({ id, ok: false, code, message: field?.message ?? e.detail ?? e.title });
    }
  }
  return { results };
}

function requiredField(req: BatchInput): string | undefined {
  if (req.action === "forward" && !req.toOffice) return "toOffice";
  if (req.action === "assign" && !req.assignee) return "assignee";
  return undefined;
}

const ACT: Record<Exclude<BatchAction, "assign">, string> = {
  sign: "register",
  forward: "forward",
  keep: "keep",
};

async function oneCase(
  ctx: Ctx,
  tx: Tx,
  actor: StaffActor,
  req: BatchInput,
  id: string,
): Promise<string | null> {
  const claim = await claimCase({ ctx, input: { caseId: id } });
  if (req.action === "assign") {
    await assignHandler(ctx, tx, actor, {
      caseId: id,
      leaseToken: claim.leaseToken,
      assignee: req.assignee!,
    });
    return claim.case.number;
  }
  const body: Record<string, unknown> = { action: ACT[req.action], leaseToken: claim.leaseToken };
  if (req.action === "forward") {
    body.office = req.toOffice;
    if (req.reason) body.note = req.reason;
  }
  if (req.action === "keep") {
    const into = req.into ?? (await onlyEarlierRepeat(tx, id));
    if (!into) throw problems.invalid([workflowFieldError("into", "into.required")]);
    body.caseId = into;
    if (req.reason) body.note = req.reason;
  }
  const done = await actOnCase({ ctx, input: { caseId: id, body } });
  return done.case.number;
}

/**
 * The match (case_repeats id) of the one earlier case this case repeats that is not itself a
 * repeat: keep needs to know which case it repeats; with none or several, the caller says `into`.
 * A pair is recorded for the later case (case_id) when it arrives, against the earlier (other_id).
 */
async function onlyEarlierRepeat(tx: Tx, id: string): Promise<string | undefined> {
  const rows = await tx
    .select({ match: caseRepeats.id })
    .from(caseRepeats)
    .innerJoin(cases, eq(cases.id, caseRepeats.otherId))
    .where(and(eq(caseRepeats.caseId, id), notInArray(cases.stage, REPEAT_STAGES)))
    .limit(2);
  return rows.length === 1 ? rows[0]!.match : undefined;
}
