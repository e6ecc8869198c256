import { keyedHash } from "../../crypto/keyed-hash";
import { sodiumSync } from "../../crypto/sodium";

/**
 * The captcha for browsers without JavaScript. A proof of work needs script, so the report form
 * also carries a token the server signed when it rendered the page:
 *
 *   nojs1.<issued at, unix seconds>.<16 random bytes, base64url>.<keyed BLAKE2b MAC, base64url>
 *
 * It is valid from MIN_AGE after issue (nobody writes a report in three seconds; a script that
 * fetches the form and posts it at once is turned away) until MAX_AGE (time enough to write a
 * long report), and only once (its nonce goes into used_captchas). It proves little by itself —
 * anyone can fetch the form — so a submission that carries it instead of a solved challenge
 * also counts against the much smaller `reports-nojs` rate-limit bucket.
 *
 * The token is not bound to the client address: people move between networks while writing,
 * and binding would put a form of the address into the page.
 */
export const NOJS_PREFIX = "nojs1.";
export const NOJS_MIN_AGE_SECONDS = 3;
export const NOJS_MAX_AGE_SECONDS = 2 * 3600;

const TOKEN_RE = /^nojs1\.(\d{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** True for anything shaped like a no-JS token: the caller picks the stricter bucket by this. */
export function isNoJsToken(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(NOJS_PREFIX);
}

function mac(key: Uint8Array, issuedAt: number, nonce: string): Uint8Array {
  return keyedHash(key, "captcha-nojs", `${issuedAt}.${nonce}`);
}

export function issueNoJsToken(key: Uint8Array, now: Date): string {
  const s = sodiumSync();
  const nonce = s.to_base64(s.randombytes_buf(16), s.base64_variants.URLSAFE_NO_PADDING);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const m = s.to_base64(mac(key, issuedAt, nonce), s.base64_variants.URLSAFE_NO_PADDING);
  return `${NOJS_PREFIX}${issuedAt}.${nonce}.${m}`;
}

/** The token's nonce and expiry when its MAC and age are right (it is not yet marked used). */
export function checkNoJsToken(
  key: Uint8Array,
  token: string,
  now: Date,
  ages: { min: number; max: number } = { min: NOJS_MIN_AGE_SECONDS, max: NOJS_MAX_AGE_SECONDS },
): { nonce: string; expiresAt: Date } | undefined {
  const m = TOKEN_RE.exec(token);
  if (!m) return undefined;
  const s = sodiumSync();
  const issuedAt = Number(m[1]);
  let given: Uint8Array;
  try {
    given = s.from_base64(m[3], s.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return undefined;
  }
  const expected = mac(key, issuedAt, m[2]);
  if (given.length !== expected.length || !s.memcmp(given, expected)) return undefined;
  const age = now.getTime() / 1000 - issuedAt;
  if (age < ages.min || age > ages.max) return undefined;
  return { nonce: m[2], expiresAt: new Date((issuedAt + ages.max) * 1000) };
}
