import { randomBytes } from "./random";
import { sodiumSync } from "./sodium";

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * libsodium's crypto_box_seal, built from its parts so the ephemeral key comes from node:crypto
 * (the WASM build's randombytes is slow): an ephemeral X25519 key pair, nonce =
 * BLAKE2b-192(epk || pk), output = epk || crypto_box_easy(m, nonce, pk, esk). That is the
 * sealed-box construction byte for byte, so crypto_box_seal_open opens it.
 */
function boxSeal(message: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  const s = sodiumSync();
  const seed = randomBytes(s.crypto_box_SEEDBYTES);
  const eph = s.crypto_box_seed_keypair(seed);
  try {
    const pkLen = s.crypto_box_PUBLICKEYBYTES;
    const both = new Uint8Array(pkLen * 2);
    both.set(eph.publicKey);
    both.set(recipientPublicKey, pkLen);
    const nonce = s.crypto_generichash(s.crypto_box_NONCEBYTES, both, null);
    const c = s.crypto_box_easy(message, nonce, recipientPublicKey, eph.privateKey);
    const out = new Uint8Array(pkLen + c.length);
    out.set(eph.publicKey);
    out.set(c, pkLen);
    return out;
  } finally {
    s.memzero(seed);
    s.memzero(eph.privateKey);
  }
}

/** crypto_box_seal of a JSON value to the vault public key: only the vault private key opens it. */
export function sealJson(vaultPublicKey: Uint8Array, value: unknown): Uint8Array {
  return boxSeal(enc.encode(JSON.stringify(value)), vaultPublicKey);
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
  return boxSeal(data, vaultPublicKey);
}

export function openSealedBytes(pub: Uint8Array, priv: Uint8Array, sealed: Uint8Array): Uint8Array {
  return sodiumSync().crypto_box_seal_open(sealed, pub, priv);
}

/** secretbox with a random nonce prepended. */
export function boxSecret(key: Uint8Array, data: Uint8Array | string): Uint8Array {
  const s = sodiumSync();
  const nonce = randomBytes(s.crypto_secretbox_NONCEBYTES);
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
