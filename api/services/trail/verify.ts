import { and, asc, eq, gt, or } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents } from "../../../db/schema/index";
import { eventHash } from "../../crypto/event-chain";

export interface TrailBreak {
  caseId: string;
  seq: number;
  /** Row id of the event, to find it in the database. */
  eventId: number;
  kind: string;
  /**
   * `hash` — the stored hash is not the hash of prev || the event as stored: its content (or its
   * hash) was changed; `prev_hash` — it does not point at the previous event's hash: an event
   * before it was rewritten or removed; `seq` — the sequence skips or starts past 1: events
   * are missing.
   */
  problem: "hash" | "prev_hash" | "seq";
  detail: string;
}

export interface TrailReport {
  ok: boolean;
  cases: number;
  events: number;
  /** The first broken event of each broken case, in case-id order (at most `maxBreaks`). */
  breaks: TrailBreak[];
}

const hex = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString("hex") : "null");
const same = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : Buffer.from(a).equals(Buffer.from(b));

/**
 * Recomputes every case's hash chain (api/crypto/event-chain.ts): each event's hash must equal
 * BLAKE2b(prev_hash || canonical event), its prev_hash the previous event's hash, and its seq
 * follow the previous one. Reads in keyset pages, so a large trail is verified in bounded memory.
 * Reports the first event that does not match in each broken case.
 */
export async function verifyTrail(
  db: DbOrTx,
  opts: { pageSize?: number; maxBreaks?: number } = {},
): Promise<TrailReport> {
  const pageSize = opts.pageSize ?? 2000;
  const maxBreaks = opts.maxBreaks ?? 100;
  const report: TrailReport = { ok: true, cases: 0, events: 0, breaks: [] };
  let cursor: { caseId: string; seq: number } | undefined;
  let current: { caseId: string; seq: number; hash: Uint8Array; broken: boolean } | undefined;

  for (;;) {
    const page = await db
      .select()
      .from(caseEvents)
      .where(
        cursor
          ? or(
              gt(caseEvents.caseId, cursor.caseId),
              and(eq(caseEvents.caseId, cursor.caseId), gt(caseEvents.seq, cursor.seq)),
            )
          : undefined,
      )
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq))
      .limit(pageSize);
    for (const e of page) {
      report.events += 1;
      const first = current?.caseId !== e.caseId;
      if (first) {
        report.cases += 1;
        current = { caseId: e.caseId, seq: 0, hash: new Uint8Array(), broken: false };
      }
      const cur = current!;
      const prevHash = first ? null : cur.hash;
      const expectedSeq = cur.seq + 1;
      let problem: TrailBreak["problem"] | undefined;
      let detail = "";
      if (e.seq !== expectedSeq) {
        problem = "seq";
        detail = `seq ${e.seq} follows ${cur.seq}: ${e.seq - expectedSeq} event(s) missing before it`;
      } else if (!same(e.prevHash ?? null, prevHash)) {
        problem = "prev_hash";
        detail = `prev_hash ${hex(e.prevHash)} is not the previous event's hash ${hex(prevHash)}`;
      } else {
        const recomputed = eventHash(e.prevHash ?? null, {
          caseId: e.caseId,
          seq: e.seq,
          at: e.at.toISOString(),
          kind: e.kind,
          actor: e.actor,
          officeCode: e.officeCode,
          isPublic: e.isPublic,
          data: e.data,
        });
        if (!same(recomputed, e.hash)) {
          problem = "hash";
          detail = `stored hash ${hex(e.hash)} ≠ recomputed ${hex(recomputed)}: the event's fields were changed after it was written`;
        }
      }
      if (problem && !cur.broken) {
        cur.broken = true;
        report.ok = false;
        if (report.breaks.length < maxBreaks) {
          report.breaks.push({ caseId: e.caseId, seq: e.seq, eventId: e.id, kind: e.kind, problem, detail });
        }
      }
      // Walk on from the event as stored, so one bad event is named once, not every one after it.
      cur.seq = e.seq;
      cur.hash = e.hash;
    }
    if (page.length < pageSize) break;
    const last = page[page.length - 1];
    cursor = { caseId: last.caseId, seq: last.seq };
  }
  return report;
}
