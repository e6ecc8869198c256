import { keyedHash } from "../../crypto/keyed-hash";
import { attachmentKeyPair } from "../../crypto/purpose-keys";
import { openSecret } from "../../crypto/seal";
import { sodiumSync } from "../../crypto/sodium";

/**
 * Attachments at rest: crypto_secretstream_xchacha20poly1305 under a fresh random data key per
 * file, in 64 KiB chunks, the last one tagged FINAL (a truncated ciphertext does not open).
 * Every chunk is authenticated together with `ad` (case, attachment and copy), so a ciphertext
 * moved to another row or swapped between the clean and the original copy does not open either.
 *
 * Layout: header (24 bytes) || chunk_1 || … || chunk_n, each chunk = plaintext + 17 bytes.
 */
const CHUNK = 64 * 1024;

export function encryptFile(key: Uint8Array, data: Uint8Array, ad: string): Uint8Array {
  const s = sodiumSync();
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  const parts: Uint8Array[] = [header];
  let off = 0;
  do {
    const part = data.subarray(off, off + CHUNK);
    off += CHUNK;
    const last = off >= data.length;
    const tag = last
      ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    parts.push(s.crypto_secretstream_xchacha20poly1305_push(state, part, ad, tag));
  } while (off < data.length);
  return new Uint8Array(Buffer.concat(parts));
}

export class AttachmentCryptoError extends Error {}

export function decryptFile(key: Uint8Array, cipher: Uint8Array, ad: string): Uint8Array {
  const s = sodiumSync();
  const H = s.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  const A = s.crypto_secretstream_xchacha20poly1305_ABYTES;
  if (cipher.length < H + A) throw new AttachmentCryptoError("ciphertext too short");
  const state = s.crypto_secretstream_xchacha20poly1305_init_pull(cipher.subarray(0, H), key);
  const parts: Uint8Array[] = [];
  let off = H;
  for (;;) {
    const chunk = cipher.subarray(off, off + CHUNK + A);
    off += chunk.length;
    let r: { message: Uint8Array; tag: number } | false;
    try {
      r = s.crypto_secretstream_xchacha20poly1305_pull(state, chunk, ad) as typeof r;
    } catch {
      r = false;
    }
    if (!r) throw new AttachmentCryptoError("attachment does not open");
    parts.push(r.message);
    const final = r.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    if (final !== off >= cipher.length) throw new AttachmentCryptoError("attachment truncated or extended");
    if (final) break;
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** The key that wrapped clean copies' data keys before migration 0003 (secretbox, 72 bytes). */
function wrapKey(serverKey: Uint8Array): Uint8Array {
  return keyedHash(serverKey, "attachment-key-wrap", "v1");
}

/**
 * Seals a clean copy's data key to the attachments public key (`keys.attachmentsPublic`, on every
 * host): the public host wraps at intake what only the staff host can unwrap.
 */
export function wrapDataKey(attachmentsPublicKey: Uint8Array, dataKey: Uint8Array): Uint8Array {
  return sodiumSync().crypto_box_seal(dataKey, attachmentsPublicKey);
}

/** With the staff host's `keys.attachments`; also opens keys wrapped the old way (secretbox). */
export function unwrapDataKey(attachmentsKey: Uint8Array, wrapped: Uint8Array): Uint8Array {
  const s = sodiumSync();
  try {
    if (wrapped.length === s.crypto_box_SEALBYTES + s.crypto_secretstream_xchacha20poly1305_KEYBYTES) {
      const kp = attachmentKeyPair(attachmentsKey);
      return s.crypto_box_seal_open(wrapped, kp.publicKey, kp.privateKey);
    }
    return openSecret(wrapKey(attachmentsKey), wrapped);
  } catch {
    throw new AttachmentCryptoError("data key does not unwrap");
  }
}

export function newDataKey(): Uint8Array {
  return sodiumSync().crypto_secretstream_xchacha20poly1305_keygen();
}

export function attachmentAd(caseId: string, attachmentId: string, copy: "clean" | "original"): string {
  return `qingfeng:attachment:v1:${caseId}:${attachmentId}:${copy}`;
}
