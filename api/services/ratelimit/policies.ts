import type { RateLimiter } from "../../context";
import { isNoJsToken } from "../captcha/nojs";

/**
 * THE rate-limit table: what is limited, by which key, how much, and which page form posts pass
 * which limit. The Hono routes name a policy (`rateLimit("reports")`, api/http/rate-limit.ts),
 * the verbs that limit by something only they know name theirs (staff login, identity unseal and
 * approve), and the page edge (site/middleware/rate-limit.ts) reads PAGE_LIMITS below. A policy's
 * name is its bucket in the limiter (create.ts) and in RATE_LIMIT_BUCKETS overrides
 * ("reports=10/3600,track=60/600", limit/seconds: buckets.ts).
 *
 * Every policy counts hits per key in a fixed window; the limiter only ever sees a keyed hash
 * of the key. Many citizens can share one address (carrier-grade NAT is common on mobile
 * networks), so the per-client limits are generous for a person and tight for a script.
 */
export interface BucketDef {
  limit: number;
  windowSeconds: number;
  /** Progressive blocking past the limit: base * 2^(n-1) seconds for the n-th hit over it, capped. */
  penalty?: { baseSeconds: number; maxSeconds: number };
}

/**
 * Whose hits a policy counts: `client` is the request's client source (api/http/client-source.ts,
 * TRUST_PROXY honoured), `staff` the signed-in staff member, `username` the name typed at login.
 */
export type LimitKey = "client" | "staff" | "username";

export interface RatePolicy extends BucketDef {
  key: LimitKey;
}

export const POLICIES = {
  /** Every report submission (API and page form). */
  reports: { key: "client", limit: 20, windowSeconds: 3600 },
  /** Submissions that carry the no-JavaScript captcha token (services/captcha/nojs.ts), on top of `reports`. */
  "reports-nojs": { key: "client", limit: 5, windowSeconds: 3600 },
  /** Tracking lookups (API and page form). */
  track: { key: "client", limit: 30, windowSeconds: 600 },
  /**
   * Lookups of unknown codes: 5 free a day; past them each further miss blocks the client for
   * 30 s, 60 s, 120 s … up to an hour, so guessing codes from one place slows to a crawl.
   */
  "track-miss": {
    key: "client",
    limit: 5,
    windowSeconds: 86_400,
    penalty: { baseSeconds: 30, maxSeconds: 3600 },
  },
  /** Reporter messages (API, and the tracking page's message form). */
  messages: { key: "client", limit: 10, windowSeconds: 3600 },
  /**
   * Staff login attempts, counted by the login verb before the password check (services/staff/
   * login.ts); the page edge turns a client already over it away before reading anything else.
   * The per-username guard is the back-off (services/staff/backoff.ts, LOGIN_BACKOFF_*).
   */
  "staff-login": { key: "client", limit: 20, windowSeconds: 900 },
  /** No longer counted (replaced by the back-off); kept so an existing RATE_LIMIT_BUCKETS still parses. */
  "staff-login-user": { key: "username", limit: 5, windowSeconds: 900 },
  /** Identity unseal attempts per custodian, counted before the vault passphrase is tried. */
  "identity-unseal": { key: "staff", limit: 10, windowSeconds: 900 },
  /** Identity unseal attempts per client, likewise. */
  "identity-unseal-source": { key: "client", limit: 20, windowSeconds: 900 },
  /** Wrong vault passphrases when approving an identity request, per custodian (services/identity/decide.ts). */
  "identity-approve": { key: "staff", limit: 5, windowSeconds: 900 },
} as const satisfies Record<string, RatePolicy>;

export type PolicyName = keyof typeof POLICIES;

/**
 * How a request passes a policy:
 * - `count`: one hit; over the limit the request is refused (429) before any work;
 * - `ask`: refused when one more hit would be over the limit, counting nothing (the verb counts);
 * - `miss`: `ask` before the request; one hit after it when the answer is 404 (an unknown code).
 */
export type LimitUse = "count" | "ask" | "miss";

export interface PageLimit {
  policy: PolicyName;
  use: LimitUse;
  /**
   * Applies only when the posted form says so. Limits without `when` are checked before the
   * body is read, so a client over them is refused without its body being read at all.
   */
  when?: (form: FormData) => boolean;
}

/** Any no-JS token in the post puts it in the stricter policy, whichever value the page reads. */
const carriesNoJsCaptcha = (form: FormData) => form.getAll("captcha").some(isNoJsToken);

/** Page form posts (POST on these paths, with or without a trailing slash) and their limits, in order. */
export const PAGE_LIMITS: ReadonlyArray<{ paths: readonly string[]; limits: readonly PageLimit[] }> = [
  {
    paths: ["/report", "/en/report"],
    limits: [
      { policy: "reports", use: "count" },
      { policy: "reports-nojs", use: "count", when: carriesNoJsCaptcha },
    ],
  },
  {
    paths: ["/track", "/en/track"],
    limits: [
      { policy: "track", use: "count" },
      { policy: "track-miss", use: "miss" },
      { policy: "messages", use: "count", when: (form) => form.get("intent") === "message" },
    ],
  },
  { paths: ["/staff/login", "/en/staff/login"], limits: [{ policy: "staff-login", use: "ask" }] },
];

/** The limits of a page form post to `path` (none for other paths). */
export function pageLimits(path: string): readonly PageLimit[] {
  const p = path.replace(/\/+$/, "") || "/";
  return PAGE_LIMITS.find((e) => e.paths.includes(p))?.limits ?? [];
}

/** Before the request: seconds to wait when `key` is over `policy`, else undefined. */
export async function limitBefore(
  limiter: RateLimiter,
  policy: PolicyName,
  use: LimitUse,
  key: string,
): Promise<number | undefined> {
  const r = await limiter.hit(policy, key, use === "count" ? 1 : 0);
  return r.ok ? undefined : r.retryAfter;
}

/** After the request: a `miss` policy counts a 404 answer. */
export async function limitAfter(
  limiter: RateLimiter,
  policy: PolicyName,
  use: LimitUse,
  key: string,
  status: number,
): Promise<void> {
  if (use === "miss" && status === 404) await limiter.hit(policy, key, 1);
}
