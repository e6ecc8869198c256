import { desc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, cases } from "../../../db/schema/index";
import { eventHash } from "../../crypto/event-chain";
import type { CaseEventKind } from "../../domain/case-events";

export interface NewEvent {
  caseId: string;
  kind: CaseEventKind;
  actor: string;
  officeCode: string;
  isPublic?: boolean;
  data?: Record<string, unknown>;
  at?: Date;
}

/**
 * Appends one event to a case's hash chain. Call inside the transaction that changes the case:
 * the unique (case_id, seq) index makes a concurrent second writer fail instead of forking the chain.
 */
export async function appendEvent(tx: DbOrTx, e: NewEvent): Promise<{ seq: number; hash: Uint8Array }> {
  // Serialize appends per case: a reporter's message and a staff action arriving together would
  // otherwise read the same last event and collide on (case_id, seq). A verb that already
  // updated the case row holds this lock, so it costs nothing there. NO KEY UPDATE, not UPDATE:
  // it does not conflict with the KEY SHARE lock that inserting a row referencing the case
  // takes, so a verb that inserted (a message) before appending cannot deadlock with another.
  await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, e.caseId)).for("no key update");
  const [last] = await tx
    .select({ seq: caseEvents.seq, hash: caseEvents.hash })
    .from(caseEvents)
    .where(eq(caseEvents.caseId, e.caseId))
    .orderBy(desc(caseEvents.seq))
    .limit(1);
  const row = chainEvent(last ?? null, e);
  await tx.insert(caseEvents).values(row);
  return { seq: row.seq, hash: row.hash };
}

export type ChainedEventRow = typeof caseEvents.$inferInsert & {
  seq: number;
  at: Date;
  isPublic: boolean;
  data: Record<string, unknown>;
  prevHash: Uint8Array | null;
  hash: Uint8Array;
};

/**
 * The row that appends `e` after the chain head `last` (null for a case's first event), with its
 * hash; no I/O. Verbs that write the event in one statement with other rows use it directly:
 * intake (the `received` event of a case it is inserting is seq 1 with no previous hash) and case
 * actions (the head from their read; the unique (case_id, seq) index refuses a stale head).
 */
export function chainEvent(last: { seq: number; hash: Uint8Array } | null, e: NewEvent): ChainedEventRow {
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.hash ?? null;
  const at = new Date(Math.floor((e.at ?? new Date()).getTime()));
  const fields = {
    caseId: e.caseId,
    seq,
    at: at.toISOString(),
    kind: e.kind,
    actor: e.actor,
    officeCode: e.officeCode,
    isPublic: e.isPublic ?? false,
    data: e.data ?? {},
  };
  return {
    caseId: e.caseId,
    seq,
    at,
    kind: e.kind,
    actor: e.actor,
    officeCode: e.officeCode,
    isPublic: fields.isPublic,
    data: fields.data,
    prevHash: prev,
    hash: eventHash(prev, fields),
  };
}
