import type { Context, MiddlewareHandler } from "hono";
import { problems } from "../errors";
import { clientSource } from "./client-source";
import type { AppEnv } from "./env";

/** Counts one hit of `bucket` for the request's source; 429 problem+json with Retry-After when over. */
export async function enforceLimit(c: Context<AppEnv>, bucket: string, weight = 1): Promise<void> {
  const r = await c.get("deps").rateLimiter.hit(bucket, clientSource(c), weight);
  if (!r.ok) throw problems.throttled(r.retryAfter);
}

export function rateLimit(bucket: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await enforceLimit(c, bucket);
    await next();
  };
}

/**
 * Tracking-code misses. Before the lookup: refuse a source that is serving a miss penalty. After
 * it: a 404 (unknown code) counts as a miss; past the free misses each one blocks the source for
 * longer (services/ratelimit/buckets.ts), so guessing codes from one place slows to a crawl.
 */
export function trackMisses(bucket = "track-miss"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await enforceLimit(c, bucket, 0);
    await next();
    if (c.res.status === 404) await c.get("deps").rateLimiter.hit(bucket, clientSource(c), 1);
  };
}
