import { and, asc, desc, eq } from "drizzle-orm";
import { caseEvents, caseMessages, cases } from "../../../db/schema/index";
import { eventLabel, statusLabel } from "../../../messages/labels";
import type { VerbArgs } from "../../context";
import { hashTrackingCode, normalizeTrackingCode } from "../../crypto/tracking-code";
import type { PublicStatus } from "../../domain/status";
import { problems } from "../../errors";

export interface TrackView {
  status: PublicStatus;
  statusLabel: string;
  receivedAt: string;
  office: { code: string; name: string };
  timeline: { at: string; event: string; label: string }[];
  reply: null | { at: string; body: string };
  /** When not accepted: the reason and where to turn instead. */
  notAccepted: null | { reason: string; guidance: string };
  /**
   * A repeat (重复件) merged into another report on the same matter: 已并案办理, since `at`; `status`
   * is then the status of the report it joined.
   */
  merged: null | { at: string };
  messages: { at: string; from: "reporter" | "office"; body: string }[];
}

/** Resolves a tracking code to its case id, or undefined. Constant work for known and unknown codes. */
export async function findCaseByCode(
  ctx: VerbArgs<unknown>["ctx"],
  trackingCode: unknown,
): Promise<{ id: string; officeCode: string } | undefined> {
  const normalized = typeof trackingCode === "string" ? normalizeTrackingCode(trackingCode) : undefined;
  // Hash even a malformed code so the work done does not tell malformed from unknown.
  const hash = hashTrackingCode(ctx.deps.keys.trackingKey, normalized ?? "00000000000000000000");
  const [row] = await ctx.deps.db
    .select({ id: cases.id, officeCode: cases.officeCode })
    .from(cases)
    .where(eq(cases.trackingHash, hash))
    .limit(1);
  return normalized ? row : undefined;
}

/** Waits until at least `minMs` have passed since `start`, so known and unknown codes answer alike. */
export async function padTime(start: number, minMs: number): Promise<void> {
  const left = minMs - (performance.now() - start);
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}

/**
 * The status of the report a repeat joined (following a chain of merges, a few steps at most):
 * only the status, never its reply or messages, which belong to another reporter.
 */
async function joinedStatus(ctx: VerbArgs<unknown>["ctx"], into: string): Promise<PublicStatus | undefined> {
  let id: string | null = into;
  let status: PublicStatus | undefined;
  for (let hops = 0; id && hops < 5; hops++) {
    const [kept]: { publicStatus: PublicStatus; mergedInto: string | null }[] = await ctx.deps.db
      .select({ publicStatus: cases.publicStatus, mergedInto: cases.mergedInto })
      .from(cases)
      .where(eq(cases.id, id));
    if (!kept) break;
    status = kept.publicStatus;
    id = kept.mergedInto;
  }
  return status;
}

export async function trackCase({
  ctx,
  input,
}: VerbArgs<{ trackingCode: unknown; lang?: "zh" | "en" }>): Promise<TrackView> {
  const start = performance.now();
  const lang = input.lang ?? "zh";
  try {
    const found = await findCaseByCode(ctx, input.trackingCode);
    if (!found) throw problems.notFound("tracking_code.unknown");
    const db = ctx.deps.db;
    const [c] = await db.select().from(cases).where(eq(cases.id, found.id));
    const events = await db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.isPublic, true)))
      .orderBy(asc(caseEvents.seq));
    // Named columns: the public host's database role cannot read a message's sealed original.
    const messages = await db
      .select({ at: caseMessages.at, sender: caseMessages.sender, body: caseMessages.body })
      .from(caseMessages)
      .where(eq(caseMessages.caseId, c.id))
      .orderBy(asc(caseMessages.at), asc(caseMessages.id));
    // The reply is what the office told the reporter (反馈); cases concluded before 办结 and 反馈
    // were two steps carry it on their 办结 event, shown once the case is concluded.
    const lastOf = async (kind: "feedback" | "concluded") =>
      (
        await db
          .select()
          .from(caseEvents)
          .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.kind, kind)))
          .orderBy(desc(caseEvents.seq))
          .limit(1)
      ).at(0);
    const replied = (await lastOf("feedback")) ?? (await lastOf("concluded"));
    const [declined] = await db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.kind, "declined")))
      .orderBy(desc(caseEvents.seq))
      .limit(1);
    const office = ctx.deps.offices.get(c.officeCode)!;
    const joined = c.mergedInto ? await joinedStatus(ctx, c.mergedInto) : undefined;
    const status = joined ?? c.publicStatus;
    const mergedAt = events.findLast((e) => e.kind === "merged")?.at ?? c.updatedAt;
    const replyData = replied?.data as { reply?: string } | undefined;
    const showReply =
      replied?.kind === "feedback" || (replied?.kind === "concluded" && c.publicStatus === "concluded");
    const declinedData = declined?.data as { reason?: string; guidance?: string } | undefined;
    return {
      status,
      statusLabel: statusLabel(status, lang),
      receivedAt: c.receivedAt.toISOString(),
      office: { code: office.code, name: office.name },
      timeline: events.map((e) => ({
        at: e.at.toISOString(),
        event: e.kind,
        label: eventLabel(e.kind, lang),
      })),
      reply: showReply && replyData?.reply ? { at: replied.at.toISOString(), body: replyData.reply } : null,
      notAccepted:
        status === "not_accepted" && declinedData
          ? { reason: declinedData.reason ?? "", guidance: declinedData.guidance ?? "" }
          : null,
      messages: messages.map((m) => ({ at: m.at.toISOString(), from: m.sender, body: m.body })),
      merged: c.mergedInto ? { at: mergedAt.toISOString() } : null,
    };
  } finally {
    await padTime(start, ctx.deps.config.trackMinMs);
  }
}
