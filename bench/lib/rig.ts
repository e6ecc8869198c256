import pino from "pino";
import { createApp } from "../../api/app";
import { ephemeralKeys } from "../../api/bootstrap/keys";
import { type Config, parseConfig } from "../../api/config";
import type { Deps } from "../../api/context";
import { createVault, testKdf, vaultPublicKey } from "../../api/crypto/vault";
import { createDeps } from "../../api/deps";
import { createLogger } from "../../api/logger";
import type { DbHandle } from "../../db/client";

export interface BenchRig {
  config: Config;
  deps: Deps;
  app: ReturnType<typeof createApp>;
  /** Closes the pools; the database handle stays the caller's. */
  close(): Promise<void>;
}

/**
 * The app's dependencies built as the test rig builds them (api/deps.ts): CAPTCHA and rate limits
 * off, keys made in memory (the vault with the cheapest Argon2id: only its public key is used
 * here). Logs go through the real pino logger, at info, into /dev/null, so the per-request log
 * line is paid for as in production.
 */
export async function createBenchRig(handle: DbHandle, url: string): Promise<BenchRig> {
  const config = parseConfig({
    DATABASE_URL: url,
    CAPTCHA: "off",
    RATE_LIMITS: "off",
    TRACK_MIN_MS: "0",
    DEMO: "off",
    LOG_LEVEL: "info",
  });
  const vault = await createVault(
    { name: "custodian", passphrase: "correct horse battery staple" },
    await testKdf(),
  );
  const { deps, close } = await createDeps({
    config,
    db: handle,
    schema: "offices",
    keys: ephemeralKeys(await vaultPublicKey(vault)),
    serving: false,
    log: createLogger(config.logLevel, pino.destination({ dest: "/dev/null", sync: false })),
    pools: { kdf: { maxThreads: 1 } },
  });
  return { config, deps, app: createApp(deps), close };
}
