import path from "node:path";
import type { Logger } from "pino";
import { type DbHandle, openDb } from "../db/client";
import { createApp } from "./app";
import { initKeys, loadKeys } from "./bootstrap/keys";
import { migrateAtStart } from "./bootstrap/migrate";
import { type Config, parseConfig } from "./config";
import type { Deps } from "./context";
import { createKdfPool } from "./crypto/kdf-pool";
import { dummyPasswordHash } from "./crypto/password";
import { getSodium } from "./crypto/sodium";
import { clockRulesFor } from "./domain/clock-rules";
import { loadDivisions, OfficeDirectory } from "./domain/divisions";
import { createLogger } from "./logger";
import { createCleaner } from "./services/attachments/pool";
import { startCalendarWatch } from "./services/calendar/watch";
import { createCaptcha } from "./services/captcha/create";
import { seedDemo } from "./services/demo/seed";
import { purgeExpiredGrants } from "./services/identity/purge-grants";
import { createRateLimiter } from "./services/ratelimit/create";

export interface Runtime {
  config: Config;
  deps: Deps;
  handle: DbHandle;
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, seeds offices, loads keys; once per process. */
export async function startRuntime(config: Config = parseConfig(), log?: Logger): Promise<Runtime> {
  const logger = log ?? createLogger(config.logLevel);
  await getSodium();
  const handle = await openDb({
    url: config.databaseUrl,
    pgliteDir: config.embedded ? path.join(config.dataDir, "pglite") : undefined,
  });
  const offices = new OfficeDirectory(await loadDivisions(config.province));
  await migrateAtStart(config, handle, offices);
  if (config.embedded) {
    const made = await initKeys(config, { custodian: "custodian" });
    if (made.custodian) {
      const f = await seedDemo.writeCustodianNote(config, made.custodian);
      logger.warn(
        { file: f },
        "embedded demo: created the identity vault; the custodian passphrase was written to this file",
      );
    }
  }
  const keys = await loadKeys(config, { warn: (m) => logger.warn(m) });
  if (config.captcha.provider === "off")
    logger.warn("CAPTCHA=off: for test rigs only, never on a public deployment");
  if (!config.rateLimits) logger.warn("RATE_LIMITS=off: for test rigs only, never on a public deployment");
  if (config.allowedHosts.length > 0 && config.trustProxy === 0) {
    // Astro then takes the leftmost X-Forwarded-For entry, which a client can write itself.
    logger.warn("ALLOWED_HOSTS is set but TRUST_PROXY=0: set TRUST_PROXY to the number of reverse proxies");
  }
  const deps: Deps = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    keys,
    log: logger,
    offices,
    captcha: createCaptcha(config, handle.db, keys, { nojs: { minAgeSeconds: config.nojsMinAgeSeconds } }),
    rateLimiter: createRateLimiter(config, handle.db, { dbKind: handle.kind, serverKey: keys.rateLimit }),
    kdf: createKdfPool({ maxThreads: config.kdfThreads, maxQueue: config.kdfQueue, nice: config.kdfNice }),
    cleaner: createCleaner(config),
    now: () => new Date(),
  };
  // Made now, in the pool, so the first unknown-username login costs what the others cost.
  if (config.role !== "public") dummyPasswordHash(deps.kdf).catch(() => {});
  // The working-day calendar (docs/calendar.md): official years from the database, provisional
  // for any other; warns at start and daily while a year of the next 60 days is provisional.
  const calendar = await startCalendarWatch({
    db: handle.db,
    log: logger,
    now: deps.now,
    rules: clockRulesFor(config.province),
    writes: config.role !== "public",
  });
  if (config.demo) await seedDemo.run(deps);
  // Expired identity grants are erased hourly even when nobody uses the feature (the verbs also
  // purge whenever they run); the staff host alone holds them.
  const grantPurge =
    config.role !== "public"
      ? setInterval(() => {
          purgeExpiredGrants(deps).catch((e: unknown) => {
            const x = e as { name?: string; code?: string };
            logger.error({ err: { name: x?.name, code: x?.code } }, "identity grants: purge failed");
          });
        }, GRANT_PURGE_MS)
      : undefined;
  grantPurge?.unref();
  const app = createApp(deps);
  const close = async () => {
    if (grantPurge) clearInterval(grantPurge);
    calendar.stop();
    await deps.cleaner.close();
    await deps.kdf.close();
    await handle.close();
  };
  return { config, deps, handle, app, close };
}

const GRANT_PURGE_MS = 60 * 60_000;

let current: Promise<Runtime> | undefined;

/** The process-wide runtime, shared by the API bridge and the pages (one database handle). */
export function getRuntime(): Promise<Runtime> {
  current ??= startRuntime().catch((e) => {
    current = undefined;
    throw e;
  });
  return current;
}
