// The built portal on a database the test reaches too, for page tests that set up staff and
// cases directly and read back what a form changed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { initKeys, loadKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import type { Deps } from "../../api/context";
import { createLogger } from "../../api/logger";
import { type DbHandle, openDb } from "../../db/client";
import { createTestDb, type DbKind, type TestDb } from "./db";
import { type RunningServer, startServer } from "./server";

/** A page test that reaches the database restarts the server on PGlite (seconds on a busy machine). */
export const PAGES_TEST_TIMEOUT = 180_000;

/** What set-up and checks use of the app's dependencies: its database, keys, settings and clock. */
export type SiteDeps = Pick<Deps, "config" | "db" | "keys" | "log" | "now">;

export interface PagesServer {
  kind: DbKind;
  dataDir: string;
  /** The server now running (throws while it is stopped). */
  readonly server: RunningServer;
  readonly origin: string;
  /**
   * Runs `fn` on the server's database with its keys (sessions made here are the server's).
   * PostgreSQL takes both processes at once; PGlite is one process's database, so there the
   * server is stopped while `fn` runs and started again after (sessions and leases live in the
   * database and survive that).
   */
  withDb<T>(fn: (d: { deps: SiteDeps }) => Promise<T>): Promise<T>;
  /** Runs `fn` with another server on the same data (e.g. APP_ROLE=public); on PGlite in place of this one. */
  withOtherServer<T>(env: Record<string, string>, fn: (other: RunningServer) => Promise<T>): Promise<T>;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A data folder with keys made from `passphrase` (the custodian's), a fresh database of `kind`
 * (PGlite: the embedded one in DATA_DIR/pglite, as `npm start` keeps it), and the built portal
 * on both, started: it migrates the database as it does in production.
 */
export async function openPagesServer(
  kind: DbKind,
  opts: { passphrase: string; env?: Record<string, string> },
): Promise<PagesServer> {
  const dataDir = fs.mkdtempSync(path.join(process.env.QF_TMP_ROOT ?? os.tmpdir(), "qf-pages-"));
  // PostgreSQL: a database of its own, dropped at close; its handle is the test's.
  const testDb: TestDb | undefined = kind === "postgres" ? await createTestDb("postgres") : undefined;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: testDb?.url ?? "",
    DEMO: "off",
    ...opts.env,
  };
  const config = parseConfig({ CAPTCHA: "off", RATE_LIMITS: "off", ...env });
  await initKeys(config, { custodian: "custodian", passphrase: opts.passphrase });
  const keys = await loadKeys(config);
  const depsOn = (h: DbHandle): SiteDeps => ({
    config,
    db: h.db,
    keys,
    log: createLogger("silent"),
    now: () => new Date(),
  });

  let server: RunningServer | undefined;
  const self: PagesServer = {
    kind,
    dataDir,
    get server() {
      if (!server) throw new Error("the pages server is stopped");
      return server;
    },
    get origin() {
      return self.server.origin;
    },
    async withDb(fn) {
      if (testDb) return fn({ deps: depsOn(testDb) });
      const wasRunning = server !== undefined;
      await self.stop();
      const handle = await openDb({ pgliteDir: path.join(dataDir, "pglite") });
      try {
        return await fn({ deps: depsOn(handle) });
      } finally {
        await handle.close();
        if (wasRunning) await self.start();
      }
    },
    async withOtherServer(otherEnv, fn) {
      const wasRunning = server !== undefined;
      if (!testDb) await self.stop();
      const other = await startServer({ ...env, ...otherEnv });
      try {
        return await fn(other);
      } finally {
        await other.stop();
        if (!testDb && wasRunning) await self.start();
      }
    },
    async start() {
      server ??= await startServer(env);
    },
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async close() {
      await self.stop();
      await testDb?.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}

export interface PageAnswer {
  status: number;
  location: string | null;
  cacheControl: string | null;
  html: string;
}

/**
 * A page as a browser without JavaScript gets it: GET, or with `form` a same-origin form post
 * (`formOrigin` to forge another origin). Redirects are returned, not followed.
 */
export async function fetchPage(
  origin: string,
  cookie: string | undefined,
  pathname: string,
  form?: Record<string, string>,
  formOrigin?: string,
): Promise<PageAnswer> {
  const res = await fetch(`${origin}${pathname}`, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(form ? { "content-type": "application/x-www-form-urlencoded", origin: formOrigin ?? origin } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  return {
    status: res.status,
    location: res.headers.get("location"),
    cacheControl: res.headers.get("cache-control"),
    html: await res.text(),
  };
}
