import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import {
  type CaseNumberPattern,
  CaseNumberPatternError,
  DEFAULT_CASE_NUMBER_PATTERN,
  parseCaseNumberPattern,
} from "./domain/case-number";
import {
  DEFAULT_DOCUMENT_NUMBER_PATTERN,
  type DocumentNumberPattern,
  parseDocumentNumberPattern,
} from "./domain/document-number";

// The one place that reads process.env. Everything else receives a Config.
const bool = (def: "on" | "off") => z.enum(["on", "off"]).default(def);

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** The owner's connection, for migrations (`admin migrate`, and at start with MIGRATE=auto); never on the public host. */
  DATABASE_OWNER_URL: z.string().url().optional(),
  /** auto: migrate at start (as DATABASE_OWNER_URL when set, else DATABASE_URL); off: only `admin migrate` does. */
  MIGRATE: z.enum(["auto", "off"]).default("auto"),
  DATA_DIR: z.string().default("./data"),
  PORT: z.coerce.number().int().min(1).max(65535).default(4321),
  HOST: z.string().default("127.0.0.1"),
  APP_ROLE: z.enum(["all", "public", "staff"]).default("all"),
  PROVINCE: z
    .string()
    .regex(/^\d{2}0000$/)
    .default("430000"),
  VAULT_FILE: z.string().optional(),
  VAULT_PUBLIC_KEY_FILE: z.string().optional(),
  TRACKING_KEY_FILE: z.string().optional(),
  /** The pre-split single server secret ({ serverKey }); read only when the two files below are absent. */
  SECRETS_FILE: z.string().optional(),
  /** { publicKey }: captcha, rate limits, idempotency. On every host. */
  PUBLIC_SECRETS_FILE: z.string().optional(),
  /** { staffKey }: sessions, TOTP, attachment keys, login back-off. Staff host only; APP_ROLE=public never reads it. */
  STAFF_SECRETS_FILE: z.string().optional(),
  ANCHOR_KEY_FILE: z.string().optional(),
  ANCHOR_PUBLIC_KEY_FILE: z.string().optional(),
  /**
   * A text search in newest order first reads at most this many newest cases (0: never), received
   * at most REGISTER_WINDOW_DAYS before the page; see api/services/register/query.ts.
   */
  REGISTER_PROBE_ROWS: z.coerce.number().int().min(0).max(100_000).default(2000),
  REGISTER_WINDOW_DAYS: z.coerce.number().int().min(0).max(3650).default(92),
  ALLOWED_HOSTS: z.string().default(""),
  CAPTCHA: z.enum(["altcha", "hcaptcha", "off"]).default("altcha"),
  HCAPTCHA_SITEKEY: z.string().optional(),
  HCAPTCHA_SECRET: z.string().optional(),
  RATE_LIMITS: bool("on"),
  /** Per-bucket overrides, e.g. "reports=20/3600,track=30/600" (limit/seconds); defaults in services/ratelimit/buckets.ts. */
  RATE_LIMIT_BUCKETS: z.string().default(""),
  /** Reverse proxies in front of the app that append to X-Forwarded-For; 0 = trust no forwarded address. */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Argon2id worker threads (password checks, vault unwrap); default 2, or 1 with ≤2 CPUs. */
  KDF_THREADS: z.coerce.number().int().min(1).max(16).optional(),
  /** Argon2id tasks that may wait for a thread; past that, 503 with Retry-After. */
  KDF_QUEUE: z.coerce.number().int().min(1).max(1000).default(16),
  /** Linux nice value of the Argon2id threads: 10 lets the event loop win the CPU; 0 = normal. */
  KDF_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Failed logins per username before the back-off starts (api/services/staff/backoff.ts). */
  LOGIN_BACKOFF_FREE: z.coerce.number().int().min(1).max(100).default(5),
  /** First back-off, doubled for each further failure. */
  LOGIN_BACKOFF_BASE_SECONDS: z.coerce.number().int().min(1).default(1),
  /** Longest back-off. */
  LOGIN_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).default(900),
  STAFF_TOTP: z.enum(["optional", "required"]).default("optional"),
  DEMO: z.enum(["auto", "on", "off"]).default("auto"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MAX_JSON_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  MAX_FILES: z.coerce.number().int().min(0).max(20).default(5),
  MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Attachment cleaning (api/services/attachments/pool.ts): memory per worker thread (V8 heap and WebAssembly each). */
  CLEAN_MEMORY_MB: z.coerce.number().int().min(32).max(4096).default(256),
  /** Time one file may take to clean before its thread is terminated and the file refused. */
  CLEAN_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /** Largest image (width × height) the cleaner decodes; more is 422 file.too_complex. 48 MP phone photos pass. */
  CLEAN_MAX_PIXELS: z.coerce.number().int().min(1_000_000).max(1_000_000_000).default(100_000_000),
  /** Cleaning threads; at most the number of cores. Default: the cores, at most 4. */
  CLEAN_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** Page forms without files (/track, /staff/…): body cap in bytes. */
  MAX_FORM_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024),
  /** The report page's form when it carries no file (a long narrative fits). */
  MAX_REPORT_FORM_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(300 * 1024),
  TRACK_MIN_MS: z.coerce.number().int().min(0).default(250),
  /** The no-JavaScript captcha token is valid from this many seconds after the form was made (a person takes longer; a script does not). Test rigs lower it. */
  NOJS_MIN_AGE_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
  /** How long a retry with the same Idempotency-Key gets the first answer; then the record is purged. */
  IDEMPOTENCY_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  LEASE_MINUTES: z.coerce.number().int().min(1).default(15),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  /** Days an approved identity request lets its requester see the contact details (dual control). */
  IDENTITY_GRANT_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  TLS: z.enum(["auto", "on", "off"]).default("auto"),
  /** How an office's 信访件编号 reads: {office} short name, {year}, {n} (or {n:4}, zero-padded). */
  CASE_NUMBER_PATTERN: z.string().default(DEFAULT_CASE_NUMBER_PATTERN),
  /** 文号 of 转办单/交办函/督办函: the case number's placeholders and {kind} (转, 交, 督). */
  DOCUMENT_NUMBER_PATTERN: z.string().default(DEFAULT_DOCUMENT_NUMBER_PATTERN),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  databaseUrl: string | undefined;
  /** Owner connection for migrations; undefined: migrations use databaseUrl (or the embedded PGlite). */
  databaseOwnerUrl: string | undefined;
  migrate: "auto" | "off";
  embedded: boolean;
  dataDir: string;
  port: number;
  host: string;
  role: "all" | "public" | "staff";
  province: string;
  vaultFile: string;
  vaultPublicKeyFile: string;
  trackingKeyFile: string;
  /** Legacy single-secret file (read when publicSecretsFile is absent). */
  secretsFile: string;
  publicSecretsFile: string;
  staffSecretsFile: string;
  anchorKeyFile: string;
  anchorPublicKeyFile: string;
  allowedHosts: string[];
  captcha: { provider: "altcha" | "hcaptcha" | "off"; hcaptchaSitekey?: string; hcaptchaSecret?: string };
  rateLimits: boolean;
  rateLimitBuckets: string;
  trustProxy: number;
  staffTotp: "optional" | "required";
  kdfThreads: number | undefined;
  kdfQueue: number;
  kdfNice: number;
  loginBackoff: { free: number; baseSeconds: number; maxSeconds: number };
  demo: boolean;
  logLevel: Env["LOG_LEVEL"];
  maxJsonBytes: number;
  maxFiles: number;
  maxFileBytes: number;
  cleanMemoryMb: number;
  cleanTimeoutMs: number;
  cleanWorkers: number;
  cleanMaxPixels: number;
  maxFormBytes: number;
  maxReportFormBytes: number;
  trackMinMs: number;
  nojsMinAgeSeconds: number;
  idempotencyHours: number;
  leaseMinutes: number;
  sessionIdleMinutes: number;
  identityGrantDays: number;
  secureCookies: boolean | "auto";
  /** CASE_NUMBER_PATTERN, checked (api/domain/case-number.ts). */
  caseNumberPattern: CaseNumberPattern;
  /** DOCUMENT_NUMBER_PATTERN, checked (api/domain/document-number.ts). */
  documentNumberPattern: DocumentNumberPattern;
  registerProbeRows: number;
  registerWindowDays: number;
}

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means unset (DATABASE_URL= in a shell or a unit file).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new ConfigError(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  let provider = e.CAPTCHA;
  if (e.HCAPTCHA_SITEKEY && e.HCAPTCHA_SECRET && !cleaned.CAPTCHA) provider = "hcaptcha";
  if (provider === "hcaptcha" && !(e.HCAPTCHA_SITEKEY && e.HCAPTCHA_SECRET)) {
    throw new ConfigError("CAPTCHA=hcaptcha needs HCAPTCHA_SITEKEY and HCAPTCHA_SECRET");
  }
  let caseNumberPattern: CaseNumberPattern;
  try {
    caseNumberPattern = parseCaseNumberPattern(e.CASE_NUMBER_PATTERN);
  } catch (err) {
    if (!(err instanceof CaseNumberPatternError)) throw err;
    throw new ConfigError(`Invalid configuration:\n  CASE_NUMBER_PATTERN: ${err.message}`);
  }
  let documentNumberPattern: DocumentNumberPattern;
  try {
    documentNumberPattern = parseDocumentNumberPattern(e.DOCUMENT_NUMBER_PATTERN);
  } catch (err) {
    if (!(err instanceof CaseNumberPatternError)) throw err;
    throw new ConfigError(`Invalid configuration:\n  DOCUMENT_NUMBER_PATTERN: ${err.message}`);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    migrate: e.MIGRATE,
    embedded: !e.DATABASE_URL,
    dataDir,
    port: e.PORT,
    host: e.HOST,
    role: e.APP_ROLE,
    province: e.PROVINCE,
    vaultFile: path.resolve(e.VAULT_FILE ?? path.join(dataDir, "vault.json")),
    vaultPublicKeyFile: path.resolve(e.VAULT_PUBLIC_KEY_FILE ?? path.join(dataDir, "vault.pub")),
    trackingKeyFile: path.resolve(e.TRACKING_KEY_FILE ?? path.join(dataDir, "tracking.key")),
    secretsFile: path.resolve(e.SECRETS_FILE ?? path.join(dataDir, "secrets.json")),
    publicSecretsFile: path.resolve(e.PUBLIC_SECRETS_FILE ?? path.join(dataDir, "public-secrets.json")),
    staffSecretsFile: path.resolve(e.STAFF_SECRETS_FILE ?? path.join(dataDir, "staff-secrets.json")),
    anchorKeyFile: path.resolve(e.ANCHOR_KEY_FILE ?? path.join(dataDir, "anchor.key")),
    anchorPublicKeyFile: path.resolve(e.ANCHOR_PUBLIC_KEY_FILE ?? path.join(dataDir, "anchor.pub")),
    allowedHosts: e.ALLOWED_HOSTS.split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    captcha: { provider, hcaptchaSitekey: e.HCAPTCHA_SITEKEY, hcaptchaSecret: e.HCAPTCHA_SECRET },
    rateLimits: e.RATE_LIMITS === "on",
    rateLimitBuckets: e.RATE_LIMIT_BUCKETS,
    trustProxy: e.TRUST_PROXY,
    staffTotp: e.STAFF_TOTP,
    kdfThreads: e.KDF_THREADS,
    kdfQueue: e.KDF_QUEUE,
    kdfNice: e.KDF_NICE,
    loginBackoff: {
      free: e.LOGIN_BACKOFF_FREE,
      baseSeconds: e.LOGIN_BACKOFF_BASE_SECONDS,
      maxSeconds: Math.max(e.LOGIN_BACKOFF_MAX_SECONDS, e.LOGIN_BACKOFF_BASE_SECONDS),
    },
    demo: e.DEMO === "on" || (e.DEMO === "auto" && !e.DATABASE_URL),
    logLevel: e.LOG_LEVEL,
    maxJsonBytes: e.MAX_JSON_BYTES,
    maxFiles: e.MAX_FILES,
    maxFileBytes: e.MAX_FILE_BYTES,
    cleanMemoryMb: e.CLEAN_MEMORY_MB,
    cleanTimeoutMs: e.CLEAN_TIMEOUT_MS,
    cleanWorkers: Math.min(e.CLEAN_WORKERS ?? 4, availableParallelism()),
    cleanMaxPixels: e.CLEAN_MAX_PIXELS,
    maxFormBytes: e.MAX_FORM_BYTES,
    maxReportFormBytes: e.MAX_REPORT_FORM_BYTES,
    trackMinMs: e.TRACK_MIN_MS,
    nojsMinAgeSeconds: e.NOJS_MIN_AGE_SECONDS,
    idempotencyHours: e.IDEMPOTENCY_HOURS,
    leaseMinutes: e.LEASE_MINUTES,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    identityGrantDays: e.IDENTITY_GRANT_DAYS,
    secureCookies: e.TLS === "auto" ? "auto" : e.TLS === "on",
    caseNumberPattern,
    documentNumberPattern,
    registerProbeRows: e.REGISTER_PROBE_ROWS,
    registerWindowDays: e.REGISTER_WINDOW_DAYS,
  };
}
