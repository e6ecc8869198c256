import type { Db } from "../../../db/client";
import type { Config } from "../../config";
import type { RateLimiter } from "../../context";
import { keyedHash } from "../../crypto/keyed-hash";
import { sodiumSync } from "../../crypto/sodium";
import { type BucketDef, parseBuckets } from "./buckets";
import { PostgresStore } from "./pg-store";
import { type CounterStore, MemoryStore } from "./store";

export interface RateLimiterOptions {
  /** "postgres": counters shared through the database (several app processes); otherwise in memory. */
  dbKind?: "postgres" | "pglite";
  /** Mixed into the day key so that the database alone cannot test guessed addresses. */
  serverKey?: Uint8Array;
  now?: () => Date;
  buckets?: Record<string, BucketDef>;
  store?: CounterStore;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // UTC+8 all year: no daylight saving time

/** The Asia/Shanghai calendar day around `t`: the day key rotates at local midnight. */
export function shanghaiDay(t: number): { start: Date; end: Date } {
  const start = Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  return { start: new Date(start), end: new Date(start + DAY_MS) };
}

const PURGE_EVERY_MS = 60_000;

export interface PurgingRateLimiter extends RateLimiter {
  /** Settles when the purge a hit started in the background has run (a hit never waits for it). */
  purged(): Promise<void>;
}

/**
 * The rate limiter. A source (client address or username) is never kept: each hit is counted
 * under keyedHash(day key, bucket + source), and the day key is new every Asia/Shanghai day and
 * forgotten when it ends (memory: replaced; PostgreSQL: its row expires and is purged), so
 * yesterday's counters cannot be linked to anyone even by whoever holds the server key.
 *
 * `hit(bucket, source, weight)`: weight ≥ 1 counts and answers whether the source is still
 * within the limit; weight 0 counts nothing and answers whether one more hit would be allowed.
 */
export function createRateLimiter(config: Config, db: Db, opts: RateLimiterOptions = {}): PurgingRateLimiter {
  if (!config.rateLimits) return { hit: async () => ({ ok: true }), purged: async () => {} };
  const buckets = opts.buckets ?? parseBuckets(config.rateLimitBuckets);
  const dbKind = opts.dbKind ?? (config.embedded ? "pglite" : "postgres");
  const random = (n: number) => sodiumSync().randombytes_buf(n);
  const store =
    opts.store ?? (dbKind === "postgres" ? new PostgresStore(db, random) : new MemoryStore(random));
  const now = opts.now ?? (() => new Date());
  const pepper = opts.serverKey ?? new Uint8Array(32);
  let dayKey: { start: number; key: Uint8Array } | undefined;
  let lastPurge = 0;
  let purging: Promise<void> = Promise.resolve();

  async function keyFor(purpose: string, bucket: string, source: string, t: number): Promise<Uint8Array> {
    const day = shanghaiDay(t);
    if (dayKey?.start !== day.start.getTime()) {
      const secret = await store.daySecret(day.start, day.end);
      dayKey?.key.fill(0);
      dayKey = { start: day.start.getTime(), key: keyedHash(pepper, "ratelimit-day", secret) };
    }
    return keyedHash(dayKey.key, purpose, `${bucket}\n${source}`);
  }

  function maybePurge(t: number): void {
    if (t - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = t;
    purging = store.purge(new Date(t)).catch(() => {});
  }

  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    purged: () => purging,
    async hit(bucket, source, weight = 1) {
      const def = buckets[bucket];
      if (!def) throw new Error(`unknown rate-limit bucket ${bucket}`);
      const at = now();
      const t = at.getTime();
      maybePurge(t);

      if (def.penalty) {
        const day = shanghaiDay(t);
        const blockKey = await keyFor("ratelimit-block", bucket, source, t);
        const until = await store.blockedUntil(blockKey, day.start, at);
        if (until) return { ok: false, retryAfter: seconds(until.getTime() - t) };
        if (weight === 0) return { ok: true };
        const key = await keyFor("ratelimit", bucket, source, t);
        const hits = await store.add(key, day.start, weight, day.end);
        if (hits <= def.limit) return { ok: true };
        const over = hits - def.limit;
        const wait = Math.min(def.penalty.maxSeconds, def.penalty.baseSeconds * 2 ** Math.min(over - 1, 20));
        await store.block(blockKey, day.start, new Date(t + wait * 1000));
        return { ok: false, retryAfter: wait };
      }

      const windowMs = def.windowSeconds * 1000;
      const windowStart = new Date(Math.floor(t / windowMs) * windowMs);
      const windowEnd = windowStart.getTime() + windowMs;
      const key = await keyFor("ratelimit", bucket, source, t);
      const hits =
        weight === 0
          ? (await store.get(key, windowStart)) + 1
          : await store.add(key, windowStart, weight, new Date(windowEnd));
      return hits <= def.limit ? { ok: true } : { ok: false, retryAfter: seconds(windowEnd - t) };
    },
  };
}
