// A five-year province, seeded set-based (generate_series, INSERT … SELECT): the cases of the 137
// offices with their trails (case_events), clocks, messages, numbers, the 转送/交办 ledger and
// 督办, about 2% still active, and a backlog of waiting cases in one office. Used by
// bench:scale, bench:register and the EXPLAIN guard (test/integration/explain-guard.test.ts);
// parameterised by size. Names, units, titles and narratives come from realistic parts so
// trigram search has real work to do (common surnames, two- and three-character names, the same
// departments in every division, recurring phrases).
//
// Bulk-load habits: the secondary indexes of the big tables are dropped while the rows go in and
// built again after; the session runs with session_replication_role = replica, so the foreign-key
// and append-only triggers do not fire row by row (the rows are consistent by construction; needs
// a superuser, as the bench and test databases are); every table is analysed at the end.
//
// The trail: PostgreSQL has no BLAKE2b (docs/hash-chain.md §10), so SQL writes each event with a
// placeholder hash (SHA-256 of case id and seq), linked as the chain links (prev_hash = the
// previous event's placeholder): `trail verify` does the full work on every event and reports those
// cases as broken. The cases of `realChainOffice` get their real chains, recomputed in Node with
// the writer's own code (chainEvent), so verification of those is meaningful and must pass.
import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import { seedOffices } from "../../api/bootstrap/offices";
import { getSodium } from "../../api/crypto/sodium";
import { loadDivisions, OfficeDirectory } from "../../api/domain/divisions";
import { chainEvent } from "../../api/services/events/append";
import { migrateDb, openDb } from "../../db/client";

export const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
export const GIVEN =
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉斌鹏波宇浩凯健俊帆帅旭宁龙林欣晨阳海峰亮成华东";
export const DEPARTMENTS = [
  "交通运输局",
  "财政局",
  "住房和城乡建设局",
  "教育局",
  "卫生健康局",
  "自然资源局",
  "水利局",
  "农业农村局",
  "市场监督管理局",
  "生态环境局",
  "民政局",
  "人力资源和社会保障局",
  "城市管理局",
  "公安局",
  "发展和改革局",
  "乡村振兴局",
  "应急管理局",
  "林业局",
  "审计局",
  "商务局",
];
export const ISSUES = [
  "违规审批",
  "收受回扣",
  "工程转包",
  "挪用扶贫资金",
  "公款吃喝",
  "违规发放津贴补贴",
  "插手工程项目",
  "优亲厚友",
  "违规收受礼金",
  "滥用职权",
  "套取专项资金",
  "违规招投标",
  "吃拿卡要",
  "形式主义",
  "公车私用",
  "违规占用土地",
];
export const PHRASES = [
  "群众反映强烈，请组织核查。",
  "涉及金额较大，造成国有资产损失。",
  "多次向上级反映未果。",
  "相关材料已一并提交。",
  "在项目验收中弄虚作假。",
  "利用职务便利为亲属谋取利益。",
  "长期不作为，群众办事难。",
  "在低保评定中优亲厚友。",
  "收受施工方财物。",
  "违规报销差旅费用。",
  "在征地拆迁补偿中虚报面积。",
  "请上级纪委监委予以调查处理。",
];
export const CHANNELS = [
  "online",
  "online",
  "online",
  "letter",
  "letter",
  "visit",
  "phone",
  "hotline_12388",
  "assigned",
];
export const CATEGORIES = [
  "integrity",
  "integrity",
  "work",
  "mass",
  "eight_point_rules",
  "organizational",
  "political",
  "life",
  "duty_crime",
  "other",
];
export const LEVELS = ["county", "county", "county", "other", "city", "province", "unknown"];
/** Active stages, weighted (of every 20 active cases). */
const ACTIVE = [
  ...Array(6).fill("received"),
  ...Array(4).fill("registered"),
  ...Array(7).fill("handling"),
  "reviewing",
  "awaiting_feedback",
  "objected",
];
/** Finished stages, weighted (of every 20). */
const FINISHED = [...Array(14).fill("concluded"), ...Array(3).fill("declined"), "merged", "merged", "kept"];

/** The trail of a case by its stage: the kinds of its events, in order. */
const TRAIL: Record<string, string[]> = {
  received: ["received"],
  registered: ["received", "registered"],
  handling: ["received", "registered", "in_progress"],
  reviewing: ["received", "registered", "in_progress", "reported"],
  awaiting_feedback: ["received", "registered", "in_progress", "concluded"],
  objected: ["received", "registered", "in_progress", "concluded", "feedback", "recheck_started"],
  concluded: ["received", "registered", "in_progress", "concluded", "feedback"],
  declined: ["received", "declined"],
  merged: ["received", "merged"],
  kept: ["received", "kept"],
};
const PUBLIC_KINDS = ["received", "registered", "declined", "in_progress", "concluded", "feedback", "merged"];

