import { lte } from "drizzle-orm";
import { idempotencyKeys } from "../../../db/schema/index";
import type { Ctx, VerbArgs } from "../../context";

/** Records at or before this instant are past their window (config IDEMPOTENCY_HOURS). */
export function idempotencyCutoff(ctx: Ctx): Date {
  return new Date(ctx.deps.now().getTime() - ctx.deps.config.idempotencyHours * 3_600_000);
}

/**
 * Deletes the idempotency records past their window. A record holds the sealed first answer
 * (with its tracking code) under a key derived from the client's Idempotency-Key: kept longer
 * than a retry needs, it is only something more to protect.
 */
export async function purgeIdempotency({ ctx }: VerbArgs<Record<string, never>>): Promise<number> {
  const gone = await ctx.deps.db
    .delete(idempotencyKeys)
    .where(lte(idempotencyKeys.createdAt, idempotencyCutoff(ctx)))
    .returning({ k: idempotencyKeys.keyHash });
  return gone.length;
}

const PURGE_EVERY_MS = 10 * 60_000;
const lastPurge = new WeakMap<object, number>();

/**
 * Starts a purge at most once every ten minutes per process (per deps), without holding up the
 * request that triggers it; a failure is logged by name only and retried next time.
 */
export function purgeIdempotencyLater(ctx: Ctx): void {
  const t = ctx.deps.now().getTime();
  const last = lastPurge.get(ctx.deps) ?? Number.NEGATIVE_INFINITY;
  if (t - last < PURGE_EVERY_MS) return;
  lastPurge.set(ctx.deps, t);
  purgeIdempotency({ ctx, input: {} }).catch((e: unknown) => {
    ctx.deps.log.warn({ err: { name: (e as Error)?.name } }, "idempotency purge failed");
  });
}
