import { AnchorError, type AnchorKeyPair } from "./anchor";
import { CanonicalJsonError, canonicalJson } from "./canonical-json";
import { sodiumSync } from "./sodium";

// A 对账 (issue 12 §2) signed like a trail anchor (api/crypto/anchor.ts, docs/hash-chain.md §7):
// Ed25519 with anchor.key over UTF-8(RFC 8785 JSON of the document without `signature`). The
// database never holds the key; verifying needs only anchor.pub.

export const RECONCILIATION_FORMAT = "qingfeng-reconciliation/1";

const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

function message(body: unknown): Uint8Array {
  try {
    return new TextEncoder().encode(canonicalJson(body));
  } catch (e) {
    if (e instanceof CanonicalJsonError) throw new AnchorError(`the 对账 file is ${e.message}`);
    throw e;
  }
}

/** The document with `key` and `signature` set. */
export function signDocument<T extends { key: string | null; signature: string | null }>(
  key: AnchorKeyPair,
  doc: T,
): T {
  const { signature: _s, ...rest } = { ...doc, key: b64(key.publicKey) };
  const signature = sodiumSync().crypto_sign_detached(message(rest), key.secretKey);
  return { ...rest, signature: b64(signature) } as T;
}

/**
 * Checks a signed document's signature against anchor.pub; throws AnchorError saying what is
 * wrong (unsigned, another key, edited after signing).
 */
export function checkDocumentSignature(
  doc: { key?: unknown; signature?: unknown },
  publicKey: Uint8Array,
): void {
  if (typeof doc.signature !== "string" || doc.signature === "") {
    throw new AnchorError("the 对账 is not signed");
  }
  if (doc.key !== b64(publicKey)) throw new AnchorError("the 对账 was signed by another key than anchor.pub");
  const { signature, ...rest } = doc;
  const s = sodiumSync();
  const sig = Uint8Array.from(Buffer.from(signature, "base64"));
  if (sig.length !== s.crypto_sign_BYTES || !s.crypto_sign_verify_detached(sig, message(rest), publicKey)) {
    throw new AnchorError("the 对账's signature does not match: the file was changed after it was signed");
  }
}
