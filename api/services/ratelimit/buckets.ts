/**
 * Rate-limit buckets and their defaults. Every bucket counts hits per source (a keyed hash of
 * the client address, or of a username for `staff-login-user`) in a fixed window.
 *
 * | bucket             | default            | counts                                                       |
 * |--------------------|--------------------|--------------------------------------------------------------|
 * | `reports`          | 20 per hour        | every report submission (API and page form)                   |
 * | `reports-nojs`     | 5 per hour         | submissions that carry the no-JavaScript captcha token        |
 * | `track`            | 30 per 10 minutes  | tracking lookups (API and page form)                          |
 * | `track-miss`       | 5 free per day     | lookups of unknown codes; past 5, each further miss blocks    |
 * |                    |                    | the source for 30 s, 60 s, 120 s … up to 1 hour               |
 * | `messages`         | 10 per hour        | reporter messages (POST /track/messages)                      |
 * | `staff-login`      | 20 per 15 minutes  | staff login attempts per source, counted before the password |
 * |                    |                    | check (the per-username guard is the back-off in              |
 * |                    |                    | services/staff/backoff.ts, LOGIN_BACKOFF_*)                   |
 * | `staff-login-user` | 5 per 15 minutes   | no longer counted (replaced by the back-off); kept so an      |
 * |                    |                    | existing RATE_LIMIT_BUCKETS setting still parses              |
 * | `identity-unseal`  | 10 per 15 minutes  | identity unseal attempts per custodian, counted before the    |
 * |                    |                    | vault passphrase is tried                                     |
 * | `identity-unseal-source` | 20 per 15 min | identity unseal attempts per source, likewise                |
 * | `identity-approve` | 5 per 15 minutes   | wrong vault passphrases when approving an identity request,   |
 * |                    |                    | per custodian (counted by services/identity/decide.ts)        |
 *
 * Many citizens can share one address (carrier-grade NAT is common on mobile networks), so the
 * per-source limits are generous for a person and tight for a script. Override with
 * RATE_LIMIT_BUCKETS="reports=10/3600,track=60/600" (limit/seconds).
 */
export interface BucketDef {
  limit: number;
  windowSeconds: number;
  /** Progressive blocking past the limit: base * 2^(n-1) seconds for the n-th hit over it, capped. */
  penalty?: { baseSeconds: number; maxSeconds: number };
}

export const DEFAULT_BUCKETS: Record<string, BucketDef> = {
  reports: { limit: 20, windowSeconds: 3600 },
  "reports-nojs": { limit: 5, windowSeconds: 3600 },
  track: { limit: 30, windowSeconds: 600 },
  "track-miss": { limit: 5, windowSeconds: 86_400, penalty: { baseSeconds: 30, maxSeconds: 3600 } },
  messages: { limit: 10, windowSeconds: 3600 },
  "staff-login": { limit: 20, windowSeconds: 900 },
  "staff-login-user": { limit: 5, windowSeconds: 900 },
  "identity-unseal": { limit: 10, windowSeconds: 900 },
  "identity-unseal-source": { limit: 20, windowSeconds: 900 },
  "identity-approve": { limit: 5, windowSeconds: 900 },
};

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
