import canonicalize from "canonicalize";

/** The value is not I-JSON (RFC 7493), so it has no RFC 8785 form. */
export class CanonicalJsonError extends Error {}

/**
 * RFC 8785 (JCS): the one canonical JSON of the code base, hashed by the case trail, the audit
 * chain and the idempotency request hash, and signed by anchors (docs/hash-chain.md). Throws
 * CanonicalJsonError where RFC 8785 §3.1 says to reject (a lone surrogate, NaN or ±Infinity,
 * which JSON.parse makes of 1e400) instead of hashing a string nobody else can reproduce.
 * `canonicalize` recurses: callers holding untrusted input bound its depth first
 * (routes/public.ts); a stack overflow still surfaces here as CanonicalJsonError, not a crash.
 */
export function canonicalJson(value: unknown): string {
  let out: string | undefined;
  try {
    out = canonicalize(value);
  } catch (e) {
    throw new CanonicalJsonError(`not I-JSON: ${(e as Error).message}`, { cause: e });
  }
  if (out === undefined) throw new CanonicalJsonError("not I-JSON: no JSON value");
  return out;
}
