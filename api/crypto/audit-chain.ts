import { chainHash } from "./event-chain";

/** The fields of an audit row that its hash covers (everything but the row id). */
export interface ChainedAuditFields {
  seq: number;
  at: string; // ISO 8601 with milliseconds, UTC
  actor: string;
  action: string;
  caseId: string | null;
  reason: string | null;
  data: unknown;
}

/**
 * hash = BLAKE2b-256(prev_hash || canonical JSON of the row), the case trail's construction
 * (event-chain.ts) over one global chain. Unkeyed on purpose: anyone may verify it; what stops a
 * rewrite is the signed anchor of the head (anchor.ts), not a secret.
 */
export function auditHash(prev: Uint8Array | null, r: ChainedAuditFields): Uint8Array {
  // "chain": "audit" keeps an audit row's body from ever equalling a case event's.
  return chainHash(prev, { chain: "audit", ...r, at: new Date(r.at).toISOString() });
}
