import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  lt,
  lte,
  not,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cases } from "../../../db/schema/index";
import type { Ctx, StaffActor } from "../../context";
import { parseCaseNumber } from "../../domain/case-number";
import { shanghaiDate } from "../../domain/clock";
import {
  decodeCursor,
  likeLiteral,
  NO_DUE_DATE,
  type RegisterCursor,
  type RegisterSort,
  searchText,
  usesTrigrams,
} from "../../domain/register";
import { normalizeName } from "../../domain/repeats";
import type { Stage } from "../../domain/workflow";
import { ACTIVE_STAGES } from "../../domain/workflow";
import { fieldError, problems } from "../../errors";
import { officesInView } from "../cases/scope";
import { currentLabel, currentNumberColumns } from "../numbering/numbers";
import type { RegisterFilter } from "./schemas";

// The register's one query (list.ts pages it, export.ts walks it): the caller's scope, the
// filters, a keyset order. Every text is a bound parameter; the ILIKE expressions are exactly the
// indexed ones of migration 0009, so the planner can use them.

/** The indexed search expression (cases_register_text_trgm_idx): 被反映人, 单位, 标题, 正文. */
const SEARCHED = sql`(coalesce(${cases.subjectName}, '') || ' ' || coalesce(${cases.subjectUnit}, '') || ' ' || ${cases.title} || ' ' || ${cases.body})`;
const DUE_KEY = sql`coalesce(${cases.nextDueOn}, ${NO_DUE_DATE}::date)`;
// Qualified by hand: in a single-table select drizzle writes a column unqualified, and inside a
// subquery on case_messages "id" would be the message's own (numbering/numbers.ts does the same).
const CASE_ID = sql.raw(`"cases"."id"`);
const UNREAD = sql`exists (select 1 from case_messages m where m.case_id = ${CASE_ID}
  and m.sender = 'reporter' and m.read_at is null)`;
const contains = (s: string) => `%${likeLiteral(s)}%`;
const startsWith = (s: string) => `${likeLiteral(s)}%`;

/**
 * A short name (2-character names are common; trigrams need 3): the start of the name as typed,
 * or the whole normalised key (a name stored with a space or a note in brackets).
 */
function namePrefix(s: string): SQL {
  const key = normalizeName(s);
  const prefix = sql`${cases.subjectName} like ${startsWith(s)}`;
  return key ? or(prefix, eq(cases.subjectKey, key))! : prefix;
}

/**
 * The offices a register request reads: `office` when the caller may see it (undefined when not:
 * registerConditions answers 422), else every office in the caller's view.
 */
export function registerScope(ctx: Ctx, actor: StaffActor, f: RegisterFilter): SQL | undefined {
  const view = officesInView(ctx.deps.offices, actor);
  if (f.office !== undefined) return view.includes(f.office) ? eq(cases.officeCode, f.office) : undefined;
  return view.length === 1 ? eq(cases.officeCode, view[0]) : inArray(cases.officeCode, view);
}

/** The offices registerScope reads (undefined when `office` is not the caller's to see). */
export function registerScopeOffices(ctx: Ctx, actor: StaffActor, f: RegisterFilter): string[] | undefined {
  const view = officesInView(ctx.deps.offices, actor);
  if (f.office !== undefined) return view.includes(f.office) ? [f.office] : undefined;
  return view;
}

/**
 * Up to this many offices (a city and its counties), the probe reads each office's newest cases
 * on its own (cases_register_received_idx, office first) and keeps the newest of those; a larger
 * scope (the province) reads the newest cases of all offices off the date index.
 */
const PROBE_BY_OFFICE_MAX = 24;

