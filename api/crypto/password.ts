import { getSodium, sodiumSync } from "./sodium";

/** Argon2id cost of a password hash (libsodium crypto_pwhash_str). */
export interface PasswordLimits {
  opslimit: number;
  memlimit: number;
}

/** Staff logins: libsodium's INTERACTIVE limits (2 passes, 64 MiB). */
export function interactiveLimits(): PasswordLimits {
  const s = sodiumSync();
  return { opslimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE };
}

/** The cheapest Argon2id libsodium allows: for tests only, never for a real account. */
export function cheapestLimits(): PasswordLimits {
  const s = sodiumSync();
  return { opslimit: s.crypto_pwhash_OPSLIMIT_MIN, memlimit: s.crypto_pwhash_MEMLIMIT_MIN };
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string, limits: PasswordLimits = interactiveLimits()): string {
  return sodiumSync().crypto_pwhash_str(password, limits.opslimit, limits.memlimit);
}

/** The hash string carries its own salt and cost, so a cheap test hash verifies cheaply. */
export function verifyPassword(hash: string, password: string): boolean {
  try {
    return sodiumSync().crypto_pwhash_str_verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: string | undefined;

/**
 * A hash of a random password at the staff cost. An unknown username is verified against it so
 * it takes as long as a known one with a wrong password (no username enumeration by timing).
 */
export function dummyPasswordHash(): string {
  if (!dummy) {
    const s = sodiumSync();
    dummy = hashPassword(s.to_base64(s.randombytes_buf(24)), interactiveLimits());
  }
  return dummy;
}

/** A random password for a new account, printed once (18 bytes: 24 URL-safe characters). */
export async function generatePassword(): Promise<string> {
  const s = await getSodium();
  return s.to_base64(s.randombytes_buf(18), s.base64_variants.URLSAFE_NO_PADDING);
}
