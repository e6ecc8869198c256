/**
 * npm run bench:memory — resident memory of the production server as `npm start` runs it on
 * PGlite (node scripts/start.mjs on the built dist/, a fresh DATA_DIR, no DATABASE_URL, the demo
 * data as a first start seeds it), in its own process: RSS from /proc/PID/status once it answers,
 * once its start-up work has settled, and after 1,000 reports filed through the API.
 * Goal: at most 400 MB RSS after start and after 1,000 reports.
 *
 * Env: BENCH_REPORTS (1000), BENCH_CONCURRENCY (4 reports in flight), BENCH_SETTLE (s to wait
 * for idle work to end — the KDF pool's idle threads end after 60 s — 70), BENCH_NO_WRITE=1 to
 * skip RESULTS.md. CAPTCHA=off and RATE_LIMITS=off in the server's environment, as bench/intake
 * runs (the bench files 1,000 reports from one address).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { realNameReport } from "../../test/helpers/reports";
import { freePort } from "../lib/child";
import { type ProductionServer, startProductionServer } from "../lib/production-server";
import { commandLine, today, writeSection } from "../lib/results";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const num = (name: string, def: number) => Number(process.env[name] ?? def);
const REPORTS = num("BENCH_REPORTS", 1000);
const CONCURRENCY = num("BENCH_CONCURRENCY", 4);
const SETTLE_S = num("BENCH_SETTLE", 70);
const GOAL_MB = 400;
const ENV_NAMES = ["BENCH_REPORTS", "BENCH_CONCURRENCY", "BENCH_SETTLE"];

interface Mem {
  rss: number;
  anon: number;
  file: number;
  hwm: number;
  threads: number;
}

/** VmRSS, RssAnon, RssFile, VmHWM (MB) and the thread count of `pid`, from /proc. */
function memOf(pid: number): Mem {
  const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? Number.NaN);
  return {
    rss: kb("VmRSS") / 1024,
    anon: kb("RssAnon") / 1024,
    file: kb("RssFile") / 1024,
    hwm: kb("VmHWM") / 1024,
    threads: kb("Threads"),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join("/");

async function fileReports(origin: string, n: number, concurrency: number): Promise<number> {
  let next = 0;
  let ok = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const res = await fetch(`${origin}/api/v1/reports`, {
          method: "POST",
          headers: { "content-type": "application/json", origin },
          body: JSON.stringify(realNameReport({ title: `反映某局长收受回扣问题（内存测试 ${i}）` })),
        });
        const text = await res.text();
        if (res.status === 201) ok++;
        else if (failures.length < 3) failures.push(`${res.status} ${text.slice(0, 200)}`);
      }
    }),
  );
  if (ok !== n) throw new Error(`${ok} of ${n} reports accepted: ${failures.join(" | ")}`);
  return ok;
}

async function main(): Promise<void> {
  const entry = path.join(ROOT, "dist/server/entry.mjs");
  if (!fs.existsSync(entry)) throw new Error("dist/server/entry.mjs is missing: run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-bench-memory-"));
  // PGlite, as `npm start` on a checkout runs it: no database URL reaches the server.
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_OWNER_URL;
  let server: ProductionServer | undefined;
  const limit = setTimeout(() => {
    console.error("bench:memory still running after 15 minutes: stopping");
    server?.stop().finally(() => process.exit(2));
  }, 15 * 60_000).unref();
  try {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      CAPTCHA: "off",
      RATE_LIMITS: "off",
      LOG_LEVEL: "warn",
    };
    const t0 = performance.now();
    server = await startProductionServer(ROOT, origin, env, 180_000);
    const pid = server.process.pid!;
    const startS = (performance.now() - t0) / 1000;
    await sleep(2000);
    const started = memOf(pid);
    console.log(
      `answering after ${startS.toFixed(1)} s: RSS ${started.rss.toFixed(0)} MB (load ${loadavg()})`,
    );
    await sleep(SETTLE_S * 1000);
    const settled = memOf(pid);
    console.log(`settled (${SETTLE_S} s): RSS ${settled.rss.toFixed(0)} MB`);
    const t1 = performance.now();
    await fileReports(origin, REPORTS, CONCURRENCY);
    const fileS = (performance.now() - t1) / 1000;
    const filed = memOf(pid);
    console.log(
      `${REPORTS} reports in ${fileS.toFixed(1)} s: RSS ${filed.rss.toFixed(0)} MB (load ${loadavg()})`,
    );
    await sleep(SETTLE_S * 1000);
    const after = memOf(pid);
    console.log(`settled again: RSS ${after.rss.toFixed(0)} MB, peak ${after.hwm.toFixed(0)} MB`);
    const load = loadavg();
    const met = settled.rss <= GOAL_MB && after.rss <= GOAL_MB;

    if (!process.env.BENCH_NO_WRITE) {
      const row = (label: string, m: Mem) =>
        `| ${label} | ${m.rss.toFixed(0)} | ${m.anon.toFixed(0)} | ${m.file.toFixed(0)} | ${m.hwm.toFixed(0)} | ${m.threads} |`;
      const file = writeSection(
        "memory",
        `Date: ${today()}
Command: \`npm run build && ${commandLine("bench:memory", ENV_NAMES)}\`
Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${load} at the end (machine shared with other helpers' builds and tests: timings are loose, memory figures are not)

Goal: \`npm start\` on PGlite at most ${GOAL_MB} MB RSS after start and after 1,000 reports. **${met ? "Met" : "Missed"}.**

Setup: the built server (node scripts/start.mjs, as \`npm run serve\`) in its own process on a fresh
DATA_DIR (PGlite; a first start: initdb, migrations, the province's offices, the demo staff and the
vault); CAPTCHA and rate limits off. RSS read from /proc/PID/status: 2 s after /api/v1/healthz first
answers; after ${SETTLE_S} s more (the KDF pool's idle threads end after 60 s); right after
${REPORTS} real-name reports filed through POST /api/v1/reports, ${CONCURRENCY} at a time (${fileS.toFixed(1)} s);
and ${SETTLE_S} s after that. Peak = VmHWM.

| when | RSS MB | anon MB | file MB | peak MB | threads |
|---|---|---|---|---|---|
${row("answering (start + 2 s)", started)}
${row(`after start, settled (+${SETTLE_S} s)`, settled)}
${row(`right after ${REPORTS} reports`, filed)}
${row(`${REPORTS} reports, settled (+${SETTLE_S} s)`, after)}`,
      );
      console.log(`wrote ${file}`);
    }
    console.log(
      `memory: RSS after start ${settled.rss.toFixed(0)} MB, after ${REPORTS} reports ${after.rss.toFixed(0)} MB (goal ≤ ${GOAL_MB}: ${met ? "met" : "MISSED"}), peak ${after.hwm.toFixed(0)} MB`,
    );
  } finally {
    clearTimeout(limit);
    await server?.stop();
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
