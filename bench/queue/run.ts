/**
 * npm run bench:queue — claim-and-complete throughput of the project's queue verbs (claimNext →
 * actOnCase "register" with the lease token) against pg-boss (fetch → complete), 20 concurrent
 * workers each, the same number of jobs, the same database, the same process and run.
 * Goal: at least 1.0× pg-boss (issue 13), with fencing, the hash-chained event and the clocks on our side.
 *
 * Env: BENCH_DATABASE_URL (admin connection), BENCH_JOBS (per side per round, 1500),
 * BENCH_WORKERS (20), BENCH_ROUNDS (3; the order rotates), BENCH_POOL (connections per side,
 * 10 = the app's and pg-boss's default), BENCH_PROTOTYPE=1 to time a third side, the one-statement
 * prototype of ./one-statement.ts (evidence for the advice in RESULTS.md), on another office's
 * queue, BENCH_NO_STATS_TRIGGERS=1 to measure without the 形势分析 summary's triggers (a
 * diagnostic: what those triggers cost a claim and register; the product always has them),
 * BENCH_NO_COUNT_TRIGGERS=1 the same for the queue overview's counts and lease marks (migration
 * 0018), BENCH_NO_WRITE=1 to skip RESULTS.md.
 */
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { createBenchDb, dropOnExit, openMigrated, rawClient } from "../lib/db";
import { describeMachine, machineFacts } from "../lib/machine";
import { commandLine, median, today, writeSection } from "../lib/results";
import { createBenchRig } from "../lib/rig";
import { Conflict, claimOneStatement, drainWithPrototype, registerOneStatement } from "./one-statement";
import { assertFencing, drainWithQueueVerbs } from "./ours";
import { drainWithPgBoss, insertJobs, QUEUE, startBoss } from "./pgboss";
import { seedCases, seedStaff } from "./seed";

const num = (name: string, def: number) => Number(process.env[name] ?? def);
const JOBS = num("BENCH_JOBS", 1500);
const WORKERS = num("BENCH_WORKERS", 20);
const ROUNDS = num("BENCH_ROUNDS", 3);
const POOL = num("BENCH_POOL", 10);
const PROTOTYPE = process.env.BENCH_PROTOTYPE === "1";
const GOAL = 1.0;
const NO_STATS_TRIGGERS = process.env.BENCH_NO_STATS_TRIGGERS === "1";
const NO_COUNT_TRIGGERS = process.env.BENCH_NO_COUNT_TRIGGERS === "1";
const ENV_NAMES = [
  "BENCH_JOBS",
  "BENCH_WORKERS",
  "BENCH_ROUNDS",
  "BENCH_POOL",
  "BENCH_PROTOTYPE",
  "BENCH_NO_STATS_TRIGGERS",
  "BENCH_NO_COUNT_TRIGGERS",
];
const OFFICE = "430112"; // 望城区纪委监委
const PROTO_OFFICE = "430103"; // 天心区纪委监委: the prototype drains a queue of its own

type Side = "ours" | "pgboss" | "proto";
const SIDES: Side[] = PROTOTYPE ? ["ours", "pgboss", "proto"] : ["ours", "pgboss"];
interface Run {
  done: number;
  seconds: number;
  rate: number;
}

async function timed(fn: () => Promise<number>): Promise<Run> {
  const t = performance.now();
  const done = await fn();
  const seconds = (performance.now() - t) / 1000;
  return { done, seconds, rate: done / seconds };
}

