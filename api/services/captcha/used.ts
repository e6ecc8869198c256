import { lt } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { usedCaptchas } from "../../../db/schema/index";

/**
 * Single use across every app process: the first INSERT of a challenge's hash wins, any later
 * one (a replay, here or in another process on the same database) finds the row and loses.
 * used_captchas is UNLOGGED; a crash empties it, but by then the challenges it held are
 * mostly expired, and the few that are not can be used once more at worst.
 */
export async function claimOnce(db: Db, hash: Uint8Array, expiresAt: Date): Promise<boolean> {
  const rows = await db
    .insert(usedCaptchas)
    .values({ challengeHash: Buffer.from(hash), expiresAt })
    .onConflictDoNothing()
    .returning({ h: usedCaptchas.challengeHash });
  return rows.length === 1;
}

const PURGE_EVERY_MS = 10 * 60_000;

/** Deletes expired rows, at most once every ten minutes per process. */
export function purger(db: Db): (now: Date) => void {
  let last = 0;
  return (now) => {
    if (now.getTime() - last < PURGE_EVERY_MS) return;
    last = now.getTime();
    void db
      .delete(usedCaptchas)
      .where(lt(usedCaptchas.expiresAt, now))
      .catch(() => {});
  };
}
