import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { Config } from "../../config";
import type { CleanErrorCode } from "./clean-error";
import type { DetectedType } from "./detect";
import type { CleanAnswer, CleanTask } from "./worker";

/**
 * Every attachment is cleaned in a worker thread, never on the event loop: a hostile file can
 * cost one thread its limits, not the server its memory or its answers.
 *
 * - threads: CLEAN_WORKERS (default: the number of cores, at most 4), started on demand;
 * - memory: CLEAN_MEMORY_MB for the V8 heap (resourceLimits) and, separately, for MuPDF's
 *   WebAssembly memory (./memory-cap.ts), which resourceLimits does not cover;
 * - time: CLEAN_TIMEOUT_MS per file; past it the thread is terminated and replaced.
 * Over a limit the file is refused as `file.too_complex`; the pool carries on.
 */
export interface Cleaner {
  /** The clean copy of one file, or a CleanErrorCode. */
  clean(type: DetectedType, data: Uint8Array): Promise<CleanResult>;
  close(): Promise<void>;
}

export type CleanResult = { ok: true; data: Uint8Array; note?: string } | { ok: false; code: CleanErrorCode };

/**
 * The worker file: next to this module when it runs from source; in dist/server when it was
 * bundled into the built server (then this module is a chunk in dist/server/chunks/).
 */
export function workerFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.join(here, "clean-worker.mjs"),
    path.join(here, "..", "clean-worker.mjs"),
    path.join(here, "worker-entry.mjs"),
  ];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`cleaning worker not found next to ${here}`);
  return found;
}

export function createCleaner(config: Config): Cleaner {
  const threads = Math.max(1, Math.min(config.cleanWorkers, availableParallelism()));
  let pool: Piscina<CleanTask, CleanAnswer> | undefined;
  const getPool = () => {
    pool ??= new Piscina<CleanTask, CleanAnswer>({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 60_000,
      // Files wait their turn rather than pile up: MAX_FILES per report, a few reports at once.
      maxQueue: threads * 32,
      resourceLimits: {
        maxOldGenerationSizeMb: config.cleanMemoryMb,
        maxYoungGenerationSizeMb: Math.max(8, Math.floor(config.cleanMemoryMb / 8)),
        stackSizeMb: 4,
      },
      // The worker needs no environment (no secrets in a thread that parses hostile files).
      env: {},
    });
    return pool;
  };
  const runOnce = async (type: DetectedType, data: Uint8Array): Promise<CleanAnswer> => {
    const p = getPool();
    // The time limit runs from the moment the worker starts on the file (it says so on `port`),
    // not from the moment the file was queued: a file waiting behind others is not refused.
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    port1.once("message", () => {
      timer = setTimeout(() => abort.abort(), config.cleanTimeoutMs);
    });
    try {
      const answer = await p.run(
        {
          kind: type.kind,
          mediaType: type.mediaType,
          data,
          memoryMb: config.cleanMemoryMb,
          maxPixels: config.cleanMaxPixels,
          started: port2,
        },
        { signal: abort.signal, transferList: [port2] },
      );
      if (answer.recycle !== undefined) {
        // Its WebAssembly memory grew to the cap and is never given back: a fresh thread instead.
        await p.threads.find((w) => w.threadId === answer.recycle)?.terminate();
      }
      return answer;
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  };
  // libvips (sharp) memory is outside every per-thread cap: one image is decoded at a time in
  // this process, whatever the number of threads, so N reports of large photos cost one photo.
  let imageTurn: Promise<unknown> = Promise.resolve();
  const oneImageAtATime = <T>(run: () => Promise<T>): Promise<T> => {
    const mine = imageTurn.then(run, run);
    imageTurn = mine.catch(() => undefined);
    return mine;
  };
  return {
    clean(type, data) {
      return type.kind === "image" ? oneImageAtATime(() => cleanOne(type, data)) : cleanOne(type, data);
    },
    async close() {
      if (pool) await pool.destroy();
      pool = undefined;
    },
  };

  async function cleanOne(type: DetectedType, data: Uint8Array): Promise<CleanResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { recycle: _, ...result } = await runOnce(type, data);
        return result;
      } catch (e) {
        const err = e as { name?: string; code?: string; message?: string };
        // A thread recycled after someone else's file may have taken this task as it went:
        // that is not this file's doing, so it runs once more.
        const threadEnded = err.code === undefined && /worker exited|terminated/i.test(err.message ?? "");
        if (threadEnded && attempt === 0 && err.name !== "AbortError") continue;
        // Over the time limit (AbortError: piscina terminated the thread), over the heap
        // limit (ERR_WORKER_OUT_OF_MEMORY), or the thread died on this file.
        if (err.name === "AbortError" || err.code === "ERR_WORKER_OUT_OF_MEMORY" || threadEnded)
          return { ok: false, code: "file.too_complex" };
        throw e;
      }
    }
  }
}
