import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseMessages, cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { openRedactionBox } from "../../crypto/redaction-box";
import { sealBytes } from "../../crypto/seal";
import { normalizeTrackingCode } from "../../crypto/tracking-code";
import { identityWarnings } from "../../domain/identity-warnings";
import { parseRedactionPatterns, type RedactionPatterns, redactWith } from "../../domain/redact";
import { fieldError, problems } from "../../errors";
import { appendEvent } from "../events/append";
import { findCaseByCode, padTime } from "./lookup";

const enc = new TextEncoder();

/**
 * Concluded → objected, in the caller's transaction; true when the case was concluded. Through the
 * owner's function of migration 0007_clocks: the public host's role may not change cases.stage itself.
 */
async function reopenOnObjection(tx: DbOrTx, caseId: string, at: Date): Promise<boolean> {
  const r = (await tx.execute(
    sql`select qf_reopen_on_objection(${caseId}::uuid, ${at.toISOString()}::timestamptz) as reopened`,
  )) as unknown as { reopened: boolean }[] | { rows: { reopened: boolean }[] };
  return (Array.isArray(r) ? r : r.rows)[0]?.reopened === true;
}

/**
 * The reporter adds information or answers the office, with their tracking code. The message is
 * redacted like the report (the reporter's own identifiers, opened from the case's redaction box
 * with a key only the code derives; any e-mail address), what still looks like an ID or mobile
 * number is flagged, and the text as written is sealed to the vault.
 */
export async function addReporterMessage({
  ctx,
  input,
}: VerbArgs<{ trackingCode: unknown; body: unknown }>): Promise<{ at: string }> {
  const raw = typeof input.body === "string" ? input.body : undefined;
  // PostgreSQL refuses NUL in text: say so, before anything is looked up or stored.
  if (raw?.includes("\u0000")) {
    throw problems.invalid([fieldError("body", "text.nul")]);
  }
  const body = raw?.normalize("NFC").trim();
  if (body === undefined || body.length === 0 || body.length > 5000) {
    const code = body === undefined || body.length === 0 ? "required" : "too_long";
    throw problems.invalid([fieldError("body", code)]);
  }
  const start = performance.now();
  const found = await findCaseByCode(ctx, input.trackingCode);
  if (!found) {
    await padTime(start, ctx.deps.config.trackMinMs);
    throw problems.notFound("tracking_code.unknown");
  }
  const { db, keys } = ctx.deps;
  const [row] = await db
    .select({ box: cases.redactionBox })
    .from(cases)
    .where(eq(cases.id, found.id))
    .limit(1);
  let patterns: RedactionPatterns = { v: 1, patterns: [] };
  if (row?.box) {
    // findCaseByCode matched the code's hash, so it normalises; the key is zeroed inside.
    const code = normalizeTrackingCode(input.trackingCode as string)!;
    patterns = parseRedactionPatterns(openRedactionBox(keys.trackingKey, code, row.box));
  }
  const redacted = redactWith(body, patterns);
  const warnings = identityWarnings(redacted);
  const originalSealed = sealBytes(keys.vaultPublicKey, enc.encode(body));

  const at = ctx.deps.now();
  await db.transaction(async (tx) => {
    // 异议: a message on a concluded case reopens it for 核查 (stage objected) at the office that
    // holds it, which explains or rechecks, instead of the message landing on a closed case.
    const objection = await reopenOnObjection(tx, found.id, at);
    await tx.insert(caseMessages).values({
      caseId: found.id,
      at,
      sender: "reporter",
      body: redacted,
      originalSealed: Buffer.from(originalSealed),
      identityWarnings: warnings,
    });
    await appendEvent(tx, {
      caseId: found.id,
      kind: "reporter_message",
      actor: "reporter",
      officeCode: found.officeCode,
      isPublic: true,
      at,
      ...(objection ? { data: { objection: true } } : {}),
    });
  });
  await padTime(start, ctx.deps.config.trackMinMs);
  return { at: at.toISOString() };
}
