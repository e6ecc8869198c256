/**
 * npm run bench:intake — POST /api/v1/reports on the production server exactly as `npm run serve`
 * runs it (node scripts/start.mjs on the built dist/: the edge, the Hono app, PostgreSQL) against a
 * bare node:http + postgres.js server that inserts one row (./bare-server.ts). Each server and the
 * load generator (autocannon) run in a process of their own; the sides alternate within each
 * round, and the machine's load average is recorded beside every figure.
 * Goal: the production server keeps at least 0.4× the bare insert's throughput.
 *
 *   npm run build && npm run bench:intake
 *
 * Env: BENCH_DATABASE_URL (admin connection that creates and drops the database), BENCH_DURATION
 * (s per side per round, 5), BENCH_WARMUP (s per side, once, 2), BENCH_CONNECTIONS (20),
 * BENCH_ROUNDS (3), BENCH_POOL (postgres.js pool per process, 10 = the app's default),
 * BENCH_WORKERS (comma-separated process counts for the production server, `1`; `1,2,4` measures
 * the scale-out: WORKERS=N behind one port), BENCH_VIA_ASTRO=1 (adds the side "via-astro": the
 * same server with EDGE_API_VIA_ASTRO=1, every /api request through Astro's page pipeline and the
 * bridge, as before the edge: the lever's before/after in one run), BENCH_SAME_SUBJECT=1 (every
 * report about the same person, the worst case of repeat detection; by default each request names
 * another person), BENCH_NO_WRITE=1 (skip RESULTS.md).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { initKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { realNameReport } from "../../test/helpers/reports";
import { type BenchDb, createBenchDb, dropOnExit } from "../lib/db";
import { type LoadResult, runLoadProcess } from "../lib/load";
import { describeMachine, machineFacts, processTreeCpuMs } from "../lib/machine";
import { type ProductionServer, startProductionServer } from "../lib/production-server";
import { commandLine, median, today, writeSection } from "../lib/results";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const num = (name: string, def: number) => Number(process.env[name] ?? def);
const DURATION = num("BENCH_DURATION", 5);
const WARMUP = num("BENCH_WARMUP", 2);
const CONNECTIONS = num("BENCH_CONNECTIONS", 20);
const ROUNDS = num("BENCH_ROUNDS", 3);
const POOL = num("BENCH_POOL", 10);
const WORKERS = (process.env.BENCH_WORKERS ?? "1").split(",").map((s) => Number(s.trim()));
const VIA_ASTRO = process.env.BENCH_VIA_ASTRO === "1";
const SAME_SUBJECT = process.env.BENCH_SAME_SUBJECT === "1";
const GOAL = 0.4;
const ENV_NAMES = [
  "BENCH_DURATION",
  "BENCH_WARMUP",
  "BENCH_CONNECTIONS",
  "BENCH_ROUNDS",
  "BENCH_POOL",
  "BENCH_WORKERS",
  "BENCH_VIA_ASTRO",
  "BENCH_SAME_SUBJECT",
];

const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const fmt = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The bare server (./bare-server.ts) in its own process; resolves with its origin once it listens. */
function startBare(url: string): Promise<{ origin: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "bench/intake/bare-server.ts")],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_BARE_URL: url, BENCH_POOL: String(POOL) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    proc.stderr.on("data", (d) => {
      err += d;
    });
    proc.stdout.on("data", (d) => {
      out += d;
      const m = /\{"listening":(\d+)\}/.exec(out);
      if (m) resolve({ origin: `http://127.0.0.1:${m[1]}`, proc });
    });
    proc.once("exit", (code) => reject(new Error(`bare server exited with ${code}: ${err}`)));
  });
}

interface Side {
  name: string;
  origin: string;
  pid: number;
  stop(): Promise<void>;
}

