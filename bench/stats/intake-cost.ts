// What the summary's triggers cost intake: 10,000 cases (made by bench/register/seed.ts) inserted
// one per transaction (autocommit) with the triggers off, with the per-office trigger
// of the first version (flat: one office's rows, kept here in a scratch table), and with the
// rolled-up trigger (office, city and province subtrees). Alternated, twice each.
//
//   npx tsx bench/stats/intake-cost.ts      (BENCH_CASES=10000)
import fs from "node:fs";
import postgres from "postgres";
import { migrateAll } from "../../api/bootstrap/migrate";
import { parseConfig } from "../../api/config";
import { loadDivisions, OfficeDirectory } from "../../api/domain/divisions";
import { openDb } from "../../db/client";
import { createBenchDb } from "../lib/db";
import { seedCases } from "./seed-cases";

const N = Number(process.env.BENCH_CASES ?? 10_000);
const FLAT = `
create table case_stats_flat (office_code text, month date, dim text, value text, n int,
  primary key (office_code, month, dim, value));
create function qf_case_stats_apply_flat() returns trigger language plpgsql as $$
begin
  insert into case_stats_flat as s (office_code, month, dim, value, n)
  select d.office_code, d.month, d.dim, d.value, sum(d.delta)::int from (
    select OLD.office_code, date_trunc('month', OLD.received_on)::date, f.dim, f.value, -1 from qf_case_stat_facts(OLD) f
    union all
    select NEW.office_code, date_trunc('month', NEW.received_on)::date, f.dim, f.value, 1 from qf_case_stat_facts(NEW) f
  ) as d(office_code, month, dim, value, delta)
  group by 1, 2, 3, 4 having sum(d.delta) <> 0 order by 1, 2, 3, 4
  on conflict (office_code, month, dim, value) do update set n = s.n + excluded.n;
  return null;
end $$;
create trigger cases_stats_flat after insert on cases for each row execute function qf_case_stats_apply_flat();
alter table cases disable trigger cases_stats_flat;`;

async function main() {
  const db = await createBenchDb("qf_bench_intake_cost");
  try {
    const config = parseConfig({ ...process.env, DATABASE_URL: db.url, DEMO: "off" });
    const handle = await openDb({ url: db.url, max: 1 });
    await migrateAll(handle, new OfficeDirectory(await loadDivisions(config.province)));
    await handle.close();
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql.unsafe(FLAT);
    const modes = {
      off: [] as string[],
      flat: ["cases_stats_flat"],
      rollup: ["cases_stats_insert_delete"],
    };
    const all = ["cases_stats_insert_delete", "cases_stats_update", "cases_stats_flat"];
    const seconds: Record<string, number[]> = { off: [], flat: [], rollup: [] };
    const summaryRows: Record<string, number> = {};
    // The cases, made once with every trigger off, then inserted again one per transaction (as
    // intake does: a case, its commit) under each mode.
    for (const t of all) await sql.unsafe(`alter table cases disable trigger ${t}`);
    await seedCases(sql, N);
    await sql.unsafe("create table cases_tmpl as select * from cases order by id");
    await sql.unsafe("create index on cases_tmpl ((id::text))");
    const ids = (await sql<{ id: string }[]>`select id::text as id from cases_tmpl order by id`).map(
      (r) => r.id,
    );
    for (let round = 0; round < 2; round++) {
      for (const [mode, on] of Object.entries(modes)) {
        for (const t of all) await sql.unsafe(`alter table cases disable trigger ${t}`);
        await sql.unsafe("delete from cases");
        await sql.unsafe("truncate case_stats_monthly, case_stats_flat");
        for (const t of on) await sql.unsafe(`alter table cases enable trigger ${t}`);
        const t0 = Date.now();
        for (const id of ids)
          await sql`insert into cases overriding system value select * from cases_tmpl where id::text = ${id}`;
        seconds[mode].push((Date.now() - t0) / 1000);
        const [c] = await sql<{ s: string; f: string }[]>`
          select (select count(*) from case_stats_monthly) as s, (select count(*) from case_stats_flat) as f`;
        summaryRows[mode] = Number(c.s) + Number(c.f);
      }
    }
    await sql.end();
    const load = fs.readFileSync("/proc/loadavg", "utf8").trim();
    console.log(JSON.stringify({ cases: N, seconds, summaryRows, load }));
  } finally {
    await db.drop();
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
