import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { caseMessages, cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { encodeListCursor } from "../../domain/list-cursor";
import type { Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { staffOf, worksCases } from "../cases/scope";
import { listCursor, pageOf, pageSize, timeKey } from "../lists/page";
import { labelsFor } from "../numbering/numbers";

export interface FollowUp {
  case: { id: string; number: string | null; title: string; stage: Stage };
  /** The reporter's messages (补充材料) on the case not yet marked read. */
  unread: number;
  firstAt: string;
  lastAt: string;
}

/** The reporter's messages not yet read on the cases `officeCode` holds. */
const unreadAt = (officeCode: string) =>
  and(eq(cases.officeCode, officeCode), eq(caseMessages.sender, "reporter"), isNull(caseMessages.readAt));

/** The cursor: where the last case sat in (its oldest unread message, serial). */
const CURSOR = ["time", "int"] as const;

/**
 * GET /api/v1/staff/follow-ups — the cases of the caller's office with 补充材料 from the reporter
 * that nobody has marked read yet, the longest waiting first (then by serial), in keyset pages of
 * `limit` (50 by default, at most 100) after `cursor`.
 */
export async function listFollowUps({
  ctx,
  input = {},
}: VerbArgs<{ limit?: number; cursor?: string }>): Promise<{ cases: FollowUp[]; nextCursor: string | null }> {
  const actor = staffOf(ctx);
  if (!worksCases(actor.roles)) throw problems.forbidden("case.roles_forbid");
  const after = listCursor(input.cursor, "follow-ups", CURSOR);
  const limit = pageSize(input.limit);
  const { db } = ctx.deps;
  const first = sql<Date>`min(${caseMessages.at})`.mapWith(caseMessages.at);
  // Unread 补充材料 are few (they are read within days), so every case's are grouped and the page
  // is cut from the groups: the partial index case_messages_unread_idx holds only these messages.
  const fetched = await db
    .select({
      id: cases.id,
      serial: cases.serial,
      title: cases.title,
      stage: cases.stage,
      unread: sql<number>`count(*)::int`,
      firstAt: first,
      firstKey: timeKey(sql`min(${caseMessages.at})`),
      lastAt: sql<Date>`max(${caseMessages.at})`.mapWith(caseMessages.at),
    })
    .from(caseMessages)
    .innerJoin(cases, eq(cases.id, caseMessages.caseId))
    .where(unreadAt(actor.officeCode))
    .groupBy(cases.id, cases.serial, cases.title, cases.stage)
    .having(
      after
        ? sql`(min(${caseMessages.at}), ${cases.serial}) > (${after[0]}::timestamptz, ${after[1]})`
        : undefined,
    )
    .orderBy(asc(first), asc(cases.serial))
    .limit(limit + 1);
  const { page: rows, more } = pageOf(fetched, limit);
  const last = rows.at(-1);
  const numbers = await labelsFor(
    db,
    ctx.deps,
    rows.map((r) => ({ caseId: r.id, officeCode: actor.officeCode })),
  );
  return {
    cases: rows.map((r) => ({
      case: {
        id: r.id,
        number: numbers.get(`${r.id}:${actor.officeCode}`) ?? null,
        title: r.title,
        stage: r.stage,
      },
      unread: r.unread,
      firstAt: r.firstAt.toISOString(),
      lastAt: r.lastAt.toISOString(),
    })),
    nextCursor: more && last ? encodeListCursor("follow-ups", [last.firstKey, last.serial]) : null,
  };
}

/** How many cases of the caller's office have unread 补充材料 (the console's navigation). */
export async function unreadFollowUpCount({ ctx }: VerbArgs<Record<string, never>>): Promise<number> {
  const actor = staffOf(ctx);
  const [row] = await ctx.deps.db
    .select({ n: sql<number>`count(distinct ${caseMessages.caseId})::int` })
    .from(caseMessages)
    .innerJoin(cases, eq(cases.id, caseMessages.caseId))
    .where(unreadAt(actor.officeCode));
  return row?.n ?? 0;
}
