import type { DbOrTx } from "../../../db/client";
import type { CaseRow, RoutingEvent } from "../cases/facts";

/**
 * What an action reads before it writes (api/services/cases/act.ts caseWithHead): the case, its
 * chain head, its routing events and whether a 督办 awaits this office's reply.
 */
export interface ActRead extends CaseRow {
  headSeq: number | null;
  headHash: Uint8Array | null;
  routing: RoutingEvent[];
  supervisionPending: boolean;
}

/** A claim's read, kept for the holder's next action; `version` is the row version the claim wrote. */
export interface Prefetched {
  read: ActRead;
  /** The claimed row version's xmin, as text: the action's UPDATE requires it still (act.ts). */
  version: string;
}

interface Entry extends Prefetched {
  db: DbOrTx;
  key: string;
  expires: number;
}

/**
 * The read of each case a claim took in this process, until its holder's next action on it: the
 * action then skips its read (one statement instead of two). It is a guess, never trusted: the
 * action's UPDATE is fenced by the row version (`xmin`) the claim wrote, so any change to the case
 * row since (by anyone, in any process) leaves it unmatched and the action reads afresh; an event
 * appended since (a reporter's message, a supervision and its reply, every change of routing)
 * makes the action's own event collide on the unique (case_id, seq) index, with the same result.
 * Bounded: the oldest entries go first; an entry lives until the lease it came with expires.
 */
const MAX = 1024;
const held = new Map<string, Entry>();

const keyOf = (caseId: string, token: string) => `${caseId} ${token}`;

export function keepClaimRead(db: DbOrTx, token: string, expires: Date, p: Prefetched): void {
  const key = keyOf(p.read.id, token);
  held.delete(key);
  held.set(key, { ...p, db, key, expires: expires.getTime() });
  while (held.size > MAX) {
    const oldest = held.keys().next().value as string;
    held.delete(oldest);
  }
}

/**
 * The claim's read for the holder presenting `token`, taken out (used once), or undefined: none
 * kept, another database handle (a transaction, another instance), or the lease has expired.
 */
export function takeClaimRead(db: DbOrTx, caseId: string, token: unknown, now: Date): Prefetched | undefined {
  if (typeof token !== "string") return undefined;
  const key = keyOf(caseId, token);
  const e = held.get(key);
  if (!e) return undefined;
  held.delete(key);
  if (e.db !== db || e.expires <= now.getTime()) return undefined;
  return { read: e.read, version: e.version };
}

/** Forgets a case's kept reads (any token): for tests and for a release of the lease. */
export function forgetClaimReads(): void {
  held.clear();
}
