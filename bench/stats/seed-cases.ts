// Seeds the 形势分析 benchmark (bench/stats): cases only, 1,000,000 across every office, set-based (generate_series),
// with names, units, titles and narratives drawn from realistic parts so trigram search has real
// work to do (common surnames, two- and three-character names, the same departments in every
// division, recurring phrases). The cases table's secondary indexes are dropped while the rows go
// in and built again after (what a bulk load does), then the table is analysed.
import type { Sql } from "postgres";

import { CATEGORIES, CHANNELS, DEPARTMENTS, GIVEN, ISSUES, LEVELS, PHRASES, SURNAMES } from "../scale/seed";

const arr = (xs: string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(",")}]::text[]`;

export async function seedCases(sql: Sql, total: number): Promise<{ seconds: number; indexSeconds: number }> {
  const t0 = Date.now();
  const defs = await sql<{ name: string; def: string }[]>`
    select indexname as name, indexdef as def from pg_indexes
    where tablename = 'cases' and indexname <> 'cases_pkey'`;
  for (const d of defs) await sql.unsafe(`drop index "${d.name}"`);
  const sur = [...SURNAMES];
  const giv = [...GIVEN];
  // In chunks, so one statement's memory stays small and progress shows.
  const chunk = 200_000;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await sql.unsafe(`
      with o as (select array_agg(code order by code) as codes, count(*)::int as n from offices),
      p as (select g, o.codes, o.n,
          (${arr(sur)})[(1 + (g::bigint * 7919) % ${sur.length})::int] ||
          (${arr(giv)})[(1 + (g::bigint * 104729) % ${giv.length})::int] ||
          case when g % 3 = 0 then (${arr(giv)})[(1 + (g::bigint * 15485863) % ${giv.length})::int] else '' end as name,
          o.codes[(1 + (g::bigint * 31) % o.n)::int] as office,
          (${arr(ISSUES)})[(1 + (g::bigint * 13) % ${ISSUES.length})::int] as issue,
          (${arr(DEPARTMENTS)})[(1 + (g::bigint * 17) % ${DEPARTMENTS.length})::int] as dept
        from generate_series(${from}, ${to}) g, o)
      insert into cases (type, category, real_name, title, body, subject_name, subject_unit, subject_level,
        subject_division_code, subject_key, routed_office_code, office_code, tracking_hash, channel, received_on,
        received_at, stage, public_status, next_due_on)
      select 'accusation',
        (${arr(CATEGORIES)})[(1 + g % ${CATEGORIES.length})::int],
        g % 4 = 0,
        '反映' || p.name || p.issue || '问题',
        p.name || '在担任' || d.division_name || p.dept || '负责人期间' || p.issue || '。' ||
          (${arr(PHRASES)})[(1 + (g::bigint * 7) % ${PHRASES.length})::int] || (${arr(PHRASES)})[(1 + (g::bigint * 11) % ${PHRASES.length})::int],
        p.name, d.division_name || p.dept, (${arr(LEVELS)})[(1 + g % ${LEVELS.length})::int], p.office, p.name,
        p.office, p.office, decode(md5('bench' || g), 'hex'),
        (${arr(CHANNELS)})[(1 + (g::bigint * 3) % ${CHANNELS.length})::int],
        date '2021-06-01' + (g % 1800),
        (date '2021-06-01' + (g % 1800))::timestamptz,
        s.stage,
        case s.stage when 'received' then 'received' when 'registered' then 'accepted' when 'handling' then 'in_progress'
          when 'declined' then 'not_accepted' when 'kept' then 'received' else 'concluded' end,
        case when s.stage in ('received', 'registered', 'handling') then date '2021-06-01' + (g % 1800) + 30 end
      from p
      join offices d on d.code = p.office
      cross join lateral (select (ARRAY['received','registered','handling','handling','concluded','concluded','concluded','concluded','declined','kept'])[(1 + (g::bigint * 7) % 10)::int] as stage) s`);
    process.stderr.write(`seeded ${to}\n`);
  }
  const t1 = Date.now();
  await sql.unsafe("set maintenance_work_mem = '512MB'");
  for (const d of defs) await sql.unsafe(d.def);
  await sql.unsafe("analyze cases");
  return { seconds: (t1 - t0) / 1000, indexSeconds: (Date.now() - t1) / 1000 };
}
