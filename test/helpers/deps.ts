import { Writable } from "node:stream";
import { createApp } from "../../api/app";
import { ephemeralKeys } from "../../api/bootstrap/keys";
import { seedOffices } from "../../api/bootstrap/offices";
import { type Config, parseConfig } from "../../api/config";
import type { CaptchaService, Deps, RateLimiter } from "../../api/context";
import { createKdfPool } from "../../api/crypto/kdf-pool";
import { getSodium } from "../../api/crypto/sodium";
import { createVault, testKdf, type VaultFile, vaultPublicKey } from "../../api/crypto/vault";
import { loadDivisions, OfficeDirectory } from "../../api/domain/divisions";
import { createLogger } from "../../api/logger";
import { createCleaner } from "../../api/services/attachments/pool";
import { prepareCalendar } from "../../api/services/calendar/watch";
import { createCaptcha } from "../../api/services/captcha/create";
import { createRateLimiter } from "../../api/services/ratelimit/create";
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
  const offices = new OfficeDirectory(await loadDivisions(config.province));
  await seedOffices(db.db, offices);
  // The working-day calendar as the runtime loads it (chinese-days' years stored, then read back).
  await prepareCalendar(db.db);
  const vault = await createVault(CUSTODIAN, await testKdf());
  const keys = ephemeralKeys(await vaultPublicKey(vault), config.role);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger(config.logLevel, sink);
  const deps: Deps = {
    config,
    db: db.db,
    dbKind: db.kind,
    keys,
    log,
    offices,
    captcha: opts.captcha ?? createCaptcha(config, db.db, keys),
    rateLimiter:
      opts.rateLimiter ?? createRateLimiter(config, db.db, { dbKind: db.kind, serverKey: keys.rateLimit }),
    // Normal priority unless a test asks (KDF_NICE): test machines are shared and busy.
    kdf: createKdfPool({
      maxThreads: config.kdfThreads ?? 2,
      maxQueue: config.kdfQueue,
      nice: opts.env?.KDF_NICE ? config.kdfNice : 0,
    }),
    cleaner: createCleaner(config),
    now: opts.now ?? (() => new Date()),
  };
  const app = createApp(deps);
  const destroy = async () => {
    await deps.cleaner.close();
    await deps.kdf.close();
    await db.destroy();
  };
  return { kind, db, deps, app, vault, config, logs, destroy };
}
