import { and, eq, isNull, lte } from "drizzle-orm";
import { caseMessages } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { problems, workflowFieldError } from "../../errors";
import { loadCase } from "../cases/load-case";
import { caseNotFound, relationTo, staffOf, worksCases } from "../cases/scope";

/**
 * POST /api/v1/staff/cases/:id/messages/read `{ upTo }` — marks the reporter's unread messages
 * (补充材料) on the case read, by the caller, now: those sent at or before `upTo`, the time of the
 * latest one the caller was shown, so a message that arrives while the page is open stays unread.
 * Only staff of the office holding the case: an office above reading it does not take it off the
 * holding office's list. Answers how many it marked.
 */
export async function markFollowUpsRead({
  ctx,
  input,
}: VerbArgs<{ caseId: string; body: unknown }>): Promise<{ marked: number }> {
  const actor = staffOf(ctx);
  const { db, offices } = ctx.deps;
  const row = await loadCase(db, input.caseId);
  if (!row) throw caseNotFound();
  const relation = relationTo(offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  if (relation === "read") throw problems.forbidden("case.read_only");
  if (!worksCases(actor.roles)) throw problems.forbidden("case.roles_forbid");
  const raw = (input.body as { upTo?: unknown } | null)?.upTo;
  const upTo = typeof raw === "string" ? new Date(raw) : undefined;
  if (!upTo || Number.isNaN(upTo.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(raw as string)) {
    throw problems.invalid([workflowFieldError("upTo", raw === undefined ? "required" : "invalid_type")]);
  }
  const marked = await db
    .update(caseMessages)
    .set({ readAt: ctx.deps.now(), readBy: actor.id })
    .where(
      and(
        eq(caseMessages.caseId, row.id),
        eq(caseMessages.sender, "reporter"),
        isNull(caseMessages.readAt),
        lte(caseMessages.at, upTo),
      ),
    )
    .returning({ id: caseMessages.id });
  return { marked: marked.length };
}