const arr = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(",")}]::text[]`;
const pick = (xs: readonly string[], expr: string) => `(${arr(xs)})[(1 + (${expr}) % ${xs.length})::int]`;

export interface SeedOptions {
  /** Cases in all, the backlog included. */
  cases: number;
  /** Waiting (stage received, nobody holding) cases added in `backlogOffice`. */
  backlog?: number;
  backlogOffice?: string;
  /** Share of the other cases still active (not declined, concluded, merged or kept). */
  activeShare?: number;
  /** Trails, clocks, messages, numbers, transfers and 督办 (false: the cases only). */
  extras?: boolean;
  /** The office whose cases get real BLAKE2b chains (null: none). */
  realChainOffice?: string | null;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

export interface SeedReport {
  cases: number;
  events: number;
  clocks: number;
  messages: number;
  /** The cases whose chains are real (of realChainOffice). */
  realChainCases: number;
  insertSeconds: number;
  chainSeconds: number;
  indexSeconds: number;
}

/** Deterministic handler ids: five per office, `handlerId(office, i)` (the bench signs in as one). */
export const handlerIdSql = (officeExpr: string, iExpr: string) =>
  `(md5('qf-handler:' || ${officeExpr} || ':' || (${iExpr})::text)::uuid)`;

export function handlerId(office: string, i: number): string {
  // The same md5 as handlerIdSql, formatted as PostgreSQL prints a uuid.
  const h = createHash("md5").update(`qf-handler:${office}:${i}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A database as the app leaves it at first start: migrated, the office tree loaded (PROVINCE, default 430000). */
export async function prepareDatabase(
  url: string,
  province = process.env.PROVINCE ?? "430000",
): Promise<void> {
  const handle = await openDb({ url, max: 1 });
  try {
    await migrateDb(handle);
    await seedOffices(handle.db, new OfficeDirectory(await loadDivisions(province)));
  } finally {
    await handle.close();
  }
}

const BIG_TABLES = ["cases", "case_events", "case_clocks", "case_messages", "case_numbers", "case_transfers"];