function check(side: string, r: LoadResult): void {
  if (r.non2xx || r.errors || r.timeouts || r.ok === 0) {
    throw new Error(`${side}: ${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
}

async function main(): Promise<void> {
  const entry = path.join(ROOT, "dist/server/edge.mjs");
  if (!fs.existsSync(entry)) throw new Error("dist/server/edge.mjs is missing: run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-bench-intake-"));
  let db: BenchDb | undefined;
  const sides: Side[] = [];
  try {
    db = await createBenchDb("qf_bench_intake");
    dropOnExit(db);
    const machine = await machineFacts(db.url);
    const baseEnv: Record<string, string> = {
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      DEMO: "off",
      // No person solves a CAPTCHA under load and every request comes from one address: the
      // proof-of-work and the per-source limits are off, as in every intake bench before this one.
      CAPTCHA: "off",
      RATE_LIMITS: "off",
      TRACK_MIN_MS: "0",
      LOG_LEVEL: "info",
      MIGRATE: "auto",
    };
    // A PostgreSQL deployment gets its keys from `admin init`; the same function here.
    await initKeys(parseConfig({ ...process.env, ...baseEnv }));

    // The production servers, one after the other (the first migrates the database).
    const serveName = (n: number) => (n === 1 ? "serve" : `serve×${n}`);
    const start = async (name: string, env: Record<string, string>) => {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      const s: ProductionServer = await startProductionServer(ROOT, origin, {
        ...baseEnv,
        ...env,
        PORT: String(port),
      });
      sides.push({ name, origin, pid: s.process.pid!, stop: s.stop });
    };
    for (const n of WORKERS) await start(serveName(n), { WORKERS: String(n) });
    if (VIA_ASTRO) await start("via-astro", { EDGE_API_VIA_ASTRO: "1" });

    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    await admin`create table bench_rows (id bigint generated always as identity primary key, title text, payload jsonb not null, created_at timestamptz not null default now())`;
    const bare = await startBare(db.url);
    sides.unshift({
      name: "bare",
      origin: bare.origin,
      pid: bare.proc.pid!,
      stop: async () => {
        const gone = new Promise((r) => bare.proc.once("exit", r));
        bare.proc.kill("SIGTERM");
        await gone;
      },
    });

    const body = realNameReport();
    const load = (side: Side, seconds: number, tag: string) =>
      runLoadProcess({
        url: `${side.origin}/api/v1/reports`,
        connections: CONNECTIONS,
        duration: seconds,
        body,
        uniqueField: "title",
        varySubject: !SAME_SUBJECT,
        tag,
      });

    console.log(
      `intake: ${CONNECTIONS} connections, ${WARMUP} s warm-up per side, ${ROUNDS} rounds × ${DURATION} s per side, pool ${POOL} per process; sides ${sides.map((s) => s.name).join(", ")}`,
    );
    // Warm-up: the first requests of a fresh process are slow (JIT, pools); only failures count.
    for (const side of sides) {
      const w = await load(side, WARMUP, `w${side.name}`);
      if (w.non2xx || w.errors) check(side.name, w);
    }

    type Got = { r: LoadResult; load: string; cpu: number };
    const rounds: { order: string[]; got: Record<string, Got> }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Rotate the order each round, so drift on a shared machine favours no side.
      const order = sides.map((_, k) => sides[(k + i) % sides.length]);
      const got: Record<string, Got> = {};
      for (const side of order) {
        const before = loadavg();
        const c0 = processTreeCpuMs(side.pid);
        const r = await load(side, DURATION, `r${i}${side.name}`);
        const cpu = (processTreeCpuMs(side.pid) - c0) / Math.max(1, r.ok);
        check(side.name, r);
        got[side.name] = { r, load: before, cpu };
      }
      rounds.push({ order: order.map((s) => s.name), got });
      console.log(
        `round ${i + 1}: ${order.map((s) => `${s.name} ${fmt(got[s.name].r)}, ${got[s.name].cpu.toFixed(2)} CPU ms/req (load ${got[s.name].load})`).join(" | ")}`,
      );
    }

    // Every 201 of the production servers is a case with its sealed identity, its event, its clock.
    const [counts] = await admin<{ cases: number; sealed: number; events: number; rows: number }[]>`
      select (select count(*) from cases)::int as cases, (select count(*) from sealed_identities)::int as sealed,
             (select count(*) from case_events)::int as events, (select count(*) from bench_rows)::int as rows`;
    await admin.end();
    const okOf = (name: string) => rounds.reduce((n, r) => n + r.got[name].r.ok, 0);
    const serveOk = sides.filter((s) => s.name !== "bare").reduce((n, s) => n + okOf(s.name), 0);
    if (counts.cases < serveOk || counts.sealed !== counts.cases || counts.events !== counts.cases) {
      throw new Error(
        `row counts do not match the 201s: ${JSON.stringify(counts)}, ${serveOk} measured 201s`,
      );
    }
    if (counts.rows < okOf("bare")) throw new Error(`bare rows ${counts.rows} < ${okOf("bare")} 201s`);

    const others = sides.filter((s) => s.name !== "bare").map((s) => s.name);
    const ratio = (name: string) => median(rounds.map((r) => r.got[name].r.rps / r.got.bare.r.rps));
    const med = (name: string, k: "rps" | "p50" | "p99") => median(rounds.map((r) => r.got[name].r[k]));
    const cpuMed = (name: string) => median(rounds.map((r) => r.got[name].cpu));
    const headline = ratio("serve");
    const met = headline >= GOAL;
    const summary = `intake: npm run serve / bare insert = ${headline.toFixed(2)} (median of ${ROUNDS}; goal ≥ ${GOAL}: ${met ? "met" : "MISSED"}); ${others.map((n) => `${n} ${med(n, "rps").toFixed(0)} req/s (${ratio(n).toFixed(2)}×, ${cpuMed(n).toFixed(2)} CPU ms/req)`).join(", ")}; bare ${med("bare", "rps").toFixed(0)} req/s (${cpuMed("bare").toFixed(2)} CPU ms/req)`;

    if (!process.env.BENCH_NO_WRITE) {
      const names = ["bare", ...others];
      const table = [
        `| round | order | ${names.map((n) => `${n} req/s · p50/p99 ms · load`).join(" | ")} | ${others.map((n) => `${n} / bare`).join(" | ")} |`,
        `|---|---|${names.map(() => "---").join("|")}|${others.map(() => "---").join("|")}|`,
        ...rounds.map(
          (r, i) =>
            `| ${i + 1} | ${r.order.join(" → ")} | ${names.map((n) => `${r.got[n].r.rps.toFixed(0)} · ${r.got[n].r.p50}/${r.got[n].r.p99} · ${r.got[n].load}`).join(" | ")} | ${others.map((n) => (r.got[n].r.rps / r.got.bare.r.rps).toFixed(3)).join(" | ")} |`,
        ),
        `| **median** | | ${names.map((n) => `**${med(n, "rps").toFixed(0)}** · ${med(n, "p50")}/${med(n, "p99")}`).join(" | ")} | ${others.map((n) => `**${ratio(n).toFixed(3)}**`).join(" | ")} |`,
      ].join("\n");
      const file = writeSection(
        "intake",
        `Date: ${today()}
Command: \`npm run build && ${commandLine("bench:intake", ENV_NAMES)}\`
Machine: ${describeMachine(machine)}

Goal: \`POST /api/v1/reports\` through the production server as \`npm run serve\` runs it keeps at
least ${GOAL}× the throughput of a bare node:http + postgres.js server inserting one row into the
same PostgreSQL. **${met ? "Met" : "Missed"}: ${headline.toFixed(2)}.**

Setup: each server and the load generator in a process of its own. "serve" is \`node scripts/start.mjs\`
on the built \`dist/\` (the edge, api/http/edge-server.ts: /api straight to Hono; CAPTCHA=off,
RATE_LIMITS=off, pino at info into /dev/null), pool ${POOL}; "serve×N" the same with WORKERS=N (node:cluster, N
processes behind one port, a pool of ${POOL} each); "via-astro" the same server with EDGE_API_VIA_ASTRO=1
(/api through Astro's page pipeline and the bridge, as before the edge); "bare" is
bench/intake/bare-server.ts (node:http, JSON.parse, one INSERT … RETURNING, pool ${POOL}). autocannon with
${CONNECTIONS} connections posts the same real-name report JSON with a unique title per request${SAME_SUBJECT ? ", every one about the same person (BENCH_SAME_SUBJECT=1: each report a repeat of the 200 before it)" : " and, in the production server's case, a person reported drawn from some 60,000 names (so few reports are repeats of one another, as in real intake)"}. ${WARMUP} s warm-up
per side, then ${ROUNDS} rounds of ${DURATION} s per side, the order rotating each round; the ratio is the median of
the per-round ratios. "load" is /proc/loadavg (1/5/15 min) just before each figure: the machine is
shared with other engineers' runs, and the bench itself loads both cores.

${table}

Node CPU per successful request (user + system of the server's processes, median over rounds; the
figure a busy machine disturbs least): ${names.map((n) => `${n} ${cpuMed(n).toFixed(2)} ms`).join(", ")}.`,
      );
      console.log(`wrote ${file}`);
    }
    console.log(summary);
  } finally {
    for (const s of sides) await s.stop().catch(() => {});
    await db?.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
