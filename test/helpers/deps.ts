import { Writable } from "node:stream";
import { createApp } from "../../api/app";
import { ephemeralKeys } from "../../api/bootstrap/keys";
import { type Config, parseConfig } from "../../api/config";
import type { CaptchaService, Deps, RateLimiter } from "../../api/context";
import { getSodium } from "../../api/crypto/sodium";
import { createVault, testKdf, type VaultFile, vaultPublicKey } from "../../api/crypto/vault";
import { createDeps } from "../../api/deps";
import { createLogger } from "../../api/logger";
import { createTestDb, type DbKind, type TestDb } from "./db";

export const CUSTODIAN = { name: "custodian", passphrase: "correct horse battery staple" };

export interface TestRig {
  kind: DbKind;
  db: TestDb;
  deps: Deps;
  app: ReturnType<typeof createApp>;
  vault: VaultFile;
  config: Config;
  /** Every log line written so far, raw. */
  logs: string[];
  destroy(): Promise<void>;
}

export interface RigOptions {
  env?: Record<string, string>;
  now?: () => Date;
  captcha?: CaptchaService;
  rateLimiter?: RateLimiter;
  dbMax?: number;
}

/** A complete app on a fresh database, with keys made in memory and logs captured. */
export async function createRig(kind: DbKind, opts: RigOptions = {}): Promise<TestRig> {
  await getSodium();
  const config = parseConfig({
    CAPTCHA: "off",
    RATE_LIMITS: "off",
    TRACK_MIN_MS: "0",
    DEMO: "off",
    LOG_LEVEL: "info",
    ...(kind === "postgres" ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
    ...opts.env,
  });
  const db = await createTestDb(kind, { max: opts.dbMax });
  const vault = await createVault(CUSTODIAN, await testKdf());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const built = await createDeps({
    config,
    db,
    schema: "offices",
    keys: ephemeralKeys(await vaultPublicKey(vault), config.role),
    serving: false,
    // The working-day calendar as the runtime loads it (chinese-days' years stored, then read back).
    calendar: true,
    log: createLogger(config.logLevel, sink),
    now: opts.now,
    captcha: opts.captcha,
    rateLimiter: opts.rateLimiter,
    // Normal priority unless a test asks (KDF_NICE): test machines are shared and busy.
    pools: { kdf: { maxThreads: config.kdfThreads ?? 2, nice: opts.env?.KDF_NICE ? config.kdfNice : 0 } },
  }).catch(async (e) => {
    await db.destroy();
    throw e;
  });
  const destroy = async () => {
    await built.close();
    await db.destroy();
  };
  return { kind, db, deps: built.deps, app: createApp(built.deps), vault, config, logs, destroy };
}
