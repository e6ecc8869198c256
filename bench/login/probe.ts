// The health probe of bench/login/run.ts, in its own process: GET /api/v1/healthz one after the
// other (a pause of `BENCH_PROBE_GAP_MS` between them) for `seconds`, and print the latencies.
import { performance } from "node:perf_hooks";

const origin = process.env.BENCH_ORIGIN ?? "";
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const gap = Number(process.env.BENCH_PROBE_GAP_MS ?? 20);

const latencies: number[] = [];
let failures = 0;
const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
  const t0 = performance.now();
  try {
    const res = await fetch(`${origin}/api/v1/healthz`);
    await res.arrayBuffer();
    if (res.ok) latencies.push(performance.now() - t0);
    else failures++;
  } catch {
    failures++;
  }
  await new Promise((r) => setTimeout(r, gap));
}
process.stdout.write(`${JSON.stringify({ latencies, failures })}\n`);
