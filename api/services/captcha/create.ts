import { createChallenge, randomInt, verifySolution } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { verify as hcaptchaSiteVerify } from "hcaptcha";
import type { Db } from "../../../db/client";
import type { Config } from "../../config";
import type { CaptchaService, Keys } from "../../context";
import { keyedHash } from "../../crypto/keyed-hash";
import { sodiumSync } from "../../crypto/sodium";
import {
  checkNoJsToken,
  isNoJsToken,
  issueNoJsToken,
  NOJS_MAX_AGE_SECONDS,
  NOJS_MIN_AGE_SECONDS,
} from "./nojs";
import { claimOnce, purger } from "./used";

/** hCaptcha's siteverify, behind a function so tests inject a fake and never call the internet. */
export type HcaptchaVerifier = (
  secret: string,
  token: string,
  sitekey: string,
) => Promise<{ success: boolean }>;

export interface CaptchaOptions {
  now?: () => Date;
  hcaptchaVerify?: HcaptchaVerifier;
  /** Proof-of-work size. The defaults take a phone a few seconds with the widget's workers. */
  altcha?: { cost?: number; counterMin?: number; counterMax?: number; expiresSeconds?: number };
  nojs?: { minAgeSeconds?: number; maxAgeSeconds?: number };
}

const ALGORITHM = "PBKDF2/SHA-256";
const MAX_SOLUTION_LENGTH = 8192;
const HCAPTCHA_TIMEOUT_MS = 10_000;
/** hCaptcha tokens live about two minutes; remembering them longer costs nothing. */
const HCAPTCHA_REMEMBER_MS = 2 * 3600_000;

/** The real siteverify call. The client address is never sent to hCaptcha. */
export const hcaptchaVerify: HcaptchaVerifier = (secret, token, sitekey) =>
  hcaptchaSiteVerify(secret, token, undefined, sitekey);

/**
 * The captcha behind CaptchaService (DESIGN.md, GET /api/v1/captcha):
 * - `altcha` (default): self-hosted proof of work (altcha-lib v2, PBKDF2/SHA-256 in the
 *   deterministic mode, so checking a solution costs one HMAC). Challenges are signed with
 *   HMAC keys derived from the server key, so any app process verifies what another issued;
 *   they expire after 10 minutes and are single-use through used_captchas.
 * - `hcaptcha` when HCAPTCHA_SITEKEY and HCAPTCHA_SECRET are set: the widget's token is checked
 *   with hCaptcha's siteverify (and also remembered in used_captchas).
 * - `off` for test rigs: everything passes.
 * With `altcha` and `hcaptcha`, `verify` also accepts the no-JavaScript token (./nojs.ts).
 *
 * `keys` is optional only for rigs that build deps before keys; without it the HMAC key is
 * random per instance, so challenges verify only in the process that issued them.
 */
