import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { caseMessages, cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import type { Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { staffOf, worksCases } from "../cases/scope";
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

/**
 * GET /api/v1/staff/follow-ups — the cases of the caller's office with 补充材料 from the reporter
 * that nobody has marked read yet, the longest waiting first.
 */
export async function listFollowUps({
  ctx,
}: VerbArgs<Record<string, never>>): Promise<{ cases: FollowUp[] }> {
  const actor = staffOf(ctx);
  if (!worksCases(actor.roles)) throw problems.forbidden("case.roles_forbid");
  const { db } = ctx.deps;
  const first = sql<Date>`min(${caseMessages.at})`.mapWith(caseMessages.at);
  const rows = await db
    .select({
      id: cases.id,
      title: cases.title,
      stage: cases.stage,
      unread: sql<number>`count(*)::int`,
      firstAt: first,
      lastAt: sql<Date>`max(${caseMessages.at})`.mapWith(caseMessages.at),
    })
    .from(caseMessages)
    .innerJoin(cases, eq(cases.id, caseMessages.caseId))
    .where(unreadAt(actor.officeCode))
    .groupBy(cases.id, cases.title, cases.stage)
    .orderBy(asc(first))
    .limit(500);
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