/** The SQL condition of each filter, after checking what only the server can check (422 otherwise). */
export function registerConditions(ctx: Ctx, actor: StaffActor, f: RegisterFilter): SQL[] {
  const { offices, config } = ctx.deps;
  const view = officesInView(offices, actor);
  const errors = [];
  const where: SQL[] = [];

  const scope = registerScope(ctx, actor, f);
  if (!scope) errors.push(fieldError("office", "register.office"));
  else where.push(scope);

  if (f.from && f.to && f.from > f.to) errors.push(fieldError("to", "register.date_range"));

  if (f.number !== undefined) {
    const within = f.office ? [f.office] : view;
    const hits = within.flatMap((code) => {
      const parsed = parseCaseNumber(
        config.caseNumberPattern,
        offices.get(code)?.shortName ?? code,
        f.number!,
      );
      return parsed ? [{ code, ...parsed }] : [];
    });
    if (hits.length === 0) errors.push(fieldError("number", "register.number"));
    else {
      const { year, seq } = hits[0];
      const codes = hits.map((h) => h.code);
      where.push(
        sql`(${CASE_ID}, "cases"."office_code") in (select n.case_id, n.office_code from case_numbers n
          where n.office_code in (${sql.join(
            codes.map((c) => sql`${c}`),
            sql`, `,
          )}) and n.year = ${year} and n.seq = ${seq})`,
      );
    }
  }
  if (errors.length > 0) throw problems.invalid(errors);

  if (f.q !== undefined) {
    const q = searchText(f.q);
    if (usesTrigrams(q)) where.push(sql`${SEARCHED} ilike ${contains(q)}`);
    else {
      where.push(or(namePrefix(q), sql`${cases.subjectUnit} like ${startsWith(q)}`)!);
    }
  }
  if (f.subject !== undefined) {
    // A name has no meaningful space: 王 五 is 王五.
    const s = searchText(f.subject).replace(/\s/g, "");
    where.push(usesTrigrams(s) ? sql`${cases.subjectName} ilike ${contains(s)}` : namePrefix(s));
  }
  if (f.unit !== undefined) {
    const u = searchText(f.unit);
    where.push(
      usesTrigrams(u)
        ? sql`${cases.subjectUnit} ilike ${contains(u)}`
        : sql`${cases.subjectUnit} like ${startsWith(u)}`,
    );
  }
  if (f.stage) where.push(eq(cases.stage, f.stage));
  if (f.status) where.push(eq(cases.publicStatus, f.status));
  if (f.channel) where.push(eq(cases.channel, f.channel));
  if (f.category) where.push(eq(cases.category, f.category));
  if (f.type) where.push(eq(cases.type, f.type));
  if (f.level) where.push(eq(cases.subjectLevel, f.level));
  if (f.from) where.push(gte(cases.receivedOn, f.from));
  if (f.to) where.push(lte(cases.receivedOn, f.to));
  if (f.realName !== undefined) where.push(eq(cases.realName, f.realName));
  if (f.overdue !== undefined) {
    const overdue = and(
      inArray(cases.stage, ACTIVE_STAGES as Stage[]),
      lt(cases.nextDueOn, shanghaiDate(ctx.deps.now())),
    )!;
    where.push(f.overdue ? overdue : not(sql`coalesce(${overdue}, false)`));
  }
  if (f.unread !== undefined) {
    where.push(f.unread ? UNREAD : not(UNREAD));
  }
  return where;
}

/** Whether the filter searches text (q, subject, unit): registerRows may try a recent window first. */
export function searchesText(f: RegisterFilter): boolean {
  return f.q !== undefined || f.subject !== undefined || f.unit !== undefined;
}

/** The ISO date `days` days before or after `iso`. */
function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The cursor of a request, or 422 when it is not one this order wrote. */
export function cursorOf(text: string | undefined, sort: RegisterSort): RegisterCursor | undefined {
  if (text === undefined) return undefined;
  const c = decodeCursor(text, sort);
  if (!c) throw problems.invalid([fieldError("cursor", "register.cursor")]);
  return c;
}

function keyset(sort: RegisterSort, after: RegisterCursor | undefined) {
  const key = sort === "due" ? DUE_KEY : sql`${cases.receivedOn}`;
  const order =
    sort === "newest" ? [desc(cases.receivedOn), desc(cases.serial)] : [asc(key), asc(cases.serial)];
  const where = after
    ? sort === "newest"
      ? sql`(${key}, ${cases.serial}) < (${after.key}::date, ${after.serial})`
      : sql`(${key}, ${cases.serial}) > (${after.key}::date, ${after.serial})`
    : undefined;
  return { key, order, where };
}

/**
 * The statement of one page (limit + 1 rows, to tell whether more follow); the EXPLAIN test plans it.
 * With `probe`, only the newest `probe.rows` cases of `probe.scope` received since `probe.since`
 * after the cursor are read (a CTE named as the table, so every column reference reads it
 * instead; its LIMIT keeps the filters from being pushed below it): registerRows' first try of a
 * text search.
 */
