import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  /** JSON body sent with every request; `uniqueField` (a top-level string) gets a per-request suffix. */
  body: Record<string, unknown>;
  uniqueField?: string;
  /**
   * Gives each request's `subject.name` one of some 60,000 two- and three-character names (the
   * same name comes back only that many requests later): the person reported differs from report
   * to report, as in a province's real intake, instead of every report being a repeat of the last
   * 200 (repeat detection, api/services/repeats).
   */
  varySubject?: boolean;
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

/**
 * Runs autocannon in a process of its own (`node --import tsx load-worker.ts`), so the load
 * generator shares neither event loop nor process with any server it measures.
 */
export function runLoadProcess(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("./load-worker.ts", import.meta.url))],
      {
        env: { ...process.env, BENCH_LOAD: JSON.stringify(opts) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.once("error", reject);
    p.once("exit", (code) => {
      try {
        const m = JSON.parse(out.trim().split("\n").pop() ?? "") as
          | { ok: true; result: LoadResult }
          | { ok: false; error: string };
        if (m.ok) resolve(m.result);
        else reject(new Error(m.error));
      } catch {
        reject(new Error(`load generator exited with ${code}: ${err}`));
      }
    });
  });
}
