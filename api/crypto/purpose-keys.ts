import { keyedHash } from "./keyed-hash";
import { sodiumSync } from "./sodium";

/** A key for one purpose from a host secret: keyed BLAKE2b-256 with the purpose as message. */
export function purposeKey(secret: Uint8Array, purpose: string): Uint8Array {
  return keyedHash(secret, "purpose-key", purpose);
}

const pairs = new WeakMap<Uint8Array, { publicKey: Uint8Array; privateKey: Uint8Array }>();

/**
 * The X25519 key pair that clean-copy data keys are sealed to (crypto_box_seal), from the staff
 * host's attachments key. The public host holds only its public half (public-secrets.json), so
 * it can wrap at intake what it can never unwrap.
 */
export function attachmentKeyPair(attachmentsKey: Uint8Array): {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
} {
  let kp = pairs.get(attachmentsKey);
  if (!kp) {
    const seed = keyedHash(attachmentsKey, "attachment-keypair", "v1");
    const k = sodiumSync().crypto_box_seed_keypair(seed);
    kp = { publicKey: k.publicKey, privateKey: k.privateKey };
    pairs.set(attachmentsKey, kp);
  }
  return kp;
}
