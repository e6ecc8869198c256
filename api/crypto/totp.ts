import { createHmac, timingSafeEqual } from "node:crypto";
import { keyedHash } from "./keyed-hash";
import { boxSecret, openSecret } from "./seal";
import { sodiumSync } from "./sodium";

// RFC 6238 TOTP with the parameters every authenticator app supports: HMAC-SHA-1, 30 s, 6 digits.
export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** One step either side absorbs clock drift and the time it takes to type the code. */
export const TOTP_WINDOW = 1;

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding (what otpauth URIs carry). */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let acc = 0;
  let out = "";
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** Forgiving: case, spaces, dashes and padding are ignored. Throws on any other character. */
export function base32Decode(text: string): Uint8Array {
  const s = text.toUpperCase().replace(/[\s=-]/g, "");
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of s) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error("not base32");
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  return Uint8Array.from(out);
}

/** 160 random bits (RFC 4226 recommends the HMAC-SHA-1 output length), base32. */
export function generateTotpSecret(): string {
  return base32Encode(sodiumSync().randombytes_buf(20));
}

/** RFC 4226 HOTP: HMAC-SHA-1 over the 8-byte big-endian counter, dynamic truncation. */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", secret).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, "0");
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD);
}

export function totpAt(secretBase32: string, at: Date): string {
  return hotp(base32Decode(secretBase32), totpStep(at));
}

/**
 * The time step a code matches within ±TOTP_WINDOW, or undefined. A step at or before
 * `lastStep` never matches: a code is good once (RFC 6238 §5.2). The caller must then record
 * the step with a conditional update so two concurrent logins cannot both use it.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  at: Date,
  lastStep: number | null | undefined,
): number | undefined {
  const clean = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(clean)) return undefined;
  const secret = base32Decode(secretBase32);
  const now = totpStep(at);
  let found: number | undefined;
  // Check every candidate (no early exit) so the time taken does not depend on which matched.
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const ok = timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(clean));
    if (ok && found === undefined && (lastStep == null || step > lastStep)) found = step;
  }
  return found;
}

/** otpauth://totp/Issuer:username?... (the Key Uri Format authenticator apps read). */
export function otpauthUri(issuer: string, account: string, secretBase32: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const q = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD),
  });
  return `otpauth://totp/${label}?${q.toString().replace(/\+/g, "%20")}`;
}

/** TOTP secrets are stored secretbox'ed under a key derived from the server secret. */
function totpKey(serverKey: Uint8Array): Uint8Array {
  return keyedHash(serverKey, "totp-secret-key", "");
}

export function sealTotpSecret(serverKey: Uint8Array, secretBase32: string): Uint8Array {
  return boxSecret(totpKey(serverKey), secretBase32);
}

export function openTotpSecret(serverKey: Uint8Array, boxed: Uint8Array): string {
  return new TextDecoder().decode(openSecret(totpKey(serverKey), boxed));
}
