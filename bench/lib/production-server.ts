// The production server as `npm run serve` starts it (node [its flags] scripts/start.mjs on the built dist/),
// in its own process, for the benches that measure what users run.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { initKeys } from "../../api/bootstrap/keys";
import { type Config, parseConfig } from "../../api/config";
import { freePort } from "./child";

export interface ProductionServer {
  process: ChildProcess;
  /** SIGTERM, then SIGKILL after five seconds; resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * The environment and Node flags `npm run serve` gives (package.json: `[NAME=value …] node
 * <flags> scripts/start.mjs`), so the bench starts the server exactly as it runs: the young
 * generation's size and glibc's arena count are two of them (bench/RESULTS.md "memory").
 */
export function serveCommand(root: string): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const m = /^((?:[A-Z_][A-Z0-9_]*=\S*\s+)*)node\s+(.*?)\s*scripts\/start\.mjs$/.exec(
    pkg.scripts.serve.trim(),
  );
  if (!m)
    throw new Error(`package.json's serve script is not "[NAME=value …] node [flags] scripts/start.mjs"`);
  const env = Object.fromEntries(
    m[1]
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]),
  );
  return { env, flags: m[2].split(/\s+/).filter(Boolean) };
}

/** Starts it with `env` added to this process's and waits until `${origin}/api/v1/healthz` answers. */
export async function startProductionServer(
  root: string,
  origin: string,
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<ProductionServer> {
  const serve = serveCommand(root);
  const child = spawn(process.execPath, [...serve.flags, "scripts/start.mjs"], {
    cwd: root,
    env: { ...process.env, ...serve.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let serverErr = "";
  child.stderr?.on("data", (d) => {
    serverErr += d;
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${serverErr}`);
    const ok = await fetch(`${origin}/api/v1/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { process: child, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server did not start: ${serverErr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The settings a bench starts the production server with on its own database and data folder
 * (a free port, no demo, no rate limits, quiet logs, long sessions; `extra` adds or overrides),
 * with the key files made, and the parsed config (for signing staff in from the bench).
 */
export async function benchServerSettings(
  dataDir: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
): Promise<{ origin: string; env: Record<string, string>; config: Config }> {
  const port = await freePort();
  const env: Record<string, string> = {
    HOST: "127.0.0.1",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DEMO: "off",
    RATE_LIMITS: "off",
    LOG_LEVEL: "warn",
    SESSION_IDLE_MINUTES: "600",
    ...extra,
  };
  const config = parseConfig({ ...process.env, ...env });
  await initKeys(config);
  return { origin: `http://127.0.0.1:${port}`, env, config };
}
