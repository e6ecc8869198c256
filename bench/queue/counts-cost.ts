// What the queue-count triggers of migration 0018 cost a write, on a copy of a seeded database
// (never on the one EXPLAIN reads: this one commits and puts back):
//   - intake: N cases inserted one per transaction (autocommit, as intake commits a case), the
//     tally triggers (cases_tally_*) on and off, the 形势分析 triggers on in both;
//   - claim: N fresh cases of one office claimed one per statement (the claim's UPDATE of the
//     lease columns, asynchronous commit as the real claim), the lease-mark trigger on and off.
// Alternated, ROUNDS times each. The counts are recounted at the end (qf_case_queue_rebuild).
//
//   createdb -T qf_scale_dev qf_copy && npx tsx bench/queue/counts-cost.ts postgres://…/qf_copy [office]
import { randomUUID } from "node:crypto";
import postgres from "postgres";

const N = Number(process.env.BENCH_CASES ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TALLY = [
  "cases_tally_queue_insert_delete",
  "cases_tally_queue_update",
  "cases_tally_lease_insert",
  "cases_tally_lease_delete",
  "cases_tally_lease_update",
];
const ACTIVE = "('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')";

async function main(): Promise<void> {
  const url = process.argv[2];
  const office = process.argv[3] ?? "430112";
  if (!url || /qf_scale_dev/.test(url)) throw new Error("usage: counts-cost.ts <url of a COPY> [office]");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const toggle = async (on: boolean, names = TALLY) => {
    for (const t of names) await sql.unsafe(`alter table cases ${on ? "enable" : "disable"} trigger ${t}`);
  };
  try {
    // Intake: a template of N active cases of the office with fresh keys.
    const cols = (
      await sql<{ c: string }[]>`select column_name as c from information_schema.columns
        where table_schema = 'public' and table_name = 'cases' and column_name not in ('id', 'serial', 'tracking_hash')
        order by ordinal_position`
    ).map((r) => `"${r.c}"`);
    await sql.unsafe("drop table if exists qf_cost_tmpl");
    await sql.unsafe(`create table qf_cost_tmpl as
      select gen_random_uuid() as new_id, sha256(gen_random_uuid()::text::bytea) as new_hash, ${cols.join(", ")}
      from cases where office_code = '${office}' and stage in ${ACTIVE} and lease_expires_at is null limit ${N}`);
    await sql.unsafe("create index on qf_cost_tmpl (new_id)");
    const ids = (await sql<{ id: string }[]>`select new_id::text as id from qf_cost_tmpl`).map((r) => r.id);
    const insert = `insert into cases (id, tracking_hash, ${cols.join(", ")})
      select new_id, new_hash, ${cols.join(", ")} from qf_cost_tmpl where new_id = $1`;
    // Claim: N fresh cases (no lease), put back to no lease after each round.
    const fresh = (
      await sql<{ id: string }[]>`select id::text as id from cases where office_code = ${office}
        and stage in ('received', 'reviewing') and lease_expires_at is null order by serial limit ${N}`
    ).map((r) => r.id);
    const holder = randomUUID();
    const claim = `with a as (select set_config('synchronous_commit', 'off', true))
      update cases set lease_token = $2::uuid, lease_holder_id = $3::uuid, lease_expires_at = now() + interval '30 minutes'
      from a where id = $1::uuid and (lease_expires_at is null or lease_expires_at < now())`;
    const seconds: Record<string, number[]> = {
      intake_off: [],
      intake_on: [],
      claim_off: [],
      claim_on: [],
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const on of [false, true]) {
        await toggle(on);
        let t0 = performance.now();
        for (const id of ids) await sql.unsafe(insert, [id]);
        seconds[on ? "intake_on" : "intake_off"].push((performance.now() - t0) / 1000);
        await sql.unsafe("delete from cases where id in (select new_id from qf_cost_tmpl)");
        t0 = performance.now();
        for (const id of fresh) await sql.unsafe(claim, [id, randomUUID(), holder]);
        seconds[on ? "claim_on" : "claim_off"].push((performance.now() - t0) / 1000);
        await sql.unsafe(
          "update cases set lease_token = null, lease_holder_id = null, lease_expires_at = null where lease_holder_id = $1",
          [holder],
        );
      }
    }
    await toggle(true);
    await sql.unsafe("drop table qf_cost_tmpl");
    await sql.unsafe("select qf_case_queue_rebuild()");
    const perCase = (xs: number[]) => xs.map((s) => Number(((s / N) * 1e6).toFixed(0)));
    const load = (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").trim();
    console.log(
      JSON.stringify({
        cases: N,
        microsecondsPerCase: Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, perCase(v)])),
        load,
      }),
    );
  } finally {
    await sql.end();
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
