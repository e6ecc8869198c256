import { asc, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { auditLog } from "../../../db/schema/index";
import { auditHash } from "../../crypto/audit-chain";

export interface NewAudit {
  actor: string;
  action: string;
  caseId?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
  at?: Date;
}

/**
 * One global chain needs one writer at a time: appends take this transaction-scoped advisory lock
 * (held until the caller's transaction ends), read the head, write the next row. Plain PostgreSQL,
 * so it works on PGlite too. The unique seq index turns any writer that skipped the lock into an
 * error instead of a fork.
 */
export const AUDIT_CHAIN_LOCK = 0x51_46_41_4c; // "QFAL"

type AuditRow = typeof auditLog.$inferInsert & {
  seq: number;
  at: Date;
  prevHash: Uint8Array | null;
  hash: Uint8Array;
};

/** The row that appends `e` after the head `last` (null: the chain's first row), with its hash. */
export function chainAudit(last: { seq: number; hash: Uint8Array } | null, e: NewAudit): AuditRow {
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? null;
  // Milliseconds: what a JS Date reads back, so the hash can be recomputed from the stored row.
  const at = new Date(Math.floor((e.at ?? new Date()).getTime()));
  const fields = {
    seq,
    at: at.toISOString(),
    actor: e.actor,
    action: e.action,
    caseId: e.caseId ?? null,
    reason: e.reason ?? null,
    data: e.data ?? {},
  };
  return {
    seq,
    at,
    actor: fields.actor,
    action: fields.action,
    caseId: fields.caseId,
    reason: fields.reason,
    data: fields.data,
    prevHash,
    hash: auditHash(prevHash, fields),
  };
}

async function head(tx: DbOrTx): Promise<{ seq: number; hash: Uint8Array } | null> {
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(isNotNull(auditLog.seq))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return last?.seq != null && last.hash ? { seq: last.seq, hash: last.hash } : null;
}

/**
 * Appends one row to the audit chain. The only way rows enter audit_log (the table refuses rows
 * without seq and hash, and any UPDATE or DELETE). Given the caller's transaction, it joins it (a
 * savepoint): the row commits or rolls back with the change it records.
 */
export async function appendAudit(db: DbOrTx, e: NewAudit): Promise<{ seq: number; hash: Uint8Array }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const row = chainAudit(await head(tx), e);
    await tx.insert(auditLog).values(row);
    return { seq: row.seq, hash: row.hash };
  });
}

/**
 * Chains the rows written before migration 0003 (no hash yet), in id order after the current
 * head; the append-only trigger allows exactly this update. Run by the migrate step as the owner;
 * a no-op (one index probe) once done. Returns how many rows it chained.
 */
export async function chainLegacyAuditRows(db: DbOrTx): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const rows = await tx.select().from(auditLog).where(isNull(auditLog.hash)).orderBy(asc(auditLog.id));
    let last = await head(tx);
    for (const r of rows) {
      const c = chainAudit(last, {
        actor: r.actor,
        action: r.action,
        caseId: r.caseId,
        reason: r.reason,
        data: r.data as Record<string, unknown>,
        at: r.at,
      });
      await tx
        .update(auditLog)
        .set({ seq: c.seq, prevHash: c.prevHash, hash: c.hash })
        .where(eq(auditLog.id, r.id));
      last = { seq: c.seq, hash: c.hash };
    }
    return rows.length;
  });
}