export function registerSelect(
  ctx: Ctx,
  where: SQL[],
  sort: RegisterSort,
  after: RegisterCursor | undefined,
  limit: number,
  probe?: { scope: SQL; offices: readonly string[]; rows: number; since: string },
  db: Db = ctx.deps.db,
) {
  const k = keyset(sort, after);
  const from = probe
    ? db.with(
        probe.offices.length <= PROBE_BY_OFFICE_MAX
          ? // Each office's newest `rows` (an index range read backwards, stopped at `rows`), then
            // the newest `rows` of those: a planner that misjudges how many cases a few offices
            // received lately (a 50,000-case backlog in one county) cannot turn it into a sort of
            // all of them (bench/RESULTS.md "register: the newest-rows probe").
            db.$with("cases", getTableColumns(cases)).as(
              sql`select o.* from unnest(array[${sql.join(
                probe.offices.map((c) => sql`${c}`),
                sql`, `,
              )}]::text[]) as scope(code) cross join lateral (
                select * from ${cases} where ${cases.officeCode} = scope.code
                  and ${and(gte(cases.receivedOn, probe.since), k.where)}
                order by ${cases.receivedOn} desc, ${cases.serial} desc limit ${probe.rows}) as o
              order by o.received_on desc, o.serial desc limit ${probe.rows}`,
            )
          : db.$with("cases").as(
              db
                .select()
                .from(cases)
                .where(and(probe.scope, gte(cases.receivedOn, probe.since), k.where))
                .orderBy(...k.order)
                .limit(probe.rows),
            ),
      )
    : db;
  return from
    .select({
      id: cases.id,
      serial: cases.serial,
      receivedOn: cases.receivedOn,
      channel: cases.channel,
      type: cases.type,
      category: cases.category,
      title: cases.title,
      subjectName: cases.subjectName,
      subjectUnit: cases.subjectUnit,
      subjectLevel: cases.subjectLevel,
      stage: cases.stage,
      publicStatus: cases.publicStatus,
      officeCode: cases.officeCode,
      nextDueOn: cases.nextDueOn,
      realName: cases.realName,
      sortKey: sql<string>`${k.key}::text`,
      unread: sql<boolean>`${UNREAD}`,
      ...currentNumberColumns,
    })
    .from(cases)
    .where(and(...where, k.where))
    .orderBy(...k.order)
    .limit(limit + 1);
}

/** One page of the register in `sort` order after `after`: up to `limit` rows and whether more follow. */
export async function registerRows(
  ctx: Ctx,
  actor: StaffActor,
  where: SQL[],
  sort: RegisterSort,
  after: RegisterCursor | undefined,
  limit: number,
  opts: { textSearch?: boolean; scope?: SQL; offices?: readonly string[] } = {},
) {
  let rows: Awaited<ReturnType<typeof registerSelect>> | undefined;
  const { registerProbeRows: probeRows, registerWindowDays: days } = ctx.deps.config;
  if (opts.textSearch && opts.scope && opts.offices && sort === "newest" && probeRows > limit && days > 0) {
    // A frequent word (a unit in 1 of 20 cases of a city, a phrase in 1 of 16 of the province)
    // matches tens of thousands of rows, and the trigram index hands every one over to be fetched,
    // rechecked and sorted before the newest page is known. The newest cases of the scope after
    // the cursor are tried first — at most `probeRows` of them, received in the last `days` days
    // before the page (the bound keeps a city's probe off the province-wide order: bench/RESULTS.md
    // "register") — when they hold more than a page of matches, those are the newest matches of
    // all (every case outside is older than every case inside), and only they were read.
    // Otherwise the whole range is searched (through the trigrams: then the matches are few).
    const since = addDays(after?.key ?? shanghaiDate(ctx.deps.now()), -days);
    // Each office's newest cases are an index range read backwards and stopped at `probeRows`;
    // but the planner judges a few offices' recent cases by the whole table's spread (a county
    // with a 50,000-case backlog received in 60 days: 531 estimated, 50,153 read) and would rather
    // fetch them all in a bitmap and sort them. Bitmaps are off for this one statement when it
    // reads office by office (bench/RESULTS.md "register: the newest-rows probe"); the province's
    // probe reads the date index backwards as it is.
    const probe = { scope: opts.scope, offices: opts.offices, rows: probeRows, since };
    const near =
      opts.offices.length <= PROBE_BY_OFFICE_MAX
        ? await ctx.deps.db.transaction(async (tx) => {
            await tx.execute(sql`set local enable_bitmapscan = off`);
            return registerSelect(ctx, where, sort, after, limit, probe, tx as unknown as Db);
          })
        : await registerSelect(ctx, where, sort, after, limit, probe);
    if (near.length > limit) rows = near;
  }
  rows ??= await registerSelect(ctx, where, sort, after, limit);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const today = shanghaiDate(ctx.deps.now());
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      number: currentLabel(ctx.deps, r),
      receivedOn: r.receivedOn,
      channel: r.channel,
      type: r.type,
      category: r.category,
      title: r.title,
      subject:
        r.subjectName !== null && r.subjectUnit !== null && r.subjectLevel !== null
          ? { name: r.subjectName, unit: r.subjectUnit, level: r.subjectLevel }
          : null,
      stage: r.stage,
      publicStatus: r.publicStatus,
      office: { code: r.officeCode, name: ctx.deps.offices.get(r.officeCode)?.name ?? r.officeCode },
      nextDueOn: r.nextDueOn,
      overdue: (ACTIVE_STAGES as string[]).includes(r.stage) && r.nextDueOn !== null && r.nextDueOn < today,
      realName: r.realName,
      unread: Boolean(r.unread),
      canAct: r.officeCode === actor.officeCode,
    })),
    next: more && last ? { sort, key: last.sortKey, serial: last.serial } : undefined,
  };
}

export type RegisterItemRow = Awaited<ReturnType<typeof registerRows>>["items"][number];
