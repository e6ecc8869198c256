// The load generator of bench/register/run.ts, in its own process: each query of BENCH_QUERIES
// (JSON [{ name, path, cookie }]) requested one after the other, BENCH_WARMUP times untimed and
// BENCH_REQUESTS times timed, by BENCH_CONCURRENCY clients at once; prints the latencies per query.
import { performance } from "node:perf_hooks";

const origin = process.env.BENCH_ORIGIN ?? "";
const queries = JSON.parse(process.env.BENCH_QUERIES ?? "[]") as {
  name: string;
  path: string;
  cookie: string;
}[];
const warmup = Number(process.env.BENCH_WARMUP ?? 10);
const requests = Number(process.env.BENCH_REQUESTS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
// A query this slow is reported from the requests it made in that time, not waited out.
const budgetMs = Number(process.env.BENCH_QUERY_SECONDS ?? 30) * 1000;

const out: Record<string, { latencies: number[]; failures: number; items: number }> = {};
for (const q of queries) {
  const r = { latencies: [] as number[], failures: 0, items: 0 };
  const once = async (timed: boolean) => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${origin}${q.path}`, { headers: { cookie: q.cookie } });
      const body = (await res.json()) as { items?: unknown[] };
      if (!res.ok) r.failures++;
      else if (timed) {
        r.latencies.push(performance.now() - t0);
        r.items = body.items?.length ?? 0;
      }
    } catch {
      r.failures++;
    }
  };
  for (let i = 0; i < warmup; i++) await once(false);
  let left = requests;
  const stop = Date.now() + budgetMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0 && Date.now() < stop) await once(true);
    }),
  );
  out[q.name] = r;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
