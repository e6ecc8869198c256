import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, cases } from "../../../db/schema/index";
import type { AnchoredHeads } from "../../crypto/anchor";
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

/** A case whose chain no longer extends the head a signed anchor recorded for it. */
export interface AnchorBreak {
  caseId: string;
  anchoredSeq: number;
  /**
   * `rewritten` — the event at the anchored seq has another hash now (the history up to it was
   * changed and the chain recomputed); `truncated` — the chain now ends before the anchored seq
   * (events removed); `missing` — the case has no events at all any more.
   */
  problem: "rewritten" | "truncated" | "missing";
  detail: string;
}

export interface TrailReport {
  ok: boolean;
  cases: number;
  events: number;
  /** The first broken event of each broken case, in case-id order (at most `maxBreaks`). */
  breaks: TrailBreak[];
  /** With an anchor only: the cases that do not extend their anchored head (at most `maxBreaks`). */
  anchorBreaks?: AnchorBreak[];
}

const hex = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString("hex") : "null");
const same = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : Buffer.from(a).equals(Buffer.from(b));

/**
 * Recomputes every case's hash chain (api/crypto/event-chain.ts): each event's hash must equal
 * BLAKE2b-256(prev_hash || RFC 8785 JSON of the event), its prev_hash the previous event's hash,
 * and its seq follow the previous one (the format: docs/hash-chain.md). Reads in keyset pages, so
 * a large trail is verified in bounded memory. Reports the first event that does not match in each
 * broken case.
 */
export async function verifyTrail(
  db: DbOrTx,
  opts: {
    pageSize?: number;
    maxBreaks?: number;
    anchor?: AnchoredHeads;
    /** Only the chains of the cases one office holds now (without an anchor: a partial check). */
    office?: string;
  } = {},
): Promise<TrailReport> {
  const pageSize = opts.pageSize ?? 2000;
  const maxBreaks = opts.maxBreaks ?? 100;
  const report: TrailReport = { ok: true, cases: 0, events: 0, breaks: [] };
  let cursor: { caseId: string; seq: number } | undefined;
  let current: { caseId: string; seq: number; hash: Uint8Array; broken: boolean } | undefined;
  const anchor = opts.anchor ? new AnchorWalk(opts.anchor, maxBreaks) : undefined;
  if (anchor) report.anchorBreaks = anchor.breaks;

  for (;;) {
    const page = await db
      .select()
      .from(caseEvents)
      .where(
        and(
          // A row comparison, not (case_id > c or (case_id = c and seq > s)): PostgreSQL takes the
          // row comparison as a range of case_events_case_seq_idx, but the OR only as a filter, so
          // every page re-read the index from its start (quadratic; hours at 1M cases,
          // docs/notes-scale.md).
          cursor
            ? sql`(${caseEvents.caseId}, ${caseEvents.seq}) > (${cursor.caseId}::uuid, ${cursor.seq})`
            : undefined,
          opts.office
            ? inArray(
                caseEvents.caseId,
                db
                  .select({ id: cases.id })
                  .from(cases)
                  // From the cursor on here too, so each page starts where the last ended.
                  .where(
                    and(eq(cases.officeCode, opts.office), cursor ? gte(cases.id, cursor.caseId) : undefined),
                  ),
              )
            : undefined,
        ),
      )
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq))
      .limit(pageSize);
    for (const e of page) {
      report.events += 1;
      const first = current?.caseId !== e.caseId;
      if (first) {
        if (current) anchor?.endCase(current.caseId, current.seq);
        anchor?.startCase(e.caseId);
        report.cases += 1;
        current = { caseId: e.caseId, seq: 0, hash: new Uint8Array(), broken: false };
      }
      anchor?.event(e.seq, e.hash);
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
  if (anchor) {
    if (current) anchor.endCase(current.caseId, current.seq);
    anchor.finish();
    if (anchor.failed) report.ok = false;
  }
  return report;
}

/**
 * Walks the anchored heads (sorted by case id) alongside the events (ordered by case id, seq): a
 * merge, so a million cases need no map in memory. Each anchored case must still have an event at
 * its anchored seq with the anchored hash; the chain check above proves everything before it.
 */
class AnchorWalk {
  readonly breaks: AnchorBreak[] = [];
  failed = false;
  private i = 0;
  private expect: { seq: number; hash: Uint8Array; matched: boolean; caseId: string } | undefined;
  constructor(
    private readonly heads: AnchoredHeads,
    private readonly max: number,
  ) {}

  private fail(b: AnchorBreak): void {
    this.failed = true;
    if (this.breaks.length < this.max) this.breaks.push(b);
  }

  /** Anchored cases before `caseId` (all of them at the end) have no events any more. */
  private skipTo(caseId: string | undefined): void {
    while (this.i < this.heads.count) {
      const h = this.heads.at(this.i);
      if (caseId !== undefined && h.caseId >= caseId) return;
      this.fail({
        caseId: h.caseId,
        anchoredSeq: h.seq,
        problem: "missing",
        detail: `anchored at seq ${h.seq}, but the case has no events now: its trail was deleted`,
      });
      this.i++;
    }
  }

  startCase(caseId: string): void {
    this.skipTo(caseId);
    this.expect = undefined;
    if (this.i < this.heads.count) {
      const h = this.heads.at(this.i);
      if (h.caseId === caseId) {
        this.expect = { seq: h.seq, hash: h.hash, matched: false, caseId };
        this.i++;
      }
    }
  }

  event(seq: number, hash: Uint8Array): void {
    const x = this.expect;
    if (!x || seq !== x.seq) return;
    x.matched = true;
    if (!same(hash, x.hash)) {
      this.fail({
        caseId: x.caseId,
        anchoredSeq: x.seq,
        problem: "rewritten",
        detail: `the event at seq ${x.seq} has hash ${hex(hash)}, the anchor says ${hex(x.hash)}: the trail up to it was rewritten`,
      });
    }
  }

  endCase(caseId: string, lastSeq: number): void {
    const x = this.expect;
    if (!x || x.caseId !== caseId || x.matched) return;
    this.fail({
      caseId,
      anchoredSeq: x.seq,
      problem: "truncated",
      detail: `anchored at seq ${x.seq}, but the trail now ends at seq ${lastSeq}: events were removed`,
    });
  }

  finish(): void {
    this.skipTo(undefined);
  }
}