export function createCaptcha(
  config: Config,
  db: Db,
  keys?: Pick<Keys, "captcha">,
  opts: CaptchaOptions = {},
): CaptchaService {
  const provider = config.captcha.provider;
  if (provider === "off") {
    return { provider, challenge: async () => ({ provider: "off" }), verify: async () => true };
  }
  const serverKey = keys?.captcha ?? sodiumSync().randombytes_buf(32);
  const now = opts.now ?? (() => new Date());
  const purge = purger(db);
  const hex = (u: Uint8Array) => Buffer.from(u).toString("hex");
  const usedHash = (kind: string, id: string) => keyedHash(serverKey, "captcha-used", `${kind}:${id}`);
  const nojsAges = {
    min: opts.nojs?.minAgeSeconds ?? NOJS_MIN_AGE_SECONDS,
    max: opts.nojs?.maxAgeSeconds ?? NOJS_MAX_AGE_SECONDS,
  };

  async function verifyNoJs(token: string): Promise<boolean> {
    const t = now();
    const ok = checkNoJsToken(serverKey, token, t, nojsAges);
    if (!ok) return false;
    purge(t);
    return claimOnce(db, usedHash("nojs", ok.nonce), ok.expiresAt);
  }

  const noJsToken = async () => issueNoJsToken(serverKey, now());

  if (provider === "hcaptcha") {
    const sitekey = config.captcha.hcaptchaSitekey!;
    const secret = config.captcha.hcaptchaSecret!;
    const siteverify = opts.hcaptchaVerify ?? hcaptchaVerify;
    return {
      provider,
      challenge: async () => ({ provider: "hcaptcha", sitekey }),
      noJsToken,
      async verify(solution) {
        if (typeof solution !== "string" || solution.length === 0 || solution.length > MAX_SOLUTION_LENGTH) {
          return false;
        }
        if (isNoJsToken(solution)) return verifyNoJs(solution);
        const t = now();
        purge(t);
        // Claimed before asking hCaptcha: a replay costs no round trip. A token hCaptcha then
        // refuses stays claimed, which is right: it was single-use anyway.
        if (
          !(await claimOnce(db, usedHash("hcaptcha", solution), new Date(t.getTime() + HCAPTCHA_REMEMBER_MS)))
        ) {
          return false;
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          const res = await Promise.race([
            siteverify(secret, solution, sitekey),
            new Promise<{ success: false }>((resolve) => {
              timer = setTimeout(() => resolve({ success: false }), HCAPTCHA_TIMEOUT_MS);
            }),
          ]);
          return res?.success === true;
        } catch {
          return false;
        } finally {
          clearTimeout(timer);
        }
      },
    };
  }

  const hmacSignatureSecret = hex(keyedHash(serverKey, "altcha-challenge", "v1"));
  const hmacKeySignatureSecret = hex(keyedHash(serverKey, "altcha-key", "v1"));
  const cost = opts.altcha?.cost ?? 5000;
  const counterMin = opts.altcha?.counterMin ?? 500;
  const counterMax = opts.altcha?.counterMax ?? 2000;
  const expiresMs = (opts.altcha?.expiresSeconds ?? 600) * 1000;

  return {
    provider,
    noJsToken,
    async challenge() {
      const challenge = await createChallenge({
        algorithm: ALGORITHM,
        cost,
        counter: randomInt(counterMax, counterMin),
        deriveKey,
        expiresAt: new Date(now().getTime() + expiresMs),
        hmacSignatureSecret,
        hmacKeySignatureSecret,
      });
      return challenge as unknown as Record<string, unknown>;
    },
    async verify(solution) {
      if (typeof solution !== "string" || solution.length === 0 || solution.length > MAX_SOLUTION_LENGTH) {
        return false;
      }
      if (isNoJsToken(solution)) return verifyNoJs(solution);
      let payload: {
        challenge?: { parameters?: Record<string, unknown>; signature?: unknown };
        solution?: unknown;
      };
      try {
        payload = JSON.parse(Buffer.from(solution, "base64").toString("utf8"));
      } catch {
        return false;
      }
      const params = payload?.challenge?.parameters;
      if (!params || typeof params !== "object" || typeof payload.challenge?.signature !== "string")
        return false;
      // Every challenge this server signs expires; one without an expiry was not signed here.
      if (typeof params.expiresAt !== "number" || typeof params.nonce !== "string") return false;
      if (params.expiresAt * 1000 < now().getTime()) return false;
      try {
        const result = await verifySolution({
          challenge: payload.challenge as unknown as Parameters<typeof verifySolution>[0]["challenge"],
          solution: payload.solution as unknown as Parameters<typeof verifySolution>[0]["solution"],
          deriveKey,
          hmacSignatureSecret,
          hmacKeySignatureSecret,
        });
        if (!result.verified) return false;
      } catch {
        return false;
      }
      const t = now();
      purge(t);
      // Only a verified solution reaches the table: junk cannot fill it.
      return claimOnce(db, usedHash("altcha", params.nonce), new Date(params.expiresAt * 1000));
    },
  };
}
