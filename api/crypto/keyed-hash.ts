import { sodiumSync } from "./sodium";

const enc = new TextEncoder();

/**
 * Keyed BLAKE2b-256 with domain separation: the purpose is hashed into the key so a hash made
 * for one purpose (tracking codes) never equals one made for another (sessions).
 */
export function keyedHash(key: Uint8Array, purpose: string, data: Uint8Array | string): Uint8Array {
  // A missing key must never become an unkeyed hash (libsodium takes null as "no key"): an
  // APP_ROLE=public process has no staff keys, and a staff code path reached there must fail.
  if (!key || key.length < 16) throw new Error(`keyedHash(${purpose}): no key for this purpose on this host`);
  const s = sodiumSync();
  const subkey = s.crypto_generichash(32, enc.encode(`qingfeng:${purpose}`), key);
  return s.crypto_generichash(32, typeof data === "string" ? enc.encode(data) : data, subkey);
}

/** Unkeyed BLAKE2b-256. */
export function plainHash(data: Uint8Array | string): Uint8Array {
  return sodiumSync().crypto_generichash(32, typeof data === "string" ? enc.encode(data) : data, null);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodiumSync().memcmp(a, b);
}
