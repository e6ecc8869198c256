import { sodiumSync } from "./sodium";

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

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** hash = BLAKE2b-256(prev_hash || canonical JSON of the event's fields). */
export function eventHash(prev: Uint8Array | null, e: ChainedEventFields): Uint8Array {
  const s = sodiumSync();
  const body = new TextEncoder().encode(canonicalJson({ ...e, at: new Date(e.at).toISOString() }));
  const input = new Uint8Array((prev?.length ?? 0) + body.length);
  if (prev) input.set(prev);
  input.set(body, prev?.length ?? 0);
  return s.crypto_generichash(32, input, null);
}
