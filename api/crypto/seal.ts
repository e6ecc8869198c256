import { sodiumSync } from "./sodium";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** crypto_box_seal of a JSON value to the vault public key: only the vault private key opens it. */
export function sealJson(vaultPublicKey: Uint8Array, value: unknown): Uint8Array {
  return sodiumSync().crypto_box_seal(enc.encode(JSON.stringify(value)), vaultPublicKey);
}

export function openSealedJson<T = unknown>(
  vaultPublicKey: Uint8Array,
  vaultPrivateKey: Uint8Array,
  sealed: Uint8Array,
): T {
  const plain = sodiumSync().crypto_box_seal_open(sealed, vaultPublicKey, vaultPrivateKey);
  return JSON.parse(dec.decode(plain)) as T;
}

export function sealBytes(vaultPublicKey: Uint8Array, data: Uint8Array): Uint8Array {
  return sodiumSync().crypto_box_seal(data, vaultPublicKey);
}

export function openSealedBytes(pub: Uint8Array, priv: Uint8Array, sealed: Uint8Array): Uint8Array {
  return sodiumSync().crypto_box_seal_open(sealed, pub, priv);
}

/** secretbox with a random nonce prepended. */
export function boxSecret(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  const s = sodiumSync();
  const nonce = s.randombytes_buf(s.crypto_secretbox_NONCEBYTES);
  const c = s.crypto_secretbox_easy(typeof data === "string" ? enc.encode(data) : data, nonce, key);
  const out = new Uint8Array(nonce.length + c.length);
  out.set(nonce);
  out.set(c, nonce.length);
  return out;
}

export function openSecret(key: Uint8Array, boxed: Uint8Array): Uint8Array {
  const s = sodiumSync();
  const n = s.crypto_secretbox_NONCEBYTES;
  return s.crypto_secretbox_open_easy(boxed.subarray(n), boxed.subarray(0, n), key);
}
