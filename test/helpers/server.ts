import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { restorePgliteTemplate } from "./db";
import { stopChild } from "./serve";
import { checkBuild, DIST, entryOf, ROOT } from "./site-build";
import { waitFor } from "./wait";

export { ROOT };
export const ENTRY = entryOf(DIST);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

// Data folders this process made: removed when the test worker exits (a test may still read the
// database after stopping the server, so not at stop()).
const made: string[] = [];
function madeDir(dir: string): string {
  if (made.length === 0) {
    process.once("exit", () => {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  made.push(dir);
  return dir;
}

export interface RunningServer {
  origin: string;
  dataDir: string;
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the built portal (as `npm run serve` does: scripts/start.mjs) on a free port with its own data
 * folder and the embedded database unless `env` says otherwise. The build is made once per
 * `npm test` by test/global-setup.ts; `opts.dist` names another (see site-build.ts).
 */
export async function startServer(
  env: Record<string, string> = {},
  opts: { dist?: string } = {},
): Promise<RunningServer> {
  const dist = opts.dist ?? DIST;
  checkBuild(dist, env);
  const port = await freePort();
  const dataDir =
    env.DATA_DIR ?? madeDir(fs.mkdtempSync(path.join(process.env.QF_TMP_ROOT ?? os.tmpdir(), "qf-e2e-")));
  // The embedded database starts from the run's migrated template (the server's own migration
  // step then finds nothing to do); a database of env.DATABASE_URL is the caller's.
  if (!env.DATABASE_URL) await restorePgliteTemplate(dataDir);
  let out = "";
  // Exactly what `npm run serve` runs (scripts/start.mjs: the edge in front of Astro and Hono).
  const proc = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs"), dist], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      CAPTCHA: "off",
      RATE_LIMITS: "off",
      TRACK_MIN_MS: "0",
      LOG_LEVEL: "info",
      DATABASE_URL: "",
      APP_ROLE: "all",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout!.on("data", (d) => {
    out += d;
  });
  proc.stderr!.on("data", (d) => {
    out += d;
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(
    () => `the server to answer /api/v1/healthz:\n${out}`,
    async () => {
      if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
      return fetch(`${origin}/api/v1/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
    },
    { timeoutMs: 90_000, everyMs: 200 },
  );
  return {
    origin,
    dataDir,
    proc,
    output: () => out,
    stop: () => stopChild(proc),
  };
}