/** Fills the database (migrated, offices loaded, no cases yet is the usual start). */
export async function seedProvince(sql: Sql, opts: SeedOptions): Promise<SeedReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const backlog = Math.min(opts.backlog ?? 0, opts.cases);
  const backlogOffice = opts.backlogOffice ?? "430112";
  const activeShare = opts.activeShare ?? 0.02;
  const extras = opts.extras ?? true;
  const body = opts.cases - backlog;
  const t0 = Date.now();
  const [{ offices }] = await sql<{ offices: number }[]>`select count(*)::int as offices from offices`;
  if (offices === 0) throw new Error("seedProvince: the offices table is empty (start the app once first)");
  const [{ base }] = await sql<{ base: number }[]>`select coalesce(max(serial), 0)::int as base from cases`;
  await sql.unsafe("set session_replication_role = replica");
  await sql.unsafe("set synchronous_commit = off");
  const defs = await sql<{ name: string; def: string }[]>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    join pg_class c on c.relname = i.indexname
    join pg_index x on x.indexrelid = c.oid
    where i.schemaname = current_schema() and i.tablename = any(${BIG_TABLES}) and not x.indisprimary`;
  for (const d of defs) await sql.unsafe(`drop index "${d.name}"`);

  const sur = [...SURNAMES];
  const giv = [...GIVEN];
  const today = `(now() at time zone 'Asia/Shanghai')::date`;
  const active = Math.round(activeShare * 1000);
  // One statement per chunk keeps memory small and shows progress. g is the case's ordinal; the
  // backlog is the last `backlog` ordinals.
  const chunk = 200_000;
  for (let from = 1; from <= opts.cases; from += chunk) {
    const to = Math.min(opts.cases, from + chunk - 1);
    await sql.unsafe(`
      with o as (select array_agg(code order by code) as codes, count(*)::int as n from offices),
      p as (select g, g > ${body} as backlog, (g::bigint * 7919) % 1000 < ${active} as active,
          ${pick(sur, "g::bigint * 7919")} || ${pick(giv, "g::bigint * 104729")} ||
          case when g % 3 = 0 then ${pick(giv, "g::bigint * 15485863")} else '' end as name,
          case when g > ${body} then '${backlogOffice}' else o.codes[(1 + (g::bigint * 31) % o.n)::int] end as office,
          ${pick(ISSUES, "g::bigint * 13")} as issue,
          ${pick(DEPARTMENTS, "g::bigint * 17")} as dept
        from generate_series(${from}, ${to}) g, o),
      q as (select p.*,
          case when p.backlog then 'received'
            when p.active then ${pick(ACTIVE, "g::bigint * 7")}
            else ${pick(FINISHED, "g::bigint * 7")} end as stage,
          -- Active cases arrived in the last 90 days (the backlog in the last 60); the rest over five years.
          case when p.backlog then ${today} - (p.g % 60)::int
            when p.active then ${today} - (p.g % 90)::int
            else ${today} - 90 - (p.g % 1736)::int end as received_on
        from p)
      insert into cases (type, category, real_name, title, body, subject_name, subject_unit, subject_level,
        subject_division_code, subject_key, routed_office_code, office_code, tracking_hash, channel, received_on,
        received_at, updated_at, stage, public_status, disposition, next_due_on, assignee_id, lease_token,
        lease_holder_id, lease_expires_at)
      select 'accusation',
        ${pick(CATEGORIES, "g")},
        g % 4 = 0,
        '反映' || q.name || q.issue || '问题',
        q.name || '在担任' || d.division_name || q.dept || '负责人期间' || q.issue || '。' ||
          ${pick(PHRASES, "g::bigint * 7")} || ${pick(PHRASES, "g::bigint * 11")},
        q.name, d.division_name || q.dept, ${pick(LEVELS, "g")}, q.office, q.name,
        q.office, q.office, decode(md5('bench' || g), 'hex'),
        ${pick(CHANNELS, "g::bigint * 3")},
        q.received_on,
        q.received_on::timestamptz + ((g % 36000) * interval '1 second'),
        q.received_on::timestamptz + interval '3 days',
        q.stage,
        case q.stage when 'received' then 'received' when 'registered' then 'accepted'
          when 'declined' then 'not_accepted' when 'kept' then 'received' when 'merged' then 'received'
          when 'concluded' then 'concluded' when 'awaiting_feedback' then 'concluded' else 'in_progress' end,
        case when q.stage in ('handling', 'reviewing', 'awaiting_feedback', 'objected', 'concluded')
          then ${pick(["talk_inquiry", "preliminary_verification", "hold", "close", "investigation"], "g")} end,
        -- The running clock's due date: 15 working days ≈ 21 calendar days (a real-name report
        -- waiting for its 受理 notice, a result report, a 反馈); some are past due.
        case when q.stage in ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')
          and (g % 4 = 0 or q.stage <> 'received') then q.received_on + 21 end,
        -- The handler (承办人) stays on a case once it is done: five years of them per handler.
        case when q.stage in ('registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected', 'concluded')
          then ${handlerIdSql("q.office", "g % 5")} end,
        -- One active case in ten is held under a live lease by one of the office's handlers.
        case when q.active and g % 10 = 0 then md5('lease' || g)::uuid end,
        case when q.active and g % 10 = 0 then ${handlerIdSql("q.office", "g % 5")} end,
        case when q.active and g % 10 = 0 then now() + interval '25 minutes' end
      from q join offices d on d.code = q.office`);
    log(`seeded ${to.toLocaleString("en")} cases`);
  }
  const range = `c.serial > ${base}`;
  let events = 0;
  let clocks = 0;
  let messages = 0;
  if (extras) {
    const cases = `(select * from cases c where ${range})`;
    // 办理轨迹: the events each stage implies, a few hours apart, placeholder hashes linked as a chain.
    const trail = Object.entries(TRAIL)
      .map(([stage, kinds]) => `when '${stage}' then ${arr(kinds)}`)
      .join(" ");
    const ph = (seq: string) => `sha256(convert_to(c.id::text || ':' || (${seq})::text, 'UTF8'))`;
    const [e] = await sql.unsafe<{ n: number }[]>(`
      with ins as (insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select c.id, k.seq, date_trunc('milliseconds', c.received_at + (k.seq - 1) * interval '7 hours'), k.kind,
        case when k.seq = 1 then 'system:intake' else 'staff:seed' end, c.office_code,
        k.kind = any(${arr(PUBLIC_KINDS)}), '{}'::jsonb,
        case when k.seq > 1 then ${ph("k.seq - 1")} end, ${ph("k.seq")}
      from ${cases} c
      cross join lateral unnest(case c.stage ${trail} end) with ordinality as k(kind, seq)
      returning 1) select count(*)::int as n from ins`);
    events = e.n;
    log(`seeded ${events.toLocaleString("en")} events`);
    // Clocks: the 受理 notice of a real-name report (stopped once 受理d), the running clock of each
    // active case at its next_due_on, the 反馈 clock of a concluded real-name case (stopped).
    const [k] = await sql.unsafe<{ n: number }[]>(`
      with ins as (insert into case_clocks (case_id, rule, office_code, started_on, due_on, stopped_at)
      select c.id, 'accept_notice', c.office_code, c.received_on, c.received_on + 21,
        case when c.stage <> 'received' then c.received_at + interval '2 days' end
      from ${cases} c where c.real_name
      union all
      select c.id, case c.stage when 'reviewing' then 'assign_report' when 'objected' then 'objection_check'
          else 'result_notice' end, c.office_code, c.received_on + 7, c.next_due_on, null
      from ${cases} c where c.next_due_on is not null and c.stage <> 'received'
      union all
      select c.id, 'result_notice', c.office_code, c.received_on + 30, c.received_on + 51,
        c.received_at + interval '40 days'
      from ${cases} c where c.real_name and c.stage = 'concluded'
      returning 1) select count(*)::int as n from ins`);
    clocks = k.n;
    log(`seeded ${clocks.toLocaleString("en")} clocks`);
    // Messages: one case in twenty has 补充材料 from the reporter (unread on a third of the active
    // ones), one in fifty an office reply.
    const [m] = await sql.unsafe<{ n: number }[]>(`
      with ins as (insert into case_messages (case_id, at, sender, staff_id, body, read_at, read_by)
      select c.id, c.received_at + interval '5 days', 'reporter', null, '补充材料：' || c.title,
        case when c.stage in ('received', 'registered', 'handling') and c.serial % 3 = 0 then null
          else c.received_at + interval '6 days' end,
        case when c.stage in ('received', 'registered', 'handling') and c.serial % 3 = 0 then null
          else ${handlerIdSql("c.office_code", "c.serial % 5")} end
      from ${cases} c where c.serial % 20 = 0
      union all
      select c.id, c.received_at + interval '8 days', 'office', ${handlerIdSql("c.office_code", "c.serial % 5")},
        '来信收悉，正在办理。', null, null
      from ${cases} c where c.serial % 50 = 7
      returning 1) select count(*)::int as n from ins`);
    messages = m.n;
    log(`seeded ${messages.toLocaleString("en")} messages`);
    // 信访件编号: every case past 受理 has its number at its office, per year in order of arrival.
    await sql.unsafe(`
      insert into case_numbers (case_id, office_code, year, seq, assigned_at, subject_level)
      select c.id, c.office_code, extract(year from c.received_on)::int,
        (row_number() over (partition by c.office_code, extract(year from c.received_on) order by c.serial)
          + coalesce((select k.last_seq from case_number_counters k where k.office_code = c.office_code
              and k.year = extract(year from c.received_on)::int), 0))::int,
        c.received_at + interval '1 day',
        -- Written here: the session runs as a replica, so 0020's trigger that copies it does not fire.
        c.subject_level
      from ${cases} c where c.stage not in ('received', 'merged', 'kept')`);
    await sql.unsafe(`
      insert into case_number_counters (office_code, year, last_seq)
      select office_code, year, max(seq) from case_numbers group by 1, 2
      on conflict (office_code, year) do update set last_seq = excluded.last_seq`);
    log("seeded numbers");
    // 转送 ledger: one case in twenty of a county office came down from its city office (closed
    // once 受理d); 督办: one active overdue case in five is pressed by the city office.
    await sql.unsafe(`
      insert into case_transfers (case_id, kind, event_seq, from_office, to_office, sent_at, sent_by, due_on,
        report_due_on, claimed_at, registered_at, closed_at, closed_kind)
      select c.id, case when c.serial % 40 = 3 then 'assigned' else 'forwarded' end, 1, o.parent_code, c.office_code,
        c.received_at, 'staff:seed', c.received_on + 7,
        case when c.serial % 40 = 3 then c.received_on + 60 end,
        case when c.stage <> 'received' then c.received_at + interval '1 day' end,
        case when c.stage <> 'received' then c.received_at + interval '2 days' end,
        case when c.stage in ('concluded', 'declined', 'merged', 'kept') then c.received_at + interval '30 days' end,
        case when c.stage in ('concluded', 'declined', 'merged', 'kept') then c.stage end
      from ${cases} c join offices o on o.code = c.office_code
      where o.level = 'county' and c.serial % 20 = 3`);
    await sql.unsafe(`
      insert into case_supervisions (case_id, event_seq, at, by_office, by_actor, to_office, within_office, method, note)
      select c.id, 1, now() - interval '1 day', o.parent_code, 'staff:seed', c.office_code, false, 'letter', '请抓紧办理。'
      from ${cases} c join offices o on o.code = c.office_code
      where o.parent_code is not null and c.next_due_on < ${today}
        and c.stage in ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')
        and c.serial % 5 = 0`);
    log("seeded transfers and supervisions");
  }
  const t1 = Date.now();
  await sql.unsafe("set maintenance_work_mem = '512MB'");
  for (const d of defs) await sql.unsafe(d.def);
  for (const t of [...BIG_TABLES, "case_supervisions", "case_number_counters"])
    await sql.unsafe(`analyze ${t}`);
  log("indexed and analysed");
  const t2 = Date.now();
  // After the indexes: it reads each case's events by (case_id, seq).
  let realChainCases = 0;
  if (extras && opts.realChainOffice) {
    realChainCases = await rechain(sql, opts.realChainOffice, base);
    log(`real chains for ${realChainCases.toLocaleString("en")} cases of ${opts.realChainOffice}`);
  }
  await sql.unsafe("set session_replication_role = origin");
  // The 形势分析 summary is kept by triggers, which the replica role kept quiet: count it once.
  const [{ stats }] = await sql<
    { stats: string | null }[]
  >`select to_regproc('qf_case_stats_rebuild')::text as stats`;
  if (stats) {
    await sql.unsafe("select qf_case_stats_rebuild()");
    await sql.unsafe("analyze case_stats_monthly");
    log("形势分析 summary counted");
  }
  // So are the queue overview's counts and lease marks (migration 0018).
  const [{ queue }] = await sql<
    { queue: string | null }[]
  >`select to_regproc('qf_case_queue_rebuild')::text as queue`;
  if (queue) {
    await sql.unsafe("select qf_case_queue_rebuild()");
    await sql.unsafe("analyze case_queue_counts, case_lease_marks");
    log("queue counts counted");
  }
  return {
    cases: opts.cases,
    events,
    clocks,
    messages,
    realChainCases,
    insertSeconds: (t1 - t0) / 1000,
    indexSeconds: (t2 - t1) / 1000,
    chainSeconds: (Date.now() - t2) / 1000,
  };
}

/**
 * Rewrites the placeholder hashes of `office`'s cases with their real chains (chainEvent, the
 * writer's own function), in pages of cases. Runs with the append-only trigger off (replica role).
 */
async function rechain(sql: Sql, office: string, base: number): Promise<number> {
  await getSodium();
  const ids = await sql<{ id: string }[]>`
    select id from cases where office_code = ${office} and serial > ${base} order by id`;
  const page = 2000;
  for (let i = 0; i < ids.length; i += page) {
    const some = ids.slice(i, i + page).map((r) => r.id);
    const rows = await sql<
      {
        id: number;
        case_id: string;
        seq: number;
        at: Date;
        kind: string;
        actor: string;
        office_code: string;
        is_public: boolean;
        data: Record<string, unknown>;
      }[]
    >`select id, case_id, seq, at, kind, actor, office_code, is_public, data from case_events
      where case_id = any(${some}::uuid[]) order by case_id, seq`;
    const outIds: number[] = [];
    const prevs: (string | null)[] = [];
    const hashes: string[] = [];
    let last: { caseId: string; seq: number; hash: Uint8Array } | null = null;
    for (const r of rows) {
      const head = last && last.caseId === r.case_id ? last : null;
      const ev = chainEvent(head, {
        caseId: r.case_id,
        kind: r.kind as never,
        actor: r.actor,
        officeCode: r.office_code,
        isPublic: r.is_public,
        data: r.data,
        at: r.at,
      });
      outIds.push(r.id);
      prevs.push(ev.prevHash ? Buffer.from(ev.prevHash).toString("hex") : null);
      hashes.push(Buffer.from(ev.hash).toString("hex"));
      last = { caseId: r.case_id, seq: ev.seq, hash: ev.hash };
    }
    await sql`update case_events e set prev_hash = decode(v.prev, 'hex'), hash = decode(v.hash, 'hex')
      from unnest(${outIds}::bigint[], ${prevs as string[]}::text[], ${hashes}::text[]) as v(id, prev, hash)
      where e.id = v.id`;
  }
  return ids.length;
}
