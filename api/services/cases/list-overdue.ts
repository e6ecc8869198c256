import { and, asc, desc, eq, getTableColumns, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import { caseClocks, caseEvents, caseSupervisions, cases } from "../../../db/schema/index";
import { clockRuleLabel } from "../../../messages/labels";
import type { VerbArgs } from "../../context";
import { clockStatus, shanghaiDate } from "../../domain/clock";
import { encodeListCursor } from "../../domain/list-cursor";
import { ACTIVE_STAGES } from "../../domain/workflow";
import { listCursor, pageOf, pageSize, timeKey } from "../lists/page";
import { currentNumberColumns } from "../numbering/numbers";
import { type CaseSummary, caseSummary, summaryColumns } from "./facts";
import { officesInView, staffOf } from "./scope";

export interface OverdueCase extends CaseSummary {
  /** The running clocks past due. */
  clocks: { rule: string; label: { zh: string; en: string }; dueOn: string; daysLeft: number }[];
  /** The latest 督办 on the case, by which office and when. */
  lastSupervised: { at: string; office: { code: string; name: string } } | null;
  /** The caller may press it: a supervisor of an office above the case's. */
  canSupervise: boolean;
  /** A 督办 awaits the reply of the office holding the case. */
  supervisionPending: boolean;
}

/** The active stages as SQL literals (a closed set of lower-case identifiers). */
const ACTIVE_LITERALS = sql.raw(`(${ACTIVE_STAGES.map((st) => `'${st}'`).join(", ")})`);

/** The cursor of the overdue list: where the last row sat in (next_due_on, received_at, serial). */
const CURSOR = ["date", "time", "int"] as const;

/**
 * GET /api/v1/staff/overdue — active cases with a running clock past due, of the caller's office
 * and, for a supervisor, of every office below; most overdue first (deadline, then received,
 * then serial), in keyset pages of `limit` (50 by default, at most 100) after `cursor`.
 */
export async function listOverdue({ ctx, input }: VerbArgs<{ limit?: number; cursor?: string }>): Promise<{
  today: string;
  cases: OverdueCase[];
  nextCursor: string | null;
}> {
  const actor = staffOf(ctx);
  const { db, offices } = ctx.deps;
  const today = shanghaiDate(ctx.deps.now());
  const after = listCursor(input.cursor, "overdue", CURSOR);
  const limit = pageSize(input.limit);
  const view = officesInView(offices, actor);
  // The order of cases_overdue_idx (per office) and cases_overdue_all_idx (every office; migration
  // 0017), whose predicate names the active stages: written as literals, so the planner proves it
  // for a prepared statement too (as the claim does, queue/claim.ts).
  const keyset = after
    ? sql`(${cases.nextDueOn}, ${cases.receivedAt}, ${cases.serial}) > (${after[0]}::date, ${after[1]}::timestamptz, ${after[2]})`
    : undefined;
  const run = (office: SQL | undefined, from: Pick<typeof db, "select"> = db) =>
    from
      .select({ ...summaryColumns, ...currentNumberColumns, receivedKey: timeKey(cases.receivedAt) })
      .from(cases)
      .where(and(office, sql`${cases.stage} in ${ACTIVE_LITERALS}`, lt(cases.nextDueOn, today), keyset))
      .orderBy(asc(cases.nextDueOn), asc(cases.receivedAt), asc(cases.serial))
      .limit(limit + 1);
  // One office: its run. The province's supervisors see every office: the province-wide order,
  // no office condition. A city's supervisors: each office's own run (at most a page of it, off
  // cases_overdue_idx), the newest of those kept — in one statement: a CTE named like the table
  // reads each office's page through a lateral join, and the run reads that CTE. Asked for the
  // city's offices at once, the planner sorted every overdue case of them for each page (one
  // county's backlog is thousands), and across the province's order it would skip every other
  // city's cases.
  const everyOffice = view.length > 1 && offices.get(actor.officeCode)?.level === "province";
  const perOffice = () =>
    db.with(
      db.$with("cases", getTableColumns(cases)).as(
        sql`select o.* from unnest(array[${sql.join(
          view.map((c) => sql`${c}`),
          sql`, `,
        )}]::text[]) as scope(code) cross join lateral (
          select * from ${cases} where ${cases.officeCode} = scope.code
            and ${cases.stage} in ${ACTIVE_LITERALS} and ${and(lt(cases.nextDueOn, today), keyset)}
          order by ${cases.nextDueOn}, ${cases.receivedAt}, ${cases.serial} limit ${limit + 1}) as o`,
      ),
    );
  const fetched =
    view.length === 1
      ? await run(eq(cases.officeCode, view[0]))
      : everyOffice
        ? await run(undefined)
        : await run(undefined, perOffice());
  const { page: rows, more } = pageOf(fetched, limit);
  const last = rows.at(-1);
  const nextCursor =
    more && last ? encodeListCursor("overdue", [last.nextDueOn!, last.receivedKey, last.serial]) : null;
  if (rows.length === 0) return { today, cases: [], nextCursor: null };
  const ids = rows.map((r) => r.id);
  const clocks = await db
    .select()
    .from(caseClocks)
    .where(and(inArray(caseClocks.caseId, ids), isNull(caseClocks.stoppedAt), lt(caseClocks.dueOn, today)))
    .orderBy(asc(caseClocks.dueOn));
  const pressed = await db
    .select({
      caseId: caseEvents.caseId,
      at: caseEvents.at,
      officeCode: caseEvents.officeCode,
      seq: caseEvents.seq,
    })
    .from(caseEvents)
    .where(and(inArray(caseEvents.caseId, ids), eq(caseEvents.kind, "supervised")))
    .orderBy(desc(caseEvents.seq));
  const waiting = await db
    .select({ caseId: caseSupervisions.caseId, toOffice: caseSupervisions.toOffice })
    .from(caseSupervisions)
    .where(and(inArray(caseSupervisions.caseId, ids), isNull(caseSupervisions.repliedAt)));
  const supervisor = actor.roles.includes("supervisor");
  return {
    today,
    cases: rows.map((r) => {
      const last = pressed.find((p) => p.caseId === r.id);
      return {
        ...caseSummary(r, ctx.deps),
        clocks: clocks
          .filter((c) => c.caseId === r.id)
          .map((c) => ({
            rule: c.rule,
            label: clockRuleLabel(c.rule),
            dueOn: c.dueOn,
            daysLeft: clockStatus(c.dueOn, today).daysLeft,
          })),
        lastSupervised: last
          ? {
              at: last.at.toISOString(),
              office: { code: last.officeCode, name: offices.get(last.officeCode)?.name ?? last.officeCode },
            }
          : null,
        canSupervise: supervisor && r.officeCode !== actor.officeCode,
        supervisionPending: waiting.some((w) => w.caseId === r.id && w.toOffice === r.officeCode),
      };
    }),
    nextCursor,
  };
}
