import type { Logger } from "pino";
import type { Db, Tx } from "../db/client";
import type { Config } from "./config";
import type { KdfPool } from "./crypto/kdf-pool";
import type { OfficeDirectory } from "./domain/divisions";
import type { Cleaner } from "./services/attachments/pool";

/**
 * `identity_requester`: may ask a custodian for the reporter's contact details of a real-name
 * case held by their own office (dual control, services/identity/request.ts).
 * `leader`: a leader of the office (书记、分管领导): writes 批示 on the cases put before them,
 * keeps the 书记阅批件 ledger (销号, 督办批示), and from above takes up (提级办理) or reviews
 * (提级审核) a case of an office below (services/leaders/).
 * `integrity_reply`: answers 党风廉政意见回复 requests (e.g. from 省委组织部): searches the five-year
 * history of a person reported across the province, with a stated purpose and requesting body,
 * audited, and links a 被反映人 mention to a person record (services/persons/, docs/notes-person.md).
 * `cadre_report`: named staff of the province office who may produce the monthly summary of
 * 信访件 about 省管干部 (services/cadre/summary.ts); the province office's leaders may too.
 */
export const ROLES = [
  "intake",
  "handler",
  "supervisor",
  "custodian",
  "admin",
  "identity_requester",
  "leader",
  "integrity_reply",
  "cadre_report",
] as const;
export type Role = (typeof ROLES)[number];

export type Actor =
  | { kind: "reporter" }
  | { kind: "staff"; id: string; username: string; officeCode: string; roles: Role[] }
  | { kind: "system"; name: string };

export type StaffActor = Extract<Actor, { kind: "staff" }>;

/**
 * Secrets the process holds, one key per purpose (api/bootstrap/keys.ts derives them with keyed
 * BLAKE2b). The public ones come from the public secret, which every host holds; the staff ones
 * from the staff secret, which only the staff host holds: an APP_ROLE=public process has none of
 * them (undefined), so nothing it holds can forge a session, open a TOTP secret or an attachment.
 */
export interface Keys {
  vaultPublicKey: Uint8Array;
  /** Key of the keyed BLAKE2b over tracking codes; never in the database. */
  trackingKey: Uint8Array;
  /** ALTCHA HMAC keys, no-JavaScript captcha tokens, used-captcha hashes. */
  captcha: Uint8Array;
  /** Pepper of the rate limiter's day keys. */
  rateLimit: Uint8Array;
  /** Idempotency-Key hashes and the sealed first answers. */
  idempotency: Uint8Array;
  /** X25519 public key clean copies' data keys are sealed to at intake (every host). */
  attachmentsPublic: Uint8Array;
  /** Staff session token hashes (staff host only). */
  session?: Uint8Array;
  /** Wraps staff TOTP secrets (staff host only). */
  totp?: Uint8Array;
  /** Unwraps the data keys of attachments' clean copies (staff host only). */
  attachments?: Uint8Array;
  /** Per-username login back-off keys (staff host only). */
  loginBackoff?: Uint8Array;
  /** Time-limited grants of reporters' contact details (staff host only). */
  identityGrants?: Uint8Array;
  /** Keyed hash of a person reported's 身份证号 in person records (staff host only). */
  personIds?: Uint8Array;
}

/** Captcha behind one interface; the default is self-hosted proof of work. */
export interface CaptchaService {
  provider: "altcha" | "hcaptcha" | "off";
  /** The public challenge (GET /api/v1/captcha). */
  challenge(): Promise<Record<string, unknown>>;
  /**
   * True when the solution is valid and unused; marks it used. Accepts the provider's answer
   * (ALTCHA payload, hCaptcha token) or the no-JavaScript token from `noJsToken()`; which one it
   * is shows in its form (services/captcha/nojs.ts `isNoJsToken`), so a caller can pick the
   * stricter rate-limit bucket before verifying.
   */
  verify(solution: string | undefined): Promise<boolean>;
  /**
   * A signed, expiring, single-use token for forms shown to browsers without JavaScript
   * (site/components/CaptchaWidget.astro). Absent when the captcha is off.
   */
  noJsToken?(): Promise<string>;
}

export interface RateLimiter {
  /** Counts one hit for (bucket, source); returns seconds to wait when over the limit. */
  hit(
    bucket: string,
    source: string,
    weight?: number,
  ): Promise<{ ok: true } | { ok: false; retryAfter: number }>;
}

export interface Deps {
  config: Config;
  db: Db;
  dbKind: "postgres" | "pglite";
  keys: Keys;
  log: Logger;
  offices: OfficeDirectory;
  captcha: CaptchaService;
  rateLimiter: RateLimiter;
  /** Argon2id in worker threads (password checks, vault unwrap): never on the event loop. */
  kdf: KdfPool;
  /** The attachment-cleaning worker pool (one per process; closed with the runtime). */
  cleaner: Cleaner;
  now: () => Date;
}

export interface Ctx {
  deps: Deps;
  actor: Actor;
  requestId: string;
  tx?: Tx;
}

export interface VerbArgs<I> {
  ctx: Ctx;
  input: I;
}
