import { and, asc, desc, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents } from "../../../db/schema/index";
import type { CaseHead } from "../../crypto/anchor";
import { eventHash } from "../../crypto/event-chain";
import { plainHash } from "../../crypto/keyed-hash";

// An office's trail for a month, as the 对账 signs it: every case on whose trail the office wrote
// an event during the month (before the cut-off), with the head of that case's chain as at the
// cut-off — its last event before it, seq and hash. Each head commits, through the chain, to every
// event of the case up to it, so the set commits to everything the office wrote that month (and
// all that came before on those cases). Chains are per case (docs/hash-chain.md): an office has
// no chain of its own, so its "chain heads" are those of the cases it worked on.

const CHUNK = 1000;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** The heads, per office, of the cases each of `offices` wrote events on in [start, asOf). */
export async function officeHeads(
  db: DbOrTx,
  offices: string[],
  start: Date,
  asOf: Date,
): Promise<Map<string, CaseHead[]>> {
  const out = new Map<string, CaseHead[]>(offices.map((o) => [o, []]));
  if (offices.length === 0) return out;
  // On the (office_code, at) index (migration 0013).
  const touched = await db
    .selectDistinct({ officeCode: caseEvents.officeCode, caseId: caseEvents.caseId })
    .from(caseEvents)
    .where(and(inArray(caseEvents.officeCode, offices), gte(caseEvents.at, start), lt(caseEvents.at, asOf)));
  const ids = [...new Set(touched.map((t) => t.caseId))];
  const heads = new Map<string, CaseHead>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectDistinctOn([caseEvents.caseId], {
        caseId: caseEvents.caseId,
        seq: caseEvents.seq,
        hash: caseEvents.hash,
      })
      .from(caseEvents)
      .where(and(inArray(caseEvents.caseId, part), lt(caseEvents.at, asOf)))
      .orderBy(caseEvents.caseId, desc(caseEvents.seq));
    for (const r of rows) heads.set(r.caseId, r);
  }
  for (const t of touched) {
    const h = heads.get(t.caseId);
    if (h) out.get(t.officeCode)?.push(h);
  }
  for (const list of out.values())
    list.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  return out;
}

/** A case whose chain, recomputed now, does not lead to the signed head. */
export interface HeadBreak {
  caseId: string;
  seq: number;
  /**
   * `rewritten` — the event at the signed seq has another hash now (history changed and the chain
   * recomputed); `broken` — an event up to it no longer matches its own hash or its predecessor's
   * (edited behind the append-only guard); `missing` — no event at the signed seq any more.
   */
  problem: "rewritten" | "broken" | "missing";
  detail: string;
}

const hex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString("hex") : "null");
const same = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : Buffer.from(a).equals(Buffer.from(b));

/**
 * Recomputes each case's chain from its first event up to the signed head: every link must hash
 * to its stored hash and point at its predecessor's, and the event at the head's seq must carry
 * the signed hash.
 */
export async function checkHeads(db: DbOrTx, heads: CaseHead[]): Promise<HeadBreak[]> {
  const breaks: HeadBreak[] = [];
  const want = new Map(heads.map((h) => [h.caseId, h]));
  for (const part of chunks(heads)) {
    const rows = await db
      .select()
      .from(caseEvents)
      .where(or(...part.map((h) => and(sql`${caseEvents.caseId} = ${h.caseId}`, lte(caseEvents.seq, h.seq)))))
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq));
    const byCase = new Map<string, typeof rows>();
    for (const r of rows) {
      const list = byCase.get(r.caseId) ?? [];
      list.push(r);
      byCase.set(r.caseId, list);
    }
    for (const h of part) {
      const events = byCase.get(h.caseId) ?? [];
      const last = events[events.length - 1];
      if (!last || last.seq !== h.seq) {
        breaks.push({ ...ref(h), problem: "missing", detail: `no event at seq ${h.seq} any more` });
        continue;
      }
      let prev: Uint8Array | null = null;
      let broken: HeadBreak | undefined;
      for (const [i, e] of events.entries()) {
        const fields = {
          caseId: e.caseId,
          seq: e.seq,
          at: e.at.toISOString(),
          kind: e.kind,
          actor: e.actor,
          officeCode: e.officeCode,
          isPublic: e.isPublic,
          data: e.data,
        };
        if (e.seq !== i + 1 || !same(e.prevHash, prev) || !same(eventHash(e.prevHash, fields), e.hash)) {
          broken = {
            caseId: h.caseId,
            seq: e.seq,
            problem: "broken",
            detail: `event seq ${e.seq} (${e.kind}) no longer matches its hash chain`,
          };
          break;
        }
        prev = e.hash;
      }
      if (broken) breaks.push(broken);
      else if (!same(last.hash, want.get(h.caseId)!.hash)) {
        breaks.push({
          ...ref(h),
          problem: "rewritten",
          detail: `signed ${hex(h.hash)}, now ${hex(last.hash)}`,
        });
      }
    }
  }
  return breaks;
}

const ref = (h: CaseHead) => ({ caseId: h.caseId, seq: h.seq });

/**
 * A short name for a set of packed heads, to read aloud or compare on paper: the first 16 hex
 * digits of BLAKE2b-256 of the packed bytes. Verification compares the heads themselves.
 */
export function headsDigest(packedBase64: string): string {
  return Buffer.from(plainHash(Buffer.from(packedBase64, "base64")))
    .toString("hex")
    .slice(0, 16);
}
