import path from "node:path";
import type { Logger } from "pino";
import { type DbHandle, openDb } from "../db/client";
import { initKeys, KeysMissing, loadKeys } from "./bootstrap/keys";
import { migrateAll, migrateAtStart } from "./bootstrap/migrate";
import { seedOffices } from "./bootstrap/offices";
import type { Config } from "./config";
import type { CaptchaService, Deps, Keys, RateLimiter } from "./context";
import { createKdfPool, type KdfPoolOptions } from "./crypto/kdf-pool";
import { dummyPasswordHash } from "./crypto/password";
import { getSodium } from "./crypto/sodium";
import { clockRulesFor } from "./domain/clock-rules";
import { loadDivisions, OfficeDirectory } from "./domain/divisions";
import { onForgeablePeer } from "./http/client-source";
import { createLogger } from "./logger";
import { createCleaner } from "./services/attachments/pool";
import { prepareCalendar, startCalendarWatch } from "./services/calendar/watch";
import { createCaptcha } from "./services/captcha/create";
import { seedDemo } from "./services/demo/seed";
import { purgeExpiredGrants } from "./services/identity/purge-grants";
import { createRateLimiter } from "./services/ratelimit/create";
import { compactQueueCounts, compactStats, STATS_COMPACT_MS } from "./services/stats/compact";

/**
 * What differs between the processes that build `Deps`: the server (api/runtime.ts), the admin
 * CLI (cli/context.ts), the test rig (test/helpers/deps.ts) and the benchmarks (bench/lib/rig.ts).
 */
export interface CreateDepsOptions {
  config: Config;
  /**
   * An open database that stays the caller's to close (a test or bench database, the CLI's owner
   * connection); without it one is opened from the config and closed by `close()`.
   */
  db?: DbHandle;
  /** The office tree, when the caller has loaded it already. */
  offices?: OfficeDirectory;
  /**
   * - `at-start` (server): MIGRATE=auto migrates (as DATABASE_OWNER_URL when set), MIGRATE=off
   *   refuses a database that is behind;
   * - `if-auto` (CLI): migrates on the given handle when MIGRATE=auto, else leaves the schema
   *   to `admin migrate`;
   * - `offices` (tests, bench: the database was migrated by whoever made it): stores the
   *   office tree only.
   */
  schema: "at-start" | "if-auto" | "offices";
  /**
   * - `files`: load the key files; with the embedded database, missing ones are made first
   *   (the demo's first start), and the custodian's passphrase is written to a note;
   * - `files-if-present`: load them when they exist, else `deps.keys` throws KeysMissing when
   *   something uses it (the CLI: staff accounts need no keys, `init` makes them);
   * - a `Keys`: made by the caller (in memory, for tests and benchmarks).
   */
  keys: "files" | "files-if-present" | Keys;
  /**
   * The process answers requests (the server): warn about test-only settings, make the dummy
   * password hash now, seed the demo (DEMO=on), keep the working-day calendar current and purge
   * expired identity grants hourly. Off for the CLI (one command, then exit) and the rigs.
   */
  serving: boolean;
  /** Load the working-day calendar once (tests compute deadlines as the server does). */
  calendar?: boolean;
  /** The kdf pool's settings over the config's KDF_THREADS, KDF_QUEUE, KDF_NICE. */
  pools?: { kdf?: KdfPoolOptions };
  /** Default: pino at LOG_LEVEL on stdout. */
  log?: Logger;
  /** Where warnings about the key files go (default: the log). */
  warn?: (message: string) => void;
  now?: () => Date;
  captcha?: CaptchaService;
  rateLimiter?: RateLimiter;
}

export interface BuiltDeps {
  deps: Deps;
  handle: DbHandle;
  /** Stops the timers and closes the pools, then the database if it was opened here. */
  close(): Promise<void>;
}

/** The database the config names; `asOwner`: DATABASE_OWNER_URL when set (migrations, grants). */
export function openConfiguredDb(
  config: Config,
  opts: { asOwner?: boolean; max?: number } = {},
): Promise<DbHandle> {
  return openDb({
    url: (opts.asOwner ? config.databaseOwnerUrl : undefined) ?? config.databaseUrl,
    pgliteDir: config.embedded ? path.join(config.dataDir, "pglite") : undefined,
    max: opts.max,
  });
}

/** Expired identity grants are erased hourly even when nobody uses the feature. */
const GRANT_PURGE_MS = 60 * 60_000;

/**
 * The one place `Deps` are built. Whatever fails half-way closes what was already opened, so a
 * refused start (e.g. MIGRATE=off on a database that is behind) leaves no handle or thread.
 */
