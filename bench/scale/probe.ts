// The load generator of bench/scale/run.ts, in its own process: each request of BENCH_QUERIES
// (JSON [{ name, method, path, cookie?, body? }]) sent BENCH_WARMUP times untimed, then
// BENCH_REQUESTS times timed by BENCH_CONCURRENCY clients at once; prints latencies and answers.
import { performance } from "node:perf_hooks";

interface Query {
  name: string;
  method: "GET" | "POST";
  path: string;
  cookie?: string;
  body?: unknown;
  /** Requests for this one (claims use up the queue they measure). */
  requests?: number;
}

const origin = process.env.BENCH_ORIGIN ?? "";
const queries = JSON.parse(process.env.BENCH_QUERIES ?? "[]") as Query[];
const warmup = Number(process.env.BENCH_WARMUP ?? 10);
const requests = Number(process.env.BENCH_REQUESTS ?? 200);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
const budgetMs = Number(process.env.BENCH_QUERY_SECONDS ?? 30) * 1000;

let n = 0;
const out: Record<string, { latencies: number[]; failures: number; statuses: Record<string, number> }> = {};
for (const q of queries) {
  const r = { latencies: [] as number[], failures: 0, statuses: {} as Record<string, number> };
  const once = async (timed: boolean) => {
    // A report's title made unique, as real ones are (nothing served from a cache, no repeat).
    const body =
      q.body && typeof q.body === "object" && "title" in (q.body as object)
        ? { ...(q.body as object), title: `${(q.body as { title: string }).title}（${process.pid}-${++n}）` }
        : q.body;
    const t0 = performance.now();
    try {
      const res = await fetch(`${origin}${q.path}`, {
        method: q.method,
        headers: {
          ...(q.cookie ? { cookie: q.cookie } : {}),
          ...(q.method === "POST" ? { "content-type": "application/json", origin } : {}),
        },
        body: q.method === "POST" ? JSON.stringify(body ?? {}) : undefined,
      });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (res.status >= 400) r.failures++;
      else if (timed) {
        r.latencies.push(ms);
        r.statuses[res.status] = (r.statuses[res.status] ?? 0) + 1;
      }
    } catch {
      r.failures++;
    }
  };
  for (let i = 0; i < warmup; i++) await once(false);
  let left = q.requests ?? requests;
  const stop = Date.now() + budgetMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0 && Date.now() < stop) await once(true);
    }),
  );
  out[q.name] = r;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
