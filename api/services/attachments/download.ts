import { and, eq } from "drizzle-orm";
import { attachments, cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { actorLabel, caseNotFound, isUuid, relationTo, staffOf } from "../cases/scope";
import { type OpenedAttachment, openCleanAttachment } from "./open";

/**
 * A staff member downloads the clean copy of an attachment of a case in their scope (their
 * office's, or for a supervisor an office below). Outside it the case does not exist (404).
 * Every download leaves an audit row.
 */
export async function downloadAttachment({
  ctx,
  input,
}: VerbArgs<{ caseId: unknown; attachmentId: unknown }>): Promise<OpenedAttachment> {
  const actor = staffOf(ctx);
  const { db, offices, keys } = ctx.deps;
  if (!isUuid(input.caseId)) throw caseNotFound();
  const [c] = await db
    .select({ officeCode: cases.officeCode })
    .from(cases)
    .where(eq(cases.id, input.caseId))
    .limit(1);
  if (!c || relationTo(offices, actor, c.officeCode) === "none") throw caseNotFound();
  if (!isUuid(input.attachmentId)) throw problems.notFound();
  const [row] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, input.attachmentId), eq(attachments.caseId, input.caseId)))
    .limit(1);
  if (!row) throw problems.notFound("attachment.not_found");
  const file = openCleanAttachment(keys.attachments!, row);
  await appendAudit(db, {
    at: ctx.deps.now(),
    actor: actorLabel(actor),
    action: "attachment.download",
    caseId: input.caseId,
    data: { attachmentId: row.id },
  });
  return file;
}
