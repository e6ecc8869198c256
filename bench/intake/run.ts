/**
 * npm run bench:intake — POST /api/v1/reports through the full pipeline (validate → redact →
 * seal → route → one statement: case + sealed identity + hash-chained event + clock) against a bare
 * Hono endpoint that inserts one row into the same database, same load, same process.
 * Goal: the full pipeline keeps at least half the bare insert's throughput.
 *
 * Env: BENCH_DATABASE_URL (admin connection), BENCH_DURATION (s per side per round, 10),
 * BENCH_WARMUP (s per side, once, 3), BENCH_CONNECTIONS (20), BENCH_ROUNDS (3), BENCH_POOL
 * (postgres.js pool size, 10 = the app's default), BENCH_PROTOTYPE=1 to measure a third side, the
 * one-statement prototype of ./one-statement.ts (evidence for the advice in RESULTS.md),
 * BENCH_NO_WRITE=1 to skip RESULTS.md.
 */
import { sql } from "drizzle-orm";
import { realNameReport } from "../../test/helpers/reports";
import { createBenchDb, dropOnExit, openMigrated, rawClient } from "../lib/db";
import { type LoadResult, runLoad } from "../lib/load";
import { describeMachine, machineFacts } from "../lib/machine";
import { commandLine, median, today, writeSection } from "../lib/results";
import { createBenchRig } from "../lib/rig";
import { serveOnLoopback } from "../lib/serve";
import { bareApp, createBareTable } from "./bare";
import { oneStatementApp } from "./one-statement";

const num = (name: string, def: number) => Number(process.env[name] ?? def);
const DURATION = num("BENCH_DURATION", 10);
const WARMUP = num("BENCH_WARMUP", 3);
const CONNECTIONS = num("BENCH_CONNECTIONS", 20);
const ROUNDS = num("BENCH_ROUNDS", 3);
const POOL = num("BENCH_POOL", 10);
const PROTOTYPE = process.env.BENCH_PROTOTYPE === "1";
const GOAL = 0.5;
const ENV_NAMES = [
  "BENCH_DURATION",
  "BENCH_WARMUP",
  "BENCH_CONNECTIONS",
  "BENCH_ROUNDS",
  "BENCH_POOL",
  "BENCH_PROTOTYPE",
];

type Side = "bare" | "full" | "proto";
const SIDES: Side[] = PROTOTYPE ? ["bare", "full", "proto"] : ["bare", "full"];

const fmt = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;

