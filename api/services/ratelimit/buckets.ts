/** The limits the limiter applies: the policy table's defaults (policies.ts), RATE_LIMIT_BUCKETS on top. */
import { type BucketDef, POLICIES } from "./policies";

export type { BucketDef };

/** Each policy's default limit (policies.ts): what RATE_LIMIT_BUCKETS overrides. */
export const DEFAULT_BUCKETS: Record<string, BucketDef> = Object.fromEntries(
  Object.entries(POLICIES).map(([name, p]: [string, BucketDef]) => [
    name,
    { limit: p.limit, windowSeconds: p.windowSeconds, ...(p.penalty ? { penalty: p.penalty } : {}) },
  ]),
);

export class BucketSpecError extends Error {}

/** Applies "name=limit/seconds,..." to the defaults. Unknown names and bad numbers are errors. */
export function parseBuckets(
  spec: string,
  base: Record<string, BucketDef> = DEFAULT_BUCKETS,
): Record<string, BucketDef> {
  const out: Record<string, BucketDef> = {};
  for (const [k, v] of Object.entries(base)) out[k] = { ...v };
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = part.match(/^([a-z-]+)=(\d+)\/(\d+)$/);
    if (!m) throw new BucketSpecError(`RATE_LIMIT_BUCKETS: "${part}" is not name=limit/seconds`);
    const [, name, limit, seconds] = m;
    if (!out[name]) throw new BucketSpecError(`RATE_LIMIT_BUCKETS: unknown bucket "${name}"`);
    if (Number(limit) < 1 || Number(seconds) < 1)
      throw new BucketSpecError(`RATE_LIMIT_BUCKETS: "${part}" must be positive`);
    out[name] = { ...out[name], limit: Number(limit), windowSeconds: Number(seconds) };
  }
  return out;
}
