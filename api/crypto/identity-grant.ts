import type { Keys } from "../context";
import { keyedHash } from "./keyed-hash";
import { boxSecret, openSecret } from "./seal";
import { sodiumSync } from "./sodium";

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The secret the grant keys derive from. Today the server key; when server keys are split into
 * purpose keys, this is the one line to change (a grant then becomes unreadable, which is fine:
 * it is short-lived and a custodian can approve a new request).
 */
export function grantRootKey(keys: Keys): Uint8Array {
  return keys.identityGrants!;
}

/** The secretbox key of one request's grant: keyed BLAKE2b of the request id, its own context. */
function grantKey(keys: Keys, requestId: string): Uint8Array {
  return keyedHash(grantRootKey(keys), "identity-grant", requestId);
}

/** Encrypts the contact details of an approved request (nonce || secretbox). */
export function sealGrant(keys: Keys, requestId: string, contact: Record<string, string>): Uint8Array {
  const key = grantKey(keys, requestId);
  try {
    return boxSecret(key, enc.encode(JSON.stringify(contact)));
  } finally {
    sodiumSync().memzero(key);
  }
}

/** Opens a grant; throws when the cipher was not made for this request id under this key. */
export function openGrant(keys: Keys, requestId: string, cipher: Uint8Array): Record<string, string> {
  const key = grantKey(keys, requestId);
  try {
    return JSON.parse(dec.decode(openSecret(key, cipher))) as Record<string, string>;
  } finally {
    sodiumSync().memzero(key);
  }
}