function check(side: Side, r: LoadResult): void {
  if (r.non2xx || r.errors || r.timeouts || r.ok === 0) {
    throw new Error(`${side}: ${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
}

async function main(): Promise<void> {
  const bdb = await createBenchDb();
  dropOnExit(bdb);
  try {
    const machine = await machineFacts(bdb.url);
    const handle = await openMigrated(bdb.url, POOL);
    try {
      const rig = await createBenchRig(handle, bdb.url);
      await createBareTable(handle.db);
      const full = await serveOnLoopback(rig.app.fetch);
      const bare = await serveOnLoopback(bareApp(handle.db).fetch);
      const proto = await serveOnLoopback(oneStatementApp(rig.deps, rawClient(handle)).fetch);
      const urls: Record<Side, string> = {
        full: `${full.url}/api/v1/reports`,
        bare: `${bare.url}/api/v1/reports`,
        proto: `${proto.url}/api/v1/reports`,
      };
      const body = realNameReport();
      // Process CPU (server + the autocannon thread) per successful request: a diagnostic beside
      // the throughput, since on this 2-core machine Node and PostgreSQL share the cores.
      const cpuMs = Object.fromEntries(SIDES.map((s) => [s, [] as number[]])) as Record<Side, number[]>;
      const load = async (side: Side, seconds: number, tag: string) => {
        const c0 = process.cpuUsage();
        const r = await runLoad({
          url: urls[side],
          connections: CONNECTIONS,
          duration: seconds,
          body,
          uniqueField: "title",
          tag,
        });
        const c = process.cpuUsage(c0);
        cpuMs[side].push((c.user + c.system) / 1000 / Math.max(1, r.ok));
        return r;
      };

      console.log(
        `intake: ${CONNECTIONS} connections, ${WARMUP} s warm-up per side, ${ROUNDS} rounds × ${DURATION} s per side, pool ${POOL}`,
      );
      for (const side of SIDES) check(side, await load(side, WARMUP, `w${side}`));

      const rounds: (Record<Side, LoadResult> & { ratio: number; protoRatio: number; order: Side[] })[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        // Rotate the order (a Latin square over the rounds), so drift on a shared machine favours no side.
        const order = SIDES.map((_, k) => SIDES[(k + i) % SIDES.length]);
        const got = {} as Record<Side, LoadResult>;
        for (const side of order) {
          got[side] = await load(side, DURATION, `r${i}${side}`);
          check(side, got[side]);
        }
        const ratio = got.full.rps / got.bare.rps;
        const protoRatio = PROTOTYPE ? got.proto.rps / got.bare.rps : Number.NaN;
        rounds.push({ ...got, ratio, protoRatio, order });
        console.log(
          `round ${i + 1}: bare ${fmt(got.bare)} | full ${fmt(got.full)} | ratio ${ratio.toFixed(3)}${PROTOTYPE ? ` | prototype ${fmt(got.proto)} | ratio ${protoRatio.toFixed(3)}` : ""}`,
        );
      }
      await full.close();
      await bare.close();
      await proto.close();

      // The pipeline really did all its writes: one case, one sealed identity, one event per 201.
      const [counts] = await handle.db.execute<{
        cases: number;
        sealed: number;
        events: number;
        clocks: number;
      }>(
        sql`select (select count(*) from cases)::int as cases, (select count(*) from sealed_identities)::int as sealed,
                   (select count(*) from case_events)::int as events, (select count(*) from case_clocks)::int as clocks`,
      );
      const fullOk = rounds.reduce((n, r) => n + r.full.ok + (PROTOTYPE ? r.proto.ok : 0), 0);
      if (
        counts.cases < fullOk ||
        counts.sealed !== counts.cases ||
        counts.events !== counts.cases ||
        counts.clocks !== counts.cases
      ) {
        throw new Error(
          `row counts do not match the 201s: ${JSON.stringify(counts)}, ${fullOk} measured 201s`,
        );
      }

      const ratio = median(rounds.map((r) => r.ratio));
      const med = (side: Side, k: "rps" | "p50" | "p99") => median(rounds.map((r) => r[side][k]));
      const protoRatio = median(rounds.map((r) => r.protoRatio));
      const met = ratio >= GOAL;
      const summary = `intake: full pipeline / bare insert throughput = ${ratio.toFixed(2)} (median of ${ROUNDS}; goal ≥ ${GOAL}: ${met ? "met" : "MISSED"}); full ${med("full", "rps").toFixed(0)} req/s p50 ${med("full", "p50")} ms p99 ${med("full", "p99")} ms; bare ${med("bare", "rps").toFixed(0)} req/s p50 ${med("bare", "p50")} ms p99 ${med("bare", "p99")} ms`;

      if (!process.env.BENCH_NO_WRITE) {
        const names: Record<Side, string> = { bare: "bare", full: "full", proto: "prototype" };
        const cells = (r: Record<Side, LoadResult>, s: Side) =>
          `${r[s].rps.toFixed(0)} | ${r[s].p50} / ${r[s].p99}`;
        const medCells = (s: Side) =>
          `**${med(s, "rps").toFixed(0)}** | **${med(s, "p50")} / ${med(s, "p99")}**`;
        const table = [
          `| round | order | bare req/s | bare p50 / p99 ms | full req/s | full p50 / p99 ms | full / bare |${PROTOTYPE ? " prototype req/s | prototype p50 / p99 ms | prototype / bare |" : ""}`,
          `|---|---|---|---|---|---|---|${PROTOTYPE ? "---|---|---|" : ""}`,
          ...rounds.map(
            (r, i) =>
              `| ${i + 1} | ${r.order.map((s) => names[s]).join(" → ")} | ${cells(r, "bare")} | ${cells(r, "full")} | ${r.ratio.toFixed(3)} |${PROTOTYPE ? ` ${cells(r, "proto")} | ${r.protoRatio.toFixed(3)} |` : ""}`,
          ),
          `| **median** | | ${medCells("bare")} | ${medCells("full")} | **${ratio.toFixed(3)}** |${PROTOTYPE ? ` ${medCells("proto")} | **${protoRatio.toFixed(3)}** |` : ""}`,
        ].join("\n");
        const file = writeSection(
          "intake",
          `Date: ${today()}
Command: \`${commandLine("bench:intake", ENV_NAMES)}\`
Machine: ${describeMachine(machine)}

Goal: the full pipeline (\`POST /api/v1/reports\`: validate → redact → seal with libsodium → route →
one prepared statement inserting the case, the sealed identity, the hash-chained \`received\` event and
the intake clock) keeps at least half the throughput of a bare Hono endpoint that validates
nothing and inserts one row into the same database. **${met ? "Met" : "Missed"}: ${ratio.toFixed(2)}.**

Setup: both apps served by @hono/node-server on 127.0.0.1 in one process, sharing one postgres.js
pool of ${POOL}; autocannon in a worker thread of the same process, ${CONNECTIONS} connections, the same
real-name report JSON with a unique title per request; CAPTCHA and rate limits off, keys in memory,
pino at info into /dev/null; ${WARMUP} s warm-up per side, then ${ROUNDS} rounds of ${DURATION} s per side back
to back, the order rotating each round. The ratio is the median of the per-round ratios.${
            PROTOTYPE
              ? `
"prototype" (BENCH_PROTOTYPE=1) is bench/intake/one-statement.ts: the same work with every write
folded into one prepared INSERT statement, written before the product did the same; it is kept as a yardstick.`
              : ""
          }

${table}

Node process CPU per request (server + load generator, median over rounds): ${SIDES.map((s) => `${names[s]} ${median(cpuMs[s].slice(1)).toFixed(2)} ms`).join(", ")}.`,
        );
        console.log(`wrote ${file}`);
      }
      console.log(
        PROTOTYPE ? `${summary}; one-statement prototype / bare = ${protoRatio.toFixed(2)}` : summary,
      );
    } finally {
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
