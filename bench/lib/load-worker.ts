import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";
import type { LoadOptions, LoadResult } from "./load";

const opts = workerData as LoadOptions;
let n = 0;
const base = opts.uniqueField ? String(opts.body[opts.uniqueField] ?? "") : "";

const bodyOf = (): string =>
  JSON.stringify(
    opts.uniqueField ? { ...opts.body, [opts.uniqueField]: `${base}（${opts.tag}-${++n}）` } : opts.body,
  );

autocannon(
  {
    url: opts.url,
    connections: opts.connections,
    duration: opts.duration,
    method: "POST",
    headers: { "content-type": "application/json", ...opts.headers },
    requests: [
      {
        // A unique title per request, as real submissions have: nothing can be served from a cache.
        setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodyOf() }),
      },
    ],
  },
  (err: Error | null, raw: autocannon.Result) => {
    if (err) {
      parentPort!.postMessage({ ok: false, error: String(err) });
      return;
    }
    // Off the main thread autocannon hands back its raw histograms; aggregate them as it would.
    const r = raw.latency
      ? raw
      : autocannon.aggregateResult([raw], { url: opts.url, connections: opts.connections });
    const ok = r["2xx"];
    const result: LoadResult = {
      rps: ok / r.duration,
      p50: r.latency.p50,
      p99: r.latency.p99,
      ok,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      seconds: r.duration,
    };
    parentPort!.postMessage({ ok: true, result });
  },
);
