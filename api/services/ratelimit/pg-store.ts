import { and, eq, gt, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { rateLimitKeys } from "../../../db/schema/index";
import type { CounterStore } from "./store";

/**
 * Several app processes on one PostgreSQL: counters are upserts on the UNLOGGED
 * rate_limit_hits (key, window_start), so every process sees the same counts, a crash loses
 * only counts, and nothing of it reaches the WAL, replicas or base backups.
 *
 * The day's secret lives in the same table as one special row: its `key` column is a fixed
 * 16-byte marker followed by 32 random bytes, `window_start` the day's start and `expires_at`
 * the day's end, so the purge deletes it with the day's counters. The first process to need it
 * creates it under an advisory lock; the others read it. The limiter never uses the row's
 * bytes as the key itself: it hashes them with the server key, which is not in the database,
 * so reading the table alone does not let anyone test guessed addresses against the counters.
 */
const MARKER = Buffer.from("qingfeng:rl-day:", "ascii"); // 16 bytes
const MARKER_END = Buffer.from("qingfeng:rl-day;", "ascii"); // the next prefix up
const LOCK_ID = 0x71665f726c; // "qf_rl"

export class PostgresStore implements CounterStore {
  private day: { start: number; secret: Uint8Array } | undefined;

  constructor(
    private readonly db: Db,
    private readonly random: (n: number) => Uint8Array,
  ) {}

  async add(key: Uint8Array, windowStart: Date, weight: number, expiresAt: Date): Promise<number> {
    const [row] = await this.db
      .insert(rateLimitKeys)
      .values({ key: Buffer.from(key), windowStart, hits: weight, expiresAt })
      .onConflictDoUpdate({
        target: [rateLimitKeys.key, rateLimitKeys.windowStart],
        set: {
          hits: sql`${rateLimitKeys.hits} + excluded.hits`,
          expiresAt: sql`greatest(${rateLimitKeys.expiresAt}, excluded.expires_at)`,
        },
      })
      .returning({ hits: rateLimitKeys.hits });
    return row.hits;
  }

  async get(key: Uint8Array, windowStart: Date): Promise<number> {
    const [row] = await this.db
      .select({ hits: rateLimitKeys.hits })
      .from(rateLimitKeys)
      .where(and(eq(rateLimitKeys.key, Buffer.from(key)), eq(rateLimitKeys.windowStart, windowStart)))
      .limit(1);
    return row?.hits ?? 0;
  }

  async block(key: Uint8Array, windowStart: Date, until: Date): Promise<void> {
    await this.add(key, windowStart, 0, until);
  }

  async blockedUntil(key: Uint8Array, windowStart: Date, now: Date): Promise<Date | undefined> {
    const [row] = await this.db
      .select({ until: rateLimitKeys.expiresAt })
      .from(rateLimitKeys)
      .where(
        and(
          eq(rateLimitKeys.key, Buffer.from(key)),
          eq(rateLimitKeys.windowStart, windowStart),
          gt(rateLimitKeys.expiresAt, now),
        ),
      )
      .limit(1);
    return row?.until;
  }

  async daySecret(dayStart: Date, dayEnd: Date): Promise<Uint8Array> {
    if (this.day?.start === dayStart.getTime()) return this.day.secret;
    const secret = await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_ID})`);
      const found = await tx
        .select({ key: rateLimitKeys.key })
        .from(rateLimitKeys)
        .where(
          and(
            gte(rateLimitKeys.key, MARKER),
            lt(rateLimitKeys.key, MARKER_END),
            eq(rateLimitKeys.windowStart, dayStart),
          ),
        )
        .limit(1);
      if (found[0]) return new Uint8Array(found[0].key).slice(MARKER.length);
      const fresh = this.random(32);
      await tx
        .insert(rateLimitKeys)
        .values({ key: Buffer.concat([MARKER, fresh]), windowStart: dayStart, hits: 0, expiresAt: dayEnd });
      return fresh;
    });
    this.day?.secret.fill(0);
    this.day = { start: dayStart.getTime(), secret };
    return secret;
  }

  async purge(now: Date): Promise<void> {
    await this.db.delete(rateLimitKeys).where(lt(rateLimitKeys.expiresAt, now));
  }
}
