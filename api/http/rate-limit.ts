import type { Context, MiddlewareHandler } from "hono";
import { problems } from "../errors";
import { limitAfter, limitBefore, type PolicyName } from "../services/ratelimit/policies";
import { clientSource } from "./client-source";
import type { AppEnv } from "./env";

/**
 * The API side of the one rate-limit table (services/ratelimit/policies.ts): a route names the
 * policy, keyed on the request's client source. 429 problem+json with Retry-After when over.
 */

/** Counts one hit of `policy` for the request's client (weight 0: asks without counting). */
export async function enforceLimit(c: Context<AppEnv>, policy: PolicyName, weight = 1): Promise<void> {
  const wait = await limitBefore(
    c.get("deps").rateLimiter,
    policy,
    weight === 0 ? "ask" : "count",
    clientSource(c),
  );
  if (wait !== undefined) throw problems.throttled(wait);
}

export function rateLimit(policy: PolicyName): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await enforceLimit(c, policy);
    await next();
  };
}

/**
 * Tracking-code misses (the `miss` use of a policy): before the lookup, refuse a client that is
 * serving a miss penalty; after it, a 404 (unknown code) counts as a miss.
 */
export function trackMisses(policy: PolicyName = "track-miss"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = c.get("deps").rateLimiter;
    const source = clientSource(c);
    const wait = await limitBefore(limiter, policy, "miss", source);
    if (wait !== undefined) throw problems.throttled(wait);
    await next();
    await limitAfter(limiter, policy, "miss", source, c.res.status);
  };
}
