import { keyedHash } from "./keyed-hash";
import { randomBytes } from "./random";

// Crockford base32: no I, L, O, U.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 100 random bits as 20 Crockford base32 characters, shown XXXXX-XXXXX-XXXXX-XXXXX. */
export function generateTrackingCode(): string {
  const bytes = randomBytes(13); // 104 bits; we use the first 100
  let bits = 0;
  let acc = 0;
  let out = "";
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 20) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return formatTrackingCode(out);
}

export function formatTrackingCode(normalized: string): string {
  return normalized.match(/.{5}/g)!.join("-");
}

/**
 * Forgiving input: case, spaces and dashes are ignored; O reads as 0, I and L as 1 (Crockford).
 * Returns the 20-character canonical form, or undefined when it cannot be a code.
 */
export function normalizeTrackingCode(input: string): string | undefined {
  const s = input
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[\s\-_‐‑–—]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (s.length !== 20) return undefined;
  for (const ch of s) if (!ALPHABET.includes(ch)) return undefined;
  return s;
}

export function hashTrackingCode(trackingKey: Uint8Array, normalized: string): Uint8Array {
  return keyedHash(trackingKey, "tracking-code", normalized);
}