async function main(): Promise<void> {
  const bdb = await createBenchDb();
  dropOnExit(bdb);
  let boss: PgBoss | undefined;
  try {
    const machine = await machineFacts(bdb.url);
    const handle = await openMigrated(bdb.url, POOL);
    if (NO_STATS_TRIGGERS) {
      // The bench database is the bench's own (dropped at exit): the summary goes stale, nothing reads it.
      await handle.db.execute(sql`alter table cases disable trigger cases_stats_update`);
      await handle.db.execute(sql`alter table case_events disable trigger case_events_stats`);
    }
    if (NO_COUNT_TRIGGERS) {
      for (const t of [
        "queue_insert_delete",
        "queue_update",
        "lease_insert",
        "lease_delete",
        "lease_update",
      ]) {
        await handle.db.execute(sql.raw(`alter table cases disable trigger cases_tally_${t}`));
      }
    }
    try {
      const { deps } = await createBenchRig(handle, bdb.url);
      const actors = await seedStaff(deps, OFFICE, WORKERS, ["intake"]);
      boss = await startBoss(bdb.url, POOL);
      const b = boss;
      // The prototype gets a pool of its own too, so no side waits for another's connections.
      const protoHandle = PROTOTYPE ? await openMigrated(bdb.url, POOL) : undefined;
      const protoSql = protoHandle ? rawClient(protoHandle) : undefined;
      const protoActors = PROTOTYPE ? await seedStaff(deps, PROTO_OFFICE, WORKERS, ["intake"]) : [];
      const drain: Record<Side, () => Promise<number>> = {
        ours: () => drainWithQueueVerbs(deps, actors),
        pgboss: () => drainWithPgBoss(b, WORKERS),
        proto: () => drainWithPrototype(deps, protoSql!, protoActors),
      };
      const seed = async (side: Side, n: number, tag: string) => {
        if (side === "ours") await seedCases(deps, OFFICE, n, tag);
        else if (side === "proto") await seedCases(deps, PROTO_OFFICE, n, tag);
        else await insertJobs(b, n, OFFICE);
      };

      // Warm-up (JIT, pools, plans) on a few hundred jobs each, and the fencing check.
      for (const side of SIDES) await seed(side, 300, `warm-${side}`);
      await assertFencing(deps, actors[0]);
      if (PROTOTYPE) {
        const c = await claimOneStatement(deps, protoSql!, protoActors[0]);
        const forged = "00000000-0000-4000-8000-000000000000";
        const refused = await registerOneStatement(deps, protoSql!, protoActors[0], c!.caseId, forged).then(
          () => false,
          (e) => e instanceof Conflict,
        );
        if (!refused) throw new Error("prototype fencing check: a forged lease token was accepted");
        await registerOneStatement(deps, protoSql!, protoActors[0], c!.caseId, c!.leaseToken);
      }
      for (const side of SIDES) await drain[side]();

      console.log(
        `queue: ${WORKERS} workers, ${JOBS} jobs per side per round, ${ROUNDS} rounds, pool ${POOL} per side`,
      );
      const rounds: (Record<Side, Run> & { ratio: number; protoRatio: number; order: Side[] })[] = [];
      const cpuMs = Object.fromEntries(SIDES.map((s) => [s, [] as number[]])) as Record<Side, number[]>;
      for (let i = 0; i < ROUNDS; i++) {
        // Every side's work is in place before any is timed.
        for (const side of SIDES) await seed(side, JOBS, `r${i}`);
        const order = SIDES.map((_, k) => SIDES[(k + i) % SIDES.length]);
        const got = {} as Record<Side, Run>;
        for (const side of order) {
          const c0 = process.cpuUsage();
          got[side] = await timed(drain[side]);
          const c = process.cpuUsage(c0);
          cpuMs[side].push((c.user + c.system) / 1000 / Math.max(1, got[side].done));
          if (got[side].done !== JOBS) throw new Error(`${side}: completed ${got[side].done} of ${JOBS}`);
        }
        const ratio = got.ours.rate / got.pgboss.rate;
        const protoRatio = PROTOTYPE ? got.proto.rate / got.pgboss.rate : Number.NaN;
        rounds.push({ ...got, ratio, protoRatio, order });
        const f = (r: Run) => `${r.rate.toFixed(0)} jobs/s (${r.seconds.toFixed(1)} s)`;
        console.log(
          `round ${i + 1}: ours ${f(got.ours)} | pg-boss ${f(got.pgboss)} | ratio ${ratio.toFixed(3)}${PROTOTYPE ? ` | prototype ${f(got.proto)} | ratio ${protoRatio.toFixed(3)}` : ""}`,
        );
      }

      // Every case was completed once, for real: registered, its event appended, its clock stopped.
      const total = 300 + ROUNDS * JOBS;
      const [c] = await handle.db.execute<{
        registered: number;
        events: number;
        open: number;
        boss: number;
      }>(sql`
        select (select count(*) from cases where stage = 'registered')::int as registered,
               (select count(*) from case_events where kind = 'registered')::int as events,
               (select count(*) from case_clocks where rule = 'accept_notice' and stopped_at is null)::int as open,
               (select count(*) from pgboss.job where name = ${QUEUE} and state = 'completed')::int as boss`);
      const cases = total * (PROTOTYPE ? 2 : 1);
      if (c.registered !== cases || c.events !== cases || c.open !== 0 || c.boss !== total) {
        throw new Error(
          `completion counts are off: ${JSON.stringify(c)}, expected ${cases} cases, ${total} jobs`,
        );
      }
      await protoHandle?.close();

      const ratio = median(rounds.map((r) => r.ratio));
      const med = (s: Side) => median(rounds.map((r) => r[s].rate));
      const protoRatio = median(rounds.map((r) => r.protoRatio));
      const met = ratio >= GOAL;
      const summary = `queue: ours / pg-boss claim-and-complete throughput = ${ratio.toFixed(2)} (median of ${ROUNDS}; goal ≥ ${GOAL}: ${met ? "met" : "MISSED"}); ours ${med("ours").toFixed(0)} jobs/s, pg-boss ${med("pgboss").toFixed(0)} jobs/s, ${WORKERS} workers, ${JOBS} jobs`;

      if (!process.env.BENCH_NO_WRITE) {
        const names: Record<Side, string> = { ours: "ours", pgboss: "pg-boss", proto: "prototype" };
        const cell = (r: Run) => `${r.rate.toFixed(0)} (${r.seconds.toFixed(1)})`;
        const table = [
          `| round | order | ours jobs/s (s) | pg-boss jobs/s (s) | ours / pg-boss |${PROTOTYPE ? " prototype jobs/s (s) | prototype / pg-boss |" : ""}`,
          `|---|---|---|---|---|${PROTOTYPE ? "---|---|" : ""}`,
          ...rounds.map(
            (r, i) =>
              `| ${i + 1} | ${r.order.map((s) => names[s]).join(" → ")} | ${cell(r.ours)} | ${cell(r.pgboss)} | ${r.ratio.toFixed(3)} |${PROTOTYPE ? ` ${cell(r.proto)} | ${r.protoRatio.toFixed(3)} |` : ""}`,
          ),
          `| **median** | | **${med("ours").toFixed(0)}** | **${med("pgboss").toFixed(0)}** | **${ratio.toFixed(3)}** |${PROTOTYPE ? ` **${med("proto").toFixed(0)}** | **${protoRatio.toFixed(3)}** |` : ""}`,
          "",
          `Node process CPU per job (median over rounds): ${SIDES.map((s) => `${names[s]} ${median(cpuMs[s]).toFixed(2)} ms`).join(", ")}.`,
        ].join("\n");
        const file = writeSection(
          "queue",
          `Date: ${today()}
Command: \`${commandLine("bench:queue", ENV_NAMES)}\`
Machine: ${describeMachine(machine)}

Goal (issue 13): claim-and-complete throughput of the project's queue, with fencing, the hash-chained
event and the clocks, at least 1.0× pg-boss's on the same machine and run. **${met ? "Met" : "Missed"}: ${ratio.toFixed(2)}×.**

Setup: one fresh database; ${WORKERS} concurrent workers per side, in-process (no HTTP on either side).
Ours: ${WORKERS} intake staff of 望城区纪委监委 (${OFFICE}), each looping \`claimNext\` (api/services/queue/claim.ts) →
\`actOnCase\` \`register\` with the claim's lease token (api/services/cases/act.ts) until the claim
answers that the queue is empty; the cases were seeded as intake writes them (real-name, with the
\`received\` event and the accept_notice clock). register is the cheapest honest "complete": it is
the step that takes a case out of the intake queue (release puts it back, so it completes
nothing), and like every leased action it is fenced by the token (checked before timing: a forged
token gets 409). pg-boss 12: \`fetch(queue, { batchSize: 1 })\` → \`complete(queue, id)\` until fetch
returns nothing, jobs inserted with \`insert\`; supervise and schedule off. Each side has its own
pool of ${POOL} connections (the app's default and pg-boss's). ${JOBS} jobs per side per round, seeded
before either side is timed; ${ROUNDS} rounds, the order rotating; warm-up on 300 jobs each. The
ratio is the median of the per-round ratios.${
            PROTOTYPE
              ? `
"prototype" (BENCH_PROTOTYPE=1) is bench/queue/one-statement.ts: the same claim and register
(same ordering, fencing, hash-chained event, clocks) as one prepared statement for the claim and
one read plus one write statement for register, on a queue of its own (天心区, ${PROTO_OFFICE}) with
a pool of its own; written before the product did the same, it is kept as a yardstick.`
              : ""
          }

${table}`,
        );
        console.log(`wrote ${file}`);
      }
      console.log(
        PROTOTYPE ? `${summary}; one-statement prototype / pg-boss = ${protoRatio.toFixed(2)}` : summary,
      );
    } finally {
      await boss?.stop({ graceful: false, close: true }).catch(() => {});
      await handle.close();
    }
  } finally {
    await bdb.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
