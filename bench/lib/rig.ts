import pino from "pino";
import { createApp } from "../../api/app";
import { ephemeralKeys } from "../../api/bootstrap/keys";
import { seedOffices } from "../../api/bootstrap/offices";
import { type Config, parseConfig } from "../../api/config";
import type { Deps, Keys } from "../../api/context";
import { createKdfPool } from "../../api/crypto/kdf-pool";
import { getSodium } from "../../api/crypto/sodium";
import { createVault, testKdf, vaultPublicKey } from "../../api/crypto/vault";
import { loadDivisions, OfficeDirectory } from "../../api/domain/divisions";
import { createLogger } from "../../api/logger";
import { createCleaner } from "../../api/services/attachments/pool";
import { createCaptcha } from "../../api/services/captcha/create";
import { createRateLimiter } from "../../api/services/ratelimit/create";
import type { DbHandle } from "../../db/client";

export interface BenchRig {
  config: Config;
  deps: Deps;
  app: ReturnType<typeof createApp>;
}

/**
 * The app's dependencies built the way test/helpers/deps.ts builds them: CAPTCHA and rate limits
 * off, keys made in memory (the vault with the cheapest Argon2id: only its public key is used
 * here). Logs go through the real pino logger, at info, into /dev/null, so the per-request log
 * line is paid for as in production.
 */
export async function createBenchRig(handle: DbHandle, url: string): Promise<BenchRig> {
  await getSodium();
  const config = parseConfig({
    DATABASE_URL: url,
    CAPTCHA: "off",
    RATE_LIMITS: "off",
    TRACK_MIN_MS: "0",
    DEMO: "off",
    LOG_LEVEL: "info",
  });
  const offices = new OfficeDirectory(await loadDivisions(config.province));
  await seedOffices(handle.db, offices);
  const vault = await createVault(
    { name: "custodian", passphrase: "correct horse battery staple" },
    await testKdf(),
  );
  const keys: Keys = ephemeralKeys(await vaultPublicKey(vault));
  const log = createLogger(config.logLevel, pino.destination({ dest: "/dev/null", sync: false }));
  const deps: Deps = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    keys,
    log,
    offices,
    captcha: createCaptcha(config, handle.db),
    rateLimiter: createRateLimiter(config, handle.db),
    kdf: createKdfPool({ maxThreads: 1 }),
    cleaner: createCleaner(config),
    now: () => new Date(),
  };
  return { config, deps, app: createApp(deps) };
}
