import { boxSecret, openSecret } from "./seal";
import { sodiumSync } from "./sodium";

const enc = new TextEncoder();
const dec = new TextDecoder();

// Distinct from the tracking-code hash's context: the key that opens a box is never the value
// stored to find the case.
const CONTEXT = "qingfeng:redaction-box:v1";

/**
 * The key of a case's redaction box: keyed BLAKE2b-256 of the normalised tracking code under a
 * subkey of the tracking key. The process holds the tracking key, but only a request carrying
 * the code can derive this key; staff never see the code. The caller must memzero it.
 */
function boxKey(trackingKey: Uint8Array, normalizedCode: string): Uint8Array {
  const s = sodiumSync();
  const subkey = s.crypto_generichash(32, enc.encode(CONTEXT), trackingKey);
  try {
    return s.crypto_generichash(32, enc.encode(normalizedCode), subkey);
  } finally {
    s.memzero(subkey);
  }
}

/** secretbox(JSON value) under the code-derived key. */
export function sealRedactionBox(
  trackingKey: Uint8Array,
  normalizedCode: string,
  value: unknown,
): Uint8Array {
  const key = boxKey(trackingKey, normalizedCode);
  try {
    return boxSecret(key, JSON.stringify(value));
  } finally {
    sodiumSync().memzero(key);
  }
}

/** Opens a redaction box with the code; undefined when it does not open (wrong code, damaged). */
export function openRedactionBox(
  trackingKey: Uint8Array,
  normalizedCode: string,
  box: Uint8Array,
): unknown | undefined {
  const key = boxKey(trackingKey, normalizedCode);
  let plain: Uint8Array | undefined;
  try {
    plain = openSecret(key, box);
    return JSON.parse(dec.decode(plain));
  } catch {
    return undefined;
  } finally {
    sodiumSync().memzero(key);
    if (plain) sodiumSync().memzero(plain);
  }
}
