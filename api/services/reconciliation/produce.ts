import fs from "node:fs";
import type { Config } from "../../config";
import type { VerbArgs } from "../../context";
import { readAnchorKey } from "../../crypto/anchor";
import { signDocument } from "../../crypto/reconciliation-seal";
import { monthBounds, monthOf } from "../../domain/reconciliation";
import { fieldError, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { actorLabel, officesInView, readsBelow, staffOf } from "../cases/scope";
import { buildReconciliation } from "./build";
import type { ReconciliationDoc } from "./schemas";

/** The audit action of producing a 对账: who, which office and month, signed or not, which format. */
export const RECONCILIATION_ACTION = "reconciliation.produce";

/**
 * The cut-off of `month` produced at `now`: the month's end, or `now` while the month runs. A
 * month that has not begun is refused (422).
 */
export function cutOff(month: string, now: Date): { start: Date; asOf: Date } {
  const { start, end } = monthBounds(month);
  if (start > now || monthOf(start) !== month) throw problems.invalid([fieldError("month", "month.invalid")]);
  return { start, asOf: end < now ? end : now };
}

/**
 * Signs with anchor.key when this host holds it (the embedded one-machine setup, where `admin init`
 * made it in DATA_DIR); otherwise the document goes out unsigned and the administrator signs it
 * where the key is kept (`admin reconciliation sign`).
 */
export function signIfKeyHeld(config: Config, doc: ReconciliationDoc): ReconciliationDoc {
  if (!fs.existsSync(config.anchorKeyFile)) return doc;
  const key = readAnchorKey(config.anchorKeyFile);
  try {
    return signDocument(key, doc);
  } finally {
    key.secretKey.fill(0);
  }
}

/**
 * GET /api/v1/staff/reconciliation — the monthly 对账 of an office with the offices below it
 * (issue 12 §2). A supervisor or leader of that office or of one above it; producing it (any
 * format) is audited before it is answered: no audit row, no 对账.
 */
export async function produceReconciliation({
  ctx,
  input,
}: VerbArgs<{ month: string; office?: string; format?: "json" | "csv" }>): Promise<ReconciliationDoc> {
  const actor = staffOf(ctx);
  if (!readsBelow(actor.roles)) throw problems.forbidden("reconciliation.roles");
  const parent = input.office ?? actor.officeCode;
  if (!ctx.deps.offices.get(parent) || !officesInView(ctx.deps.offices, actor).includes(parent)) {
    throw problems.forbidden("reconciliation.roles");
  }
  const now = ctx.deps.now();
  const { start, asOf } = cutOff(input.month, now);
  const doc = signIfKeyHeld(
    ctx.deps.config,
    await buildReconciliation(ctx.deps.db, ctx.deps, {
      parent,
      month: input.month,
      start,
      asOf,
      producedAt: now,
    }),
  );
  await appendAudit(ctx.deps.db, {
    actor: actorLabel(actor),
    action: RECONCILIATION_ACTION,
    data: {
      office: parent,
      month: input.month,
      asOf: doc.asOf,
      format: input.format ?? "json",
      signed: doc.signature !== null,
      sent: doc.totals.sent,
    },
    at: now,
  });
  return doc;
}