export async function createDeps(opts: CreateDepsOptions): Promise<BuiltDeps> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.logLevel);
  const warn = opts.warn ?? ((m: string) => log.warn(m));
  await getSodium();
  const handle = opts.db ?? (await openConfiguredDb(config));
  const closers: (() => void | Promise<void>)[] = [];
  if (!opts.db) closers.push(() => handle.close());
  const close = async () => {
    // Last made, first closed: timers before the pools they use, the database last.
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const offices = opts.offices ?? new OfficeDirectory(await loadDivisions(config.province));
    if (opts.schema === "at-start") await migrateAtStart(config, handle, offices);
    else if (opts.schema === "if-auto") {
      if (config.migrate === "auto") await migrateAll(handle, offices);
    } else await seedOffices(handle.db, offices);

    const keys = await resolveKeys(opts.keys, config, log, warn);
    if (opts.serving) warnTestOnlySettings(config, log);

    const kdf = createKdfPool({
      maxThreads: config.kdfThreads,
      maxQueue: config.kdfQueue,
      nice: config.kdfNice,
      ...opts.pools?.kdf,
    });
    closers.push(() => kdf.close());
    // Lazy: no thread starts unless something cleans a file.
    const cleaner = createCleaner(config);
    closers.push(() => cleaner.close());
    const deps: Deps = {
      config,
      db: handle.db,
      dbKind: handle.kind,
      keys: keys.loaded as Keys,
      log,
      offices,
      captcha:
        opts.captcha ??
        createCaptcha(config, handle.db, keys.loaded, { nojs: { minAgeSeconds: config.nojsMinAgeSeconds } }),
      rateLimiter:
        opts.rateLimiter ??
        createRateLimiter(config, handle.db, { dbKind: handle.kind, serverKey: keys.loaded?.rateLimit }),
      kdf,
      cleaner,
      now: opts.now ?? (() => new Date()),
    };
    // Tests swap keys in (`rig.deps.keys = …`), so it stays a plain property when there are keys.
    if (!keys.loaded) {
      Object.defineProperty(deps, "keys", {
        get() {
          throw new KeysMissing(keys.missing);
        },
      });
    }

    if (opts.serving) {
      // Made now, in the pool, so the first unknown-username login costs what the others cost.
      if (config.role !== "public") dummyPasswordHash(kdf).catch(() => {});
      // The working-day calendar (docs/calendar.md): official years from the database,
      // provisional for any other; warns at start and daily while a year of the next 60 days is
      // provisional.
      const calendar = await startCalendarWatch({
        db: handle.db,
        log,
        now: deps.now,
        rules: (office) => clockRulesFor(config.province, office),
        writes: config.role !== "public",
      });
      closers.push(() => calendar.stop());
      if (config.demo) await seedDemo.run(deps);
      // The verbs also purge whenever they run; the staff host alone holds grants.
      if (config.role !== "public") {
        const purge = setInterval(() => {
          purgeExpiredGrants(deps).catch((e: unknown) => {
            const x = e as { name?: string; code?: string };
            log.error({ err: { name: x?.name, code: x?.code } }, "identity grants: purge failed");
          });
        }, GRANT_PURGE_MS);
        purge.unref();
        closers.push(() => clearInterval(purge));
        // The queue counts' and the 形势分析 summary's waiting changes folded in (readers count
        // them either way).
        let compacting: Promise<unknown> | undefined;
        const compact = setInterval(() => {
          compacting ??= Promise.all([compactStats(handle.db), compactQueueCounts(handle.db)])
            .catch((e: unknown) => {
              const x = e as { name?: string; code?: string };
              log.error({ err: { name: x?.name, code: x?.code } }, "stats: compaction failed");
            })
            .finally(() => {
              compacting = undefined;
            });
        }, STATS_COMPACT_MS);
        compact.unref();
        closers.push(async () => {
          clearInterval(compact);
          await compacting;
        });
      }
    } else if (opts.calendar) {
      await prepareCalendar(handle.db);
    }
    return { deps, handle, close };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}

async function resolveKeys(
  source: CreateDepsOptions["keys"],
  config: Config,
  log: Logger,
  warn: (m: string) => void,
): Promise<{ loaded?: Keys; missing: string }> {
  if (typeof source !== "string") return { loaded: source, missing: "" };
  if (source === "files" && config.embedded) {
    const made = await initKeys(config, { custodian: "custodian" });
    if (made.custodian) {
      const f = await seedDemo.writeCustodianNote(config, made.custodian);
      log.warn(
        { file: f },
        "embedded demo: created the identity vault; the custodian passphrase was written to this file",
      );
    }
  }
  try {
    return { loaded: await loadKeys(config, { warn }), missing: "" };
  } catch (e) {
    if (source === "files" || !(e instanceof KeysMissing)) throw e;
    return { missing: e.message };
  }
}

function warnTestOnlySettings(config: Config, log: Logger): void {
  if (config.captcha.provider === "off")
    log.warn("CAPTCHA=off: for test rigs only, never on a public deployment");
  if (!config.rateLimits) log.warn("RATE_LIMITS=off: for test rigs only, never on a public deployment");
  if (config.allowedHosts.length > 0 && config.trustProxy === 0) {
    // Astro then takes the leftmost X-Forwarded-For entry, which a client can write itself.
    log.warn("ALLOWED_HOSTS is set but TRUST_PROXY=0: set TRUST_PROXY to the number of reverse proxies");
  }
  // ALLOWED_HOSTS takes effect at build time: a build made with it and served without it is only
  // seen when a request arrives (api/http/client-source.ts).
  onForgeablePeer(() =>
    log.warn(
      "a request's peer address came from X-Forwarded-For (the build has ALLOWED_HOSTS) but TRUST_PROXY=0: such requests share one rate-limit source; set TRUST_PROXY to the number of reverse proxies",
    ),
  );
}
