import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import {
  caseEvents,
  caseInstructions,
  caseNumbers,
  caseSupervisions,
  cases,
  leaderItems,
} from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { isReviewHeld, leaderRulesFor, monthBounds } from "../../domain/leaders";
import { encodeListCursor } from "../../domain/list-cursor";
import type { Stage } from "../../domain/workflow";
import { problems } from "../../errors";
import { staffOf, worksCases } from "../cases/scope";
import { listCursor, pageOf, pageSize } from "../lists/page";
import { numberLabel } from "../numbering/numbers";

type OfficeRef = { code: string; name: string };

/** The month's count: in the ledger at its end, which were concluded by then, and the rest. */
export interface MonthCount {
  month: string;
  /** In the ledger by the month's end. */
  total: number;
  /** Came into the ledger during the month. */
  added: number;
  /** Concluded (办结, 不予受理 or 合并) by the month's end. */
  concluded: number;
  /** Not yet concluded at the month's end. */
  pending: number;
  /** 销号 by the leader by the month's end. */
  closed: number;
}

export interface LedgerItem {
  case: { id: string; number: string | null; title: string; stage: Stage; office: OfficeRef };
  by: "hand" | "rule";
  rule: string | null;
  since: string;
  concludedAt: string | null;
  /** Concluded below but held for a review from above (提级审核). */
  reviewHeld: boolean;
  closedAt: string | null;
  closedBy: string | null;
  /** The latest 批示 on the case (of any office), with its date. */
  lastInstruction: { text: string; signedOn: string } | null;
  /** A 督办 from the office awaits its reply. */
  supervisionPending: boolean;
}

export interface LeaderLedger {
  office: OfficeRef;
  month: string;
  /** This month's count, and the eleven before it, newest first. */
  months: MonthCount[];
  /** A page of what is in the ledger by the month's end: pending first, then newest. */
  items: LedgerItem[];
  /** The next page's cursor (?cursor=), null on the last. */
  nextCursor: string | null;
}

/** The cursor: where the last item sat in (concluded, arrived descending, serial descending). */
const CURSOR = ["flag", "int", "int"] as const;

const CONCLUDING = ["concluded", "declined", "merged"] as const;

/** The events that decide whether a case stood concluded at a time. */
const DECIDING = [...CONCLUDING, "review_raised", "review_approved", "review_returned", "pulled_up"] as const;

/**
 * When the case stood concluded at `before` (its last concluding step, not undone since), or null.
 * Under 提级审核 a 办结 below concludes only once the office above approves it (review_approved);
 * 审核退回 undoes it; 提级办理 ends the review.
 */
function concludedAsOf(events: { at: Date; kind: string }[], before: Date): Date | null {
  let at: Date | null = null;
  let underReview = false;
  for (const e of events) {
    if (e.at >= before) break;
    if (e.kind === "review_raised") underReview = true;
    else if (e.kind === "pulled_up") underReview = false;
    else if (e.kind === "review_approved") at = e.at;
    else if (e.kind === "review_returned") at = null;
    else if (e.kind === "concluded" && underReview) at = null;
    else at = e.at; // 办结, 不予受理, 合并
  }
  return at;
}

const previousMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5));
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, "0")}`;
};

/**
 * GET /api/v1/staff/instructions?month=YYYY-MM — the office's 书记阅批件 ledger: every case that
 * arrived at the office and was marked by hand or by the office's rules (api/domain/leaders.ts),
 * with the month-end count of concluded and pending for the month and the eleven before it, and
 * each item's 销号 and latest 批示. For the office's leaders and the staff who work its cases.
 */
export async function listLeaderLedger({
  ctx,
  input,
}: VerbArgs<{ month?: string; limit?: number; cursor?: string }>): Promise<LeaderLedger> {
  const actor = staffOf(ctx);
  if (!actor.roles.includes("leader") && !worksCases(actor.roles))
    throw problems.forbidden("leader.forbidden");
  const { deps } = ctx;
  const { db, offices } = deps;
  const now = deps.now();
  const month = input.month ?? shanghaiDate(now).slice(0, 7);
  // The cursor names the month too: a page of another month's ledger is another list.
  const list = `instructions-${month}`;
  const after = listCursor(input.cursor, list, CURSOR);
  const limit = pageSize(input.limit);
  const office = offices.get(actor.officeCode)!;
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });

  // The office's rules, as a condition on the case: a rule without a subject level takes every case.
  const rules = leaderRulesFor(deps.config.province).filter(
    (r) =>
      (!r.appliesTo.officeLevels || r.appliesTo.officeLevels.includes(office.level)) &&
      (!r.appliesTo.offices || r.appliesTo.offices.includes(office.code)),
  );
  const byRule: SQL[] = rules.map((r) =>
    r.appliesTo.subjectLevels ? inArray(cases.subjectLevel, r.appliesTo.subjectLevels) : sql`true`,
  );
  const rows = await db
    .select({
      id: cases.id,
      serial: cases.serial,
      title: cases.title,
      stage: cases.stage,
      officeCode: cases.officeCode,
      subjectLevel: cases.subjectLevel,
      publicStatus: cases.publicStatus,
      reviewOfficeCode: cases.reviewOfficeCode,
      arrivedAt: caseNumbers.assignedAt,
      year: caseNumbers.year,
      seq: caseNumbers.seq,
      manual: leaderItems.manual,
      markedAt: leaderItems.markedAt,
      closedAt: leaderItems.closedAt,
      closedBy: leaderItems.closedBy,
    })
    .from(caseNumbers)
    .innerJoin(cases, eq(cases.id, caseNumbers.caseId))
    .leftJoin(
      leaderItems,
      and(eq(leaderItems.caseId, caseNumbers.caseId), eq(leaderItems.officeCode, caseNumbers.officeCode)),
    )
    .where(and(eq(caseNumbers.officeCode, office.code), or(eq(leaderItems.manual, true), ...byRule)))
    .orderBy(desc(caseNumbers.assignedAt))
    .limit(5000);

  const all = rows.map((r) => r.id);
  const events = all.length
    ? await db
        .select({ caseId: caseEvents.caseId, at: caseEvents.at, kind: caseEvents.kind })
        .from(caseEvents)
        .where(and(inArray(caseEvents.caseId, all), inArray(caseEvents.kind, [...DECIDING])))
        .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq))
    : [];
  const eventsOf = new Map<string, { at: Date; kind: string }[]>();
  for (const e of events) {
    const list = eventsOf.get(e.caseId);
    if (list) list.push(e);
    else eventsOf.set(e.caseId, [e]);
  }
  const entries = rows.map((r) => ({
    r,
    since: r.manual && r.markedAt ? r.markedAt : r.arrivedAt,
    events: eventsOf.get(r.id) ?? [],
  }));
  const countFor = (m: string): MonthCount => {
    const { start, end } = monthBounds(m);
    const upTo = new Date(Math.min(end.getTime(), now.getTime()));
    const inLedger = entries.filter((e) => e.since < end && e.since <= now);
    const concluded = inLedger.filter((e) => concludedAsOf(e.events, upTo) !== null).length;
    return {
      month: m,
      total: inLedger.length,
      added: inLedger.filter((e) => e.since >= start).length,
      concluded,
      pending: inLedger.length - concluded,
      closed: inLedger.filter((e) => e.r.closedAt !== null && e.r.closedAt < upTo).length,
    };
  };
  const months: MonthCount[] = [];
  for (let m = month, i = 0; i < 12; i++, m = previousMonth(m)) months.push(countFor(m));

  // The months' counts need every entry (they are the ledger's totals, from this one read of
  // it); only a page of the items is shown, in a total order: pending first, then the latest to
  // arrive, then the serial (the ledger is at most one office's marked cases, a few thousand).
  const { end } = monthBounds(month);
  const ordered = entries
    .filter((e) => e.since < end && e.since <= now)
    .map((e) => ({ ...e, concludedAt: concludedAsOf(e.events, new Date(8.64e15)) }))
    .map((e) => ({ ...e, key: [e.concludedAt !== null, e.r.arrivedAt.getTime(), e.r.serial] as const }))
    .sort((a, b) => Number(a.key[0]) - Number(b.key[0]) || b.key[1] - a.key[1] || b.key[2] - a.key[2]);
  const at = after as [boolean, number, number] | undefined;
  const rest = at
    ? ordered.filter(
        ({ key: [c, t, n] }) =>
          Number(c) > Number(at[0]) || (c === at[0] && (t < at[1] || (t === at[1] && n < at[2]))),
      )
    : ordered;
  const { page, more } = pageOf(rest.slice(0, limit + 1), limit);
  const last = page.at(-1);
  const ids = page.map((e) => e.r.id);
  const instructions = ids.length
    ? await db
        .select({
          caseId: caseInstructions.caseId,
          instruction: caseInstructions.instruction,
          signedOn: caseInstructions.signedOn,
        })
        .from(caseInstructions)
        .where(and(inArray(caseInstructions.caseId, ids), sql`${caseInstructions.instructedAt} is not null`))
        .orderBy(asc(caseInstructions.instructedAt))
    : [];
  const lastInstruction = new Map<string, { text: string; signedOn: string }>();
  for (const i of instructions)
    lastInstruction.set(i.caseId, { text: i.instruction ?? "", signedOn: i.signedOn ?? "" });
  const pendingSupervision = new Set(
    ids.length
      ? (
          await db
            .select({ caseId: caseSupervisions.caseId })
            .from(caseSupervisions)
            .where(
              and(
                inArray(caseSupervisions.caseId, ids),
                eq(caseSupervisions.byOffice, office.code),
                isNull(caseSupervisions.repliedAt),
              ),
            )
        ).map((s) => s.caseId)
      : [],
  );

  const items: LedgerItem[] = page.map(({ r, since, concludedAt }) => ({
    case: {
      id: r.id,
      number: numberLabel(deps, { officeCode: office.code, year: r.year, seq: r.seq }),
      title: r.title,
      stage: r.stage,
      office: officeRef(r.officeCode),
    },
    by: r.manual ? ("hand" as const) : ("rule" as const),
    rule: r.manual
      ? null
      : (rules.find(
          (x) =>
            !x.appliesTo.subjectLevels ||
            (r.subjectLevel !== null && (x.appliesTo.subjectLevels as string[]).includes(r.subjectLevel)),
        )?.id ?? null),
    since: since.toISOString(),
    concludedAt: concludedAt ? concludedAt.toISOString() : null,
    reviewHeld: isReviewHeld({
      stage: r.stage,
      reviewOffice: r.reviewOfficeCode,
      publicStatus: r.publicStatus,
    }),
    closedAt: r.closedAt ? r.closedAt.toISOString() : null,
    closedBy: r.closedBy,
    lastInstruction: lastInstruction.get(r.id) ?? null,
    supervisionPending: pendingSupervision.has(r.id),
  }));
  return {
    office: officeRef(office.code),
    month,
    months,
    items,
    nextCursor: more && last ? encodeListCursor(list, [...last.key]) : null,
  };
}
