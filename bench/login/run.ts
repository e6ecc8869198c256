import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { initKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { freePort, pct, runChild } from "../lib/child";
import { type BenchDb, createBenchDb, dropOnExit } from "../lib/db";
import { describeMachine, machineFacts } from "../lib/machine";
import { type ProductionServer, startProductionServer } from "../lib/production-server";
import { commandLine, today, writeSection } from "../lib/results";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PGLITE = process.env.BENCH_PGLITE === "1";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Runs a bench script (tsx) in its own process and parses the JSON line it prints. */
const ms = (x: number) => x.toFixed(1);

interface Probe {
  latencies: number[];
  failures: number;
}
interface Load {
  attempts: number;
  statuses: Record<string, number>;
}

async function main(): Promise<void> {
  const entry = path.join(ROOT, "dist/server/entry.mjs");
  if (!fs.existsSync(entry)) throw new Error("dist/server/entry.mjs is missing: run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-bench-login-"));
  let db: BenchDb | undefined;
  let server: ProductionServer | undefined;
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      DEMO: "off",
      // The realistic case: limits on, one reverse proxy in front (it appends X-Forwarded-For).
      RATE_LIMITS: "on",
      TRUST_PROXY: "1",
      LOG_LEVEL: "info",
    };
    let dbLabel = "PGlite (embedded, in the server process)";
    if (!PGLITE) {
      db = await createBenchDb("qf_bench_login");
      dropOnExit(db);
      env.DATABASE_URL = db.url;
      dbLabel = describeMachine(await machineFacts(db.url));
      // A PostgreSQL deployment gets its keys from `admin init`; the same function here.
      await initKeys(parseConfig({ ...process.env, ...env }));
    }

    // Exactly what `npm run serve` runs.
    server = await startProductionServer(ROOT, origin, env);

    const childEnv = {
      BENCH_ORIGIN: origin,
      BENCH_SECONDS: String(SECONDS),
      BENCH_CONCURRENCY: String(CONCURRENCY),
    };
    // Warm-up: the worker threads, the dummy hash, the connection pool.
    await runChild<Load>(ROOT, "bench/login/load.ts", {
      ...childEnv,
      BENCH_SECONDS: "1",
      BENCH_CONCURRENCY: "2",
    });
    await runChild<Probe>(ROOT, "bench/login/probe.ts", { ...childEnv, BENCH_SECONDS: "1" });

    // Rounds of: healthz alone, then healthz while the logins run. Same server, same run.
    const baselines: Probe[] = [];
    const loadeds: Probe[] = [];
    const loads: Load[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselines.push(await runChild<Probe>(ROOT, "bench/login/probe.ts", childEnv));
      const [loaded, load] = await Promise.all([
        runChild<Probe>(ROOT, "bench/login/probe.ts", childEnv),
        runChild<Load>(ROOT, "bench/login/load.ts", childEnv),
      ]);
      loadeds.push(loaded);
      loads.push(load);
    }
    const all = (ps: Probe[]): Probe => ({
      latencies: ps.flatMap((p) => p.latencies),
      failures: ps.reduce((a, p) => a + p.failures, 0),
    });

    const row = (name: string, p: Probe) =>
      `| ${name} | ${p.latencies.length} | ${ms(pct(p.latencies, 50))} | ${ms(pct(p.latencies, 95))} | ${ms(Math.max(...p.latencies))} | ${p.failures} |`;
    const rows = baselines.flatMap((b, i) => [
      row(`round ${i + 1}: baseline (no load)`, b),
      row(`round ${i + 1}: with ${CONCURRENCY} login loops`, loadeds[i]),
    ]);
    const baseAll = all(baselines);
    const loadAll = all(loadeds);
    const p95 = pct(loadAll.latencies, 95);
    const totals: Record<string, number> = {};
    for (const l of loads) for (const [k, v] of Object.entries(l.statuses)) totals[k] = (totals[k] ?? 0) + v;
    const attempts = loads.reduce((a, l) => a + l.attempts, 0);
    const statuses = Object.entries(totals)
      .sort()
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ");
    const command = commandLine("bench:login", [
      "BENCH_ROUNDS",
      "BENCH_PGLITE",
      "BENCH_DATABASE_URL",
      "BENCH_SECONDS",
      "BENCH_CONCURRENCY",
    ]);
    const body = `Date: ${today()}
Command: \`npm run build && ${command}\`
Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}; database: ${dbLabel}

Goal: while ${CONCURRENCY} clients post wrong-password staff logins as fast as they can, \`GET /api/v1/healthz\`
keeps a p95 under 100 ms. **${p95 < 100 ? "Met" : "Missed"}: p95 ${ms(p95)} ms under load.**

Setup: the production server as \`npm run serve\` starts it (\`node scripts/start.mjs\`, built \`dist/\`),
RATE_LIMITS=on, TRUST_PROXY=1, default KDF pool (KDF_THREADS unset: ${Math.max(1, Math.min(2, os.availableParallelism() - 1))} thread(s) here, queue 16), pino at info;
the load generator and the probe each in their own process; ${ROUNDS} rounds of healthz alone for ${SECONDS} s, then
healthz while the load runs. The load: ${CONCURRENCY} loops for ${SECONDS} s, each
request a new unknown username (checked against the dummy hash at the staff Argon2id cost,
INTERACTIVE: 2 passes, 64 MiB) and a new X-Forwarded-For client address (a forged leftmost
entry, then the address the proxy appended), so neither the per-source limit nor the per-username
back-off refuses it before the password check: every attempt that is not turned away costs a
full Argon2id. The Argon2id worker threads run at nice 10 (api/crypto/kdf-worker.mjs), so the
event loop wins the CPU when they compete. The probe: one healthz after the other with a 20 ms pause.

| healthz | requests | p50 ms | p95 ms | max ms | failed |
|---|---|---|---|---|---|
${rows.join("\n")}
| **all rounds: baseline** | ${baseAll.latencies.length} | **${ms(pct(baseAll.latencies, 50))}** | **${ms(pct(baseAll.latencies, 95))}** | ${ms(Math.max(...baseAll.latencies))} | ${baseAll.failures} |
| **all rounds: with the login load** | ${loadAll.latencies.length} | **${ms(pct(loadAll.latencies, 50))}** | **${ms(p95)}** | ${ms(Math.max(...loadAll.latencies))} | ${loadAll.failures} |

Login answers during the load (all rounds): ${attempts} attempts (${statuses}); 401 = a full Argon2id
check in a worker thread, 503 = the pool's queue was full (answered at once with Retry-After),
429 = throttled.`;
    const file = writeSection("login", body);
    console.log(body);
    console.log(`\nwritten to ${file}`);
  } finally {
    await server?.stop();
    await db?.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
