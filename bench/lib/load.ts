import { Worker } from "node:worker_threads";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** JSON body sent with every request; `uniqueField` (a top-level string) gets a per-request suffix. */
  body: Record<string, unknown>;
  uniqueField?: string;
  /** Distinguishes the bodies of one load run from another's. */
  tag: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Successful (2xx) responses per second over the whole run. */
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

/**
 * Runs autocannon in a worker thread, so the load generator has its own event loop and does not
 * queue behind the server it measures (which runs on the main thread of the same process).
 */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./load-worker.ts", import.meta.url), { workerData: opts });
    let done = false;
    w.once("message", (m: { ok: true; result: LoadResult } | { ok: false; error: string }) => {
      done = true;
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
    });
    w.once("error", reject);
    w.once("exit", (code) => {
      if (!done) reject(new Error(`load worker exited with ${code}`));
    });
  });
}
