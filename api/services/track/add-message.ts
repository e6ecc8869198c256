import { caseMessages } from "../../../db/schema/index";
import { fieldMessage } from "../../../site/i18n/errors";
import type { VerbArgs } from "../../context";
import { problems } from "../../errors";
import { appendEvent } from "../events/append";
import { findCaseByCode, padTime } from "./lookup";

/** The reporter adds information or answers the office, with their tracking code. */
export async function addReporterMessage({
  ctx,
  input,
}: VerbArgs<{ trackingCode: unknown; body: unknown }>): Promise<{ at: string }> {
  const body = typeof input.body === "string" ? input.body.normalize("NFC").trim() : undefined;
  if (body === undefined || body.length === 0 || body.length > 5000) {
    const code = body === undefined || body.length === 0 ? "required" : "too_long";
    throw problems.invalid([{ path: "body", code, message: fieldMessage(code) }]);
  }
  const start = performance.now();
  const found = await findCaseByCode(ctx, input.trackingCode);
  if (!found) {
    await padTime(start, ctx.deps.config.trackMinMs);
    throw problems.notFound("查询码不存在，请核对后重试。No report has this tracking code.");
  }
  const at = ctx.deps.now();
  await ctx.deps.db.transaction(async (tx) => {
    await tx.insert(caseMessages).values({ caseId: found.id, at, sender: "reporter", body });
    await appendEvent(tx, {
      caseId: found.id,
      kind: "reporter_message",
      actor: "reporter",
      officeCode: found.officeCode,
      isPublic: true,
      at,
    });
  });
  await padTime(start, ctx.deps.config.trackMinMs);
  return { at: at.toISOString() };
}
