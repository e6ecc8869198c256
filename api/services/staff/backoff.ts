import { eq, lt, sql } from "drizzle-orm";
import { loginBackoff } from "../../../db/schema/index";
import type { Deps } from "../../context";
import { keyedHash } from "../../crypto/keyed-hash";
import { problems } from "../../errors";

/**
 * Per-username back-off for password checks (staff login, and the password the account page asks
 * for before TOTP changes). Not a lockout: after `free` failures each further attempt must wait
 * base·2^(n−free) seconds (1 s, 2 s, 4 s … capped at `maxSeconds`, 15 minutes by default) after
 * the previous one; an attempt inside the wait is refused with 429 and Retry-After *without* a
 * password check, and the right password after the wait succeeds and clears the counter.
 *
 * - Counted BEFORE the check: an attempt claims its slot with one conditional upsert, so parallel
 *   attempts cannot all slip past a check that has not seen their failures yet.
 * - Keyed by a keyed BLAKE2b of the normalised username under the server key (own purpose), so
 *   the table holds no username, and unknown usernames get exactly the same treatment as known
 *   ones (nothing to enumerate).
 * - A quiet day forgets the count (`FORGET_AFTER_MS`); such rows are deleted now and then
 *   (at most once a minute per process), so sprayed usernames do not pile up.
 * - Off with RATE_LIMITS=off (test rigs only), like every other throttle.
 */
export const BACKOFF_PURPOSE = "login-backoff";
const FORGET_AFTER_MS = 24 * 3_600_000;
// 2^30 s is far past any cap; keeps power() away from float overflow for a huge count.
const MAX_EXPONENT = 30;

const PURGE_EVERY_MS = 60_000;
let lastPurge = 0;

function maybePurge(deps: Deps, now: Date): void {
  if (now.getTime() - lastPurge < PURGE_EVERY_MS && now.getTime() >= lastPurge) return;
  lastPurge = now.getTime();
  void deps.db
    .delete(loginBackoff)
    .where(lt(loginBackoff.updatedAt, new Date(now.getTime() - FORGET_AFTER_MS)))
    .catch(() => {});
}

export function backoffKey(deps: Pick<Deps, "keys">, normalizedUsername: string): Uint8Array {
  return keyedHash(deps.keys.loginBackoff!, BACKOFF_PURPOSE, normalizedUsername);
}

/** Seconds to wait after the `failures`-th failure (0 while the failures are still free). */
export function backoffSeconds(failures: number, cfg: Deps["config"]["loginBackoff"]): number {
  if (failures < cfg.free) return 0;
  return Math.min(cfg.maxSeconds, cfg.baseSeconds * 2 ** Math.min(MAX_EXPONENT, failures - cfg.free));
}

/**
 * Claims one attempt for `username` (normalised), or throws 429 with Retry-After when the
 * username is inside its back-off. The attempt counts as a failure until `clearBackoff` says
 * it succeeded.
 */
export async function claimAttempt(deps: Deps, username: string): Promise<void> {
  if (!deps.config.rateLimits) return;
  const cfg = deps.config.loginBackoff;
  const now = deps.now();
  const key = backoffKey(deps, username);
  maybePurge(deps, now);
  const at = sql`${now.toISOString()}::timestamptz`;
  const stale = sql`${new Date(now.getTime() - FORGET_AFTER_MS).toISOString()}::timestamptz`;
  // The failure count this attempt makes: one more, or 1 again after a quiet day.
  const next = sql`(CASE WHEN ${loginBackoff.updatedAt} < ${stale} THEN 1 ELSE ${loginBackoff.failures} + 1 END)`;
  const firstBlock = backoffSeconds(1, cfg);
  const claimed = await deps.db
    .insert(loginBackoff)
    .values({
      key,
      failures: 1,
      blockedUntil: firstBlock > 0 ? new Date(now.getTime() + firstBlock * 1000) : null,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: loginBackoff.key,
      set: {
        failures: next,
        blockedUntil: sql`(CASE WHEN ${next} >= ${cfg.free}
          THEN ${at} + make_interval(secs => least(${cfg.maxSeconds}::float8,
            ${cfg.baseSeconds}::float8 * power(2::float8, least(${next} - ${cfg.free}, ${MAX_EXPONENT}))))
          ELSE NULL END)`,
        updatedAt: now,
      },
      setWhere: sql`${loginBackoff.blockedUntil} IS NULL OR ${loginBackoff.blockedUntil} <= ${at}`,
    })
    .returning({ failures: loginBackoff.failures });
  if (claimed.length > 0) return;
  const [row] = await deps.db
    .select({ blockedUntil: loginBackoff.blockedUntil })
    .from(loginBackoff)
    .where(eq(loginBackoff.key, key))
    .limit(1);
  const waitMs = (row?.blockedUntil?.getTime() ?? now.getTime()) - now.getTime();
  throw problems.throttled(Math.max(1, Math.ceil(waitMs / 1000)));
}

/** The right password: the username's count starts again from zero. */
export async function clearBackoff(deps: Deps, username: string): Promise<void> {
  if (!deps.config.rateLimits) return;
  await deps.db.delete(loginBackoff).where(eq(loginBackoff.key, backoffKey(deps, username)));
}
