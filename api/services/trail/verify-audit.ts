import { and, asc, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { auditLog } from "../../../db/schema/index";
import { auditHash } from "../../crypto/audit-chain";

export interface AuditBreak {
  /** Row id, to find it in the database (0 for a row that is missing altogether). */
  id: number;
  seq: number | null;
  action: string;
  /**
   * `hash`, `prev_hash`, `seq` as for the case trail (verify.ts); `unchained` — a row without
   * seq or hash (written past the chain, or from before migration 0003 and not yet chained);
   * `anchor` — the chain does not reach or no longer matches the signed anchor's head.
   */
  problem: "hash" | "prev_hash" | "seq" | "unchained" | "anchor";
  detail: string;
}

export interface AuditReport {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: Uint8Array } | null;
  breaks: AuditBreak[];
}

const hex = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString("hex") : "null");
const same = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : Buffer.from(a).equals(Buffer.from(b));

/**
 * Recomputes the audit log's one chain (docs/hash-chain.md §5) in seq order, in keyset
 * pages; with `anchor`, also checks that the row at the anchored seq still has the anchored hash.
 * Names the first broken row (later rows are checked against it as stored, so each edit is
 * named once).
 */
export async function verifyAuditChain(
  db: DbOrTx,
  opts: { pageSize?: number; maxBreaks?: number; anchor?: { seq: number; hash: Uint8Array } | null } = {},
): Promise<AuditReport> {
  const pageSize = opts.pageSize ?? 2000;
  const maxBreaks = opts.maxBreaks ?? 100;
  const report: AuditReport = { ok: true, rows: 0, head: null, breaks: [] };
  const fail = (b: AuditBreak) => {
    report.ok = false;
    if (report.breaks.length < maxBreaks) report.breaks.push(b);
  };
  let prev: { seq: number; hash: Uint8Array } | null = null;
  let anchorSeen = false;
  for (;;) {
    const page: (typeof auditLog.$inferSelect)[] = await db
      .select()
      .from(auditLog)
      .where(prev ? and(isNotNull(auditLog.seq), gt(auditLog.seq, prev.seq)) : isNotNull(auditLog.seq))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const r of page) {
      report.rows += 1;
      const seq = r.seq!;
      const expectedSeq: number = (prev?.seq ?? 0) + 1;
      const prevHash: Uint8Array | null = prev?.hash ?? null;
      if (seq !== expectedSeq) {
        fail({
          id: r.id,
          seq,
          action: r.action,
          problem: "seq",
          detail: `seq ${seq} follows ${prev?.seq ?? 0}: ${seq - expectedSeq} row(s) missing before it`,
        });
      } else if (!same(r.prevHash ?? null, prevHash)) {
        fail({
          id: r.id,
          seq,
          action: r.action,
          problem: "prev_hash",
          detail: `prev_hash ${hex(r.prevHash)} is not the previous row's hash ${hex(prevHash)}`,
        });
      } else {
        const recomputed = auditHash(r.prevHash ?? null, {
          seq,
          at: r.at.toISOString(),
          actor: r.actor,
          action: r.action,
          caseId: r.caseId,
          reason: r.reason,
          data: r.data,
        });
        if (!r.hash || !same(recomputed, r.hash)) {
          fail({
            id: r.id,
            seq,
            action: r.action,
            problem: "hash",
            detail: `stored hash ${hex(r.hash)} ≠ recomputed ${hex(recomputed)}: the row was changed after it was written`,
          });
        }
      }
      if (opts.anchor && seq === opts.anchor.seq) {
        anchorSeen = true;
        if (!same(r.hash, opts.anchor.hash)) {
          fail({
            id: r.id,
            seq,
            action: r.action,
            problem: "anchor",
            detail: `row seq ${seq} has hash ${hex(r.hash)}, the anchor says ${hex(opts.anchor.hash)}: the audit log up to it was rewritten`,
          });
        }
      }
      prev = { seq, hash: r.hash ?? new Uint8Array() };
    }
    if (page.length < pageSize) break;
  }
  report.head = prev;
  if (opts.anchor && !anchorSeen) {
    fail({
      id: 0,
      seq: opts.anchor.seq,
      action: "",
      problem: "anchor",
      detail: `anchored at seq ${opts.anchor.seq}, but the audit log now ends at seq ${prev?.seq ?? 0}: rows were removed`,
    });
  }
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(auditLog)
    .where(isNull(auditLog.hash));
  if (n > 0) {
    const [first] = await db
      .select()
      .from(auditLog)
      .where(isNull(auditLog.hash))
      .orderBy(asc(auditLog.id))
      .limit(1);
    fail({
      id: first.id,
      seq: first.seq,
      action: first.action,
      problem: "unchained",
      detail: `${n} row(s) without a hash: run \`npm run admin -- migrate\` to chain rows from before migration 0003`,
    });
  }
  return report;
}
