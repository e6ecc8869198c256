import type { KdfPool } from "./kdf-pool";
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

/**
 * Synchronous: blocks the calling thread for the whole Argon2id. For the admin CLI and test
 * set-up only; the running app hashes and verifies through the worker pool (`hashPasswordOff`,
 * `verifyPasswordOff`, api/crypto/kdf-pool.ts).
 */
export function hashPassword(password: string, limits: PasswordLimits = interactiveLimits()): string {
  return sodiumSync().crypto_pwhash_str(password, limits.opslimit, limits.memlimit);
}

/** Synchronous check (CLI and tests); the app uses `verifyPasswordOff`. */
export function verifyPassword(hash: string, password: string): boolean {
  try {
    return sodiumSync().crypto_pwhash_str_verify(hash, password);
  } catch {
    return false;
  }
}

/** Hashes in a worker thread of `pool`; the event loop keeps running meanwhile. */
export function hashPasswordOff(
  pool: KdfPool,
  password: string,
  limits: PasswordLimits = interactiveLimits(),
): Promise<string> {
  return pool.hashPassword(password, limits);
}

/** Verifies in a worker thread. The hash string carries its own salt and cost. */
export function verifyPasswordOff(pool: KdfPool, hash: string, password: string): Promise<boolean> {
  return pool.verifyPassword(hash, password);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password at the staff cost, made once per process in the pool. An unknown
 * username is verified against it so it takes as long as a known one with a wrong password (no
 * username enumeration by timing). The runtime makes it at start (`dummyPasswordHash(pool)`
 * without awaiting) so the first login does not pay for it.
 */
export function dummyPasswordHash(pool: KdfPool): Promise<string> {
  if (!dummy) {
    const s = sodiumSync();
    const made = pool.hashPassword(s.to_base64(s.randombytes_buf(24)), interactiveLimits());
    dummy = made;
    made.catch(() => {
      if (dummy === made) dummy = undefined;
    });
  }
  return dummy;
}

/** A random password for a new account, printed once (18 bytes: 24 URL-safe characters). */
export async function generatePassword(): Promise<string> {
  const s = await getSodium();
  return s.to_base64(s.randombytes_buf(18), s.base64_variants.URLSAFE_NO_PADDING);
}
