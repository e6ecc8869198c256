import { and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { caseInstructions, caseSupervisions } from "../../../db/schema/index";
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

/**
 * The cursor: where the last item sat in (concluded, arrived descending, the office's number's seq
 * descending: two cases numbered at one office in one millisecond have different seqs).
 */
const CURSOR = ["flag", "int", "int"] as const;

const CONCLUDING = ["concluded", "declined", "merged"] as const;

/** The events that decide whether a case stood concluded at a time (concludedAsOf). */
const DECIDING = [...CONCLUDING, "review_raised", "review_approved", "review_returned", "pulled_up"] as const;

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
  // (ledger-: the tie-breaker is the number's seq since 0020; a cursor of the old order is refused.)
  const list = `ledger-${month}`;
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
  // On the level written beside the office's number (0020): the membership is one index range.
  const byRule: SQL[] = rules.map((r) =>
    r.appliesTo.subjectLevels ? sql`n.subject_level in (${kinds(r.appliesTo.subjectLevels)})` : sql`true`,
  );
  const months: string[] = [];
  for (let m = month, i = 0; i < 12; i++, m = previousMonth(m)) months.push(m);
  const bounds = months.map((m) => {
    const { start, end } = monthBounds(m);
    return { m, start, end, upTo: new Date(Math.min(end.getTime(), now.getTime())) };
  });
  const { end } = monthBounds(month);
  const at = after as [boolean, number, number] | undefined;
  // One statement: the ledger's entries and their conclusion history stay in the database (the
  // month counts need every entry; only a page of them comes back).
  const [answer] = await rowsOf<{ months: CountRow[]; items: PageRow[] | null }>(
    db,
    ledgerStatement({
      office: office.code,
      byRule,
      now,
      months: bounds,
      end,
      after: at,
      limit: limit + 1,
    }),
  );
  const counts = new Map(answer.months.map((c) => [c.month, c]));
  const monthCounts: MonthCount[] = months.map((m) => {
    const c = counts.get(m);
    const total = Number(c?.total ?? 0);
    const concluded = Number(c?.concluded ?? 0);
    return {
      month: m,
      total,
      added: Number(c?.added ?? 0),
      concluded,
      pending: total - concluded,
      closed: Number(c?.closed ?? 0),
    };
  });
  const rows = (answer.items ?? []).map((r) => ({
    ...r,
    arrivedAt: new Date(r.arrivedAt),
    since: new Date(r.since),
    closedAt: r.closedAt === null ? null : new Date(r.closedAt),
    concludedAt: r.concludedAt === null ? null : new Date(r.concludedAt),
    key: [r.concluded, Number(r.arrivedMs), Number(r.seq)] as const,
  }));
  const { page, more } = pageOf(rows, limit);
  const last = page.at(-1);
  const ids = page.map((e) => e.id);
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

  const items: LedgerItem[] = page.map((r) => ({
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
    since: r.since.toISOString(),
    concludedAt: r.concludedAt ? r.concludedAt.toISOString() : null,
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
    months: monthCounts,
    items,
    nextCursor: more && last ? encodeListCursor(list, [...last.key]) : null,
  };
}

interface CountRow {
  month: string;
  total: number | string;
  added: number | string;
  concluded: number | string;
  closed: number | string;
}

interface PageRow {
  id: string;
  title: string;
  stage: Stage;
  officeCode: string;
  subjectLevel: string | null;
  publicStatus: string;
  reviewOfficeCode: string | null;
  year: number;
  seq: number;
  manual: boolean | null;
  closedAt: string | null;
  closedBy: string | null;
  arrivedAt: string;
  arrivedMs: number | string;
  since: string;
  concluded: boolean;
  concludedAt: string | null;
}

const kinds = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * The ledger's month counts and one page of its entries, in one statement.
 *
 * `l`: the entries (the office's numbered cases marked by hand or by a rule), each from `since`
 * (the hand mark, or its arrival). `st`: for each entry's deciding event, in order, whether the case
 * stood concluded after it and since when, and when the next deciding event came. This is
 * `concludedAsOf` (api/domain/leaders.ts) as window functions: 提级审核 is open from a
 * review_raised until a pulled_up; a 办结 under review concludes nothing (nor undoes an earlier
 * conclusion's clearing); review_approved concludes, review_returned undoes, 不予受理 and 合并
 * conclude; review_raised and pulled_up change nothing by themselves. The state after an event holds
 * for the times after it up to and with the next event's time: the count at T takes, per entry,
 * the last event before T.
 *
 * Exported for the EXPLAIN test.
 */
export function ledgerStatement(o: {
  office: string;
  byRule: SQL[];
  now: Date;
  months: { m: string; start: Date; end: Date; upTo: Date }[];
  end: Date;
  after: readonly [boolean, number, number] | undefined;
  limit: number;
}): SQL {
  const iso = (d: Date) => d.toISOString();
  const monthRows = sql.join(
    o.months.map(
      (b) =>
        sql`(${b.m}::text, ${iso(b.start)}::timestamptz, ${iso(b.end)}::timestamptz, ${iso(b.upTo)}::timestamptz)`,
    ),
    sql`, `,
  );
  const rule = o.byRule.length ? sql.join(o.byRule, sql` or `) : sql`false`;
  const now = sql`${iso(o.now)}::timestamptz`;
  const after = o.after
    ? sql`and (p.concluded, -p.arrived_ms, -p.seq) > (${o.after[0]}::boolean, ${-o.after[1]}::bigint, ${-o.after[2]}::bigint)`
    : sql``;
  return sql`
    with l as materialized (
      select n.case_id, n.assigned_at as arrived, n.year, n.seq,
             coalesce(li.manual, false) as manual, li.closed_at, li.closed_by,
             case when li.manual then li.marked_at else n.assigned_at end as since
        from (
          -- By rule: a range of case_numbers_office_level_idx; by hand: the office's marks.
          select n.case_id, n.office_code, n.assigned_at, n.year, n.seq
            from case_numbers n
           where n.office_code = ${o.office} and (${rule})
          union
          select n.case_id, n.office_code, n.assigned_at, n.year, n.seq
            from leader_items m
            join case_numbers n on n.case_id = m.case_id and n.office_code = m.office_code
           where m.office_code = ${o.office} and m.manual
        ) n
        left join leader_items li on li.case_id = n.case_id and li.office_code = n.office_code
    ),
    e as (
      select ev.case_id, ev.seq, ev.at, ev.kind,
             coalesce(max(ev.seq) filter (where ev.kind = 'review_raised') over w, -1)
               > coalesce(max(ev.seq) filter (where ev.kind = 'pulled_up') over w, -1) as under_review
        from case_events ev
       where ev.case_id in (select case_id from l) and ev.kind in (${kinds(DECIDING)})
      window w as (partition by ev.case_id order by ev.seq)
    ),
    g as (
      select case_id, seq, at, setv, count(setv) over (partition by case_id order by seq) as grp
        from (
          select case_id, seq, at,
                 case kind when 'concluded' then not under_review
                           when 'review_approved' then true
                           when 'review_returned' then false
                           when 'declined' then true
                           when 'merged' then true end as setv
            from e
        ) s
    ),
    st as (
      select case_id, seq, at,
             coalesce(first_value(setv) over k, false) as concluded,
             first_value(at) over k as concluded_at,
             lead(at) over (partition by case_id order by seq) as next_at
        from g
      window k as (partition by case_id, grp order by seq)
    ),
    m (month, m_start, m_end, up_to) as (values ${monthRows}),
    counted as (
      select m.month,
             count(*) filter (where l.since < m.m_end) as total,
             count(*) filter (where l.since >= m.m_start and l.since < m.m_end) as added,
             count(*) filter (where l.since < m.m_end and l.closed_at < m.up_to) as closed
        from m join l on l.since < m.m_end and l.since <= ${now}
       group by m.month
    ),
    concluded as (
      select m.month, count(*) as concluded
        from m
        join l on l.since < m.m_end and l.since <= ${now}
        join st on st.case_id = l.case_id and st.concluded
               and st.at < m.up_to and (st.next_at is null or st.next_at >= m.up_to)
       group by m.month
    ),
    latest as (
      select distinct on (case_id) case_id, concluded, case when concluded then concluded_at end as concluded_at
        from st
       order by case_id, seq desc
    ),
    p as (
      select l.*, coalesce(latest.concluded, false) as concluded, latest.concluded_at,
             (extract(epoch from date_trunc('milliseconds', l.arrived)) * 1000)::bigint as arrived_ms
        from l left join latest on latest.case_id = l.case_id
       where l.since < ${iso(o.end)}::timestamptz and l.since <= ${now}
    ),
    page as (
      select p.*, cases.title, cases.stage, cases.office_code, cases.subject_level, cases.public_status,
             cases.review_office_code
        from p join cases on cases.id = p.case_id
       where true ${after}
       order by p.concluded, p.arrived_ms desc, p.seq desc
       limit ${o.limit}
    )
    select
      (select coalesce(json_agg(json_build_object(
                'month', counted.month, 'total', counted.total, 'added', counted.added,
                'closed', counted.closed, 'concluded', coalesce(concluded.concluded, 0))), '[]'::json)
         from counted left join concluded using (month)) as months,
      (select json_agg(json_build_object(
                'id', page.case_id, 'title', page.title, 'stage', page.stage,
                'officeCode', page.office_code, 'subjectLevel', page.subject_level,
                'publicStatus', page.public_status, 'reviewOfficeCode', page.review_office_code,
                'year', page.year, 'seq', page.seq, 'manual', page.manual,
                'closedAt', page.closed_at, 'closedBy', page.closed_by, 'arrivedAt', page.arrived,
                'arrivedMs', page.arrived_ms, 'since', page.since, 'concluded', page.concluded,
                'concludedAt', page.concluded_at)
              order by page.concluded, page.arrived_ms desc, page.seq desc)
         from page) as items
  `;
}
