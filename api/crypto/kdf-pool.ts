import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { Problem } from "../errors";

/**
 * Argon2id off the main thread. libsodium's WASM Argon2id blocks the thread it runs on (about
 * 115 ms for a staff password at INTERACTIVE cost, 0.8 s for a vault passphrase at MODERATE), so
 * every password hash, password check and vault key derivation of the running app goes to this
 * small worker-thread pool (piscina) and the event loop keeps serving citizens meanwhile.
 *
 * - At most `maxThreads` Argon2id run at once (each holds its memory cost, 64 MiB for a
 *   password, 256 MiB for the vault), so memory stays bounded.
 * - At most `maxQueue` tasks wait; past that, the caller gets 503 with Retry-After (`kdfBusy`)
 *   instead of a queue that grows without bound.
 * - Threads start on the first task (a rig that never logs in starts none); idle ones are unref'd
 *   and do not keep the process alive, and end after `idleTimeout` (none is kept: their
 *   WebAssembly memory goes with them). One pool per process, made with the runtime and closed
 *   with it (api/deps.ts, for the runtime, the CLI and the test rig).
 */
export interface KdfPool {
  hashPassword(password: string, limits: { opslimit: number; memlimit: number }): Promise<string>;
  /** False for a wrong password and for a malformed hash. */
  verifyPassword(hash: string, password: string): Promise<boolean>;
  /** Argon2id13 key derivation (crypto_pwhash), as the vault wraps its private key. */
  deriveKey(args: {
    bytes: number;
    passphrase: string;
    salt: Uint8Array;
    opslimit: number;
    memlimit: number;
  }): Promise<Uint8Array>;
  /** Tasks completed in worker threads so far, threads running, tasks waiting. */
  stats(): { completed: number; threads: number; queued: number };
  /** True while the queue is full: a task now would be refused with 503 (`kdfBusy`). */
  saturated(): boolean;
  close(): Promise<void>;
}

export interface KdfPoolOptions {
  /** Argon2id running at once (default: 2, or 1 on a machine with at most 2 CPUs). */
  maxThreads?: number;
  /** Tasks waiting for a thread before new ones are refused (default 16). */
  maxQueue?: number;
  /** Linux nice value of the worker threads (default 10: the event loop wins the CPU; 0 = normal). */
  nice?: number;
}

export const kdfBusy = (retryAfterSeconds = 2) =>
  new Problem(503, "busy", {
    detail: ["kdf.busy", { retryAfterSeconds }],
    headers: { "Retry-After": String(retryAfterSeconds) },
  });

export function defaultKdfThreads(): number {
  return Math.max(1, Math.min(2, os.availableParallelism() - 1));
}

const WORKER_FILE = "kdf-worker.mjs";

/**
 * Where kdf-worker.mjs is. From source it sits next to this module (api/crypto/). In the Astro
 * build this module is bundled into dist/server/chunks/…, and the worker is not part of the
 * bundle: it is found by walking up to the project folder (dist/server/kdf-worker.mjs if a build
 * step copied it there, else api/crypto/kdf-worker.mjs of the checkout the build was made in).
 */
export function kdfWorkerFile(from: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    for (const candidate of [path.join(dir, WORKER_FILE), path.join(dir, "api", "crypto", WORKER_FILE)]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`${WORKER_FILE} not found above ${fileURLToPath(from)}`);
    dir = up;
  }
}

export function createKdfPool(opts: KdfPoolOptions = {}): KdfPool {
  const maxThreads = opts.maxThreads ?? defaultKdfThreads();
  const maxQueue = opts.maxQueue ?? 16;
  let pool: Piscina | undefined;
  let closed = false;

  const get = (): Piscina => {
    if (closed) throw new Error("kdf pool is closed");
    pool ??= new Piscina({
      filename: pathToFileURL(kdfWorkerFile()).href,
      // No thread kept idle: each holds its libsodium WebAssembly memory (64 MiB after a password
      // hash, 256 MiB after a vault derivation), which never shrinks while the thread lives.
      minThreads: 0,
      maxThreads,
      maxQueue,
      idleTimeout: 60_000,
      workerData: { nice: opts.nice ?? 10 },
      // Argon2id is CPU-bound and memory-hungry: one task per thread.
      concurrentTasksPerWorker: 1,
    });
    return pool;
  };

  const run = async <T>(task: Record<string, unknown>): Promise<T> => {
    const p = get();
    // Piscina rejects at once when its queue is at maxQueue; check first so the answer is ours.
    if (p.queueSize >= maxQueue) throw kdfBusy();
    try {
      return (await p.run(task)) as T;
    } catch (e) {
      if (e instanceof Error && /queue is at limit/i.test(e.message)) throw kdfBusy();
      throw e;
    }
  };

  return {
    hashPassword: (password, limits) =>
      run<string>({ op: "hash", password, opslimit: limits.opslimit, memlimit: limits.memlimit }),
    verifyPassword: (hash, password) => run<boolean>({ op: "verify", hash, password }),
    deriveKey: (a) =>
      run<Uint8Array>({
        op: "derive",
        bytes: a.bytes,
        passphrase: a.passphrase,
        salt: a.salt,
        opslimit: a.opslimit,
        memlimit: a.memlimit,
      }),
    saturated: () => (pool?.queueSize ?? 0) >= maxQueue,
    stats: () => ({
      completed: pool?.completed ?? 0,
      threads: pool?.threads.length ?? 0,
      queued: pool?.queueSize ?? 0,
    }),
    async close() {
      closed = true;
      const p = pool;
      pool = undefined;
      await p?.destroy();
    },
  };
}
