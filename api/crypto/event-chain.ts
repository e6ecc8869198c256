import { canonicalJson } from "./canonical-json";
import { plainHash } from "./keyed-hash";

export interface ChainedEventFields {
  caseId: string;
  seq: number;
  at: string; // ISO 8601 with milliseconds, UTC
  kind: string;
  actor: string;
  officeCode: string;
  isPublic: boolean;
  data: unknown;
}

/**
 * BLAKE2b-256(prev || UTF-8(RFC 8785 JSON of body)); a chain's first link has no prev (nothing
 * is prepended, not 32 zero bytes). Unkeyed: anyone may recompute it (docs/hash-chain.md).
 */
export function chainHash(prev: Uint8Array | null, body: unknown): Uint8Array {
  const json = new TextEncoder().encode(canonicalJson(body));
  const input = new Uint8Array((prev?.length ?? 0) + json.length);
  if (prev) input.set(prev);
  input.set(json, prev?.length ?? 0);
  return plainHash(input);
}

/** A case event's hash: chainHash over the event's fields, `at` re-printed as toISOString(). */
export function eventHash(prev: Uint8Array | null, e: ChainedEventFields): Uint8Array {
  return chainHash(prev, { ...e, at: new Date(e.at).toISOString() });
}
