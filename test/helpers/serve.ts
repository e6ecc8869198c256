// Serves one runtime's Hono app (the API only, no Astro pages) with @hono/node-server, for tests
// and benchmarks that need real HTTP and more than one process on one database.
//
// As a script:   SERVE_PORT=0 DATABASE_URL=… DATA_DIR=… npx tsx test/helpers/serve.ts
//   prints one JSON line {"listening":<port>,"origin":"http://127.0.0.1:<port>"} on stdout once it
//   answers, and stops cleanly on SIGTERM/SIGINT. Configuration is the app's own (api/config.ts):
//   DATABASE_URL, DATA_DIR (key files), CAPTCHA, RATE_LIMITS, LOG_LEVEL, LEASE_MINUTES, …;
//   SERVE_PORT picks the port (0, the default, takes a free one).
// From a test:   const s = await startServeProcess({ DATABASE_URL, DATA_DIR }); … await s.stop();
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SELF = fileURLToPath(import.meta.url);

export interface ServeProcess {
  origin: string;
  port: number;
  proc: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts this file in a child process (Node with tsx) and resolves once it listens. `env` is
 * added to the test's environment; captcha and rate limits are off unless `env` says otherwise.
 */
export async function startServeProcess(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServeProcess> {
  let out = "";
  const proc = spawn(process.execPath, ["--import", "tsx", SELF], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      SERVE_PORT: "0",
      CAPTCHA: "off",
      RATE_LIMITS: "off",
      DEMO: "off",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const listening = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve.ts did not start in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    proc.stdout!.on("data", (d: Buffer) => {
      out += d;
      const m = /\{"listening":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.stderr!.on("data", (d: Buffer) => {
      out += d;
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.ts exited with ${code}:\n${out}`));
    });
  });
  const port = await listening;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    proc,
    output: () => out,
    stop: () => stopChild(proc),
  };
}

/**
 * Stops a child server with SIGTERM, killing it if it has not exited within `graceMs` (a deadline,
 * not a wait). Resolves once its output pipes are drained too ('close', not 'exit': 'exit' can come
 * before the last chunk of stdout reaches the parent, and a test reading the log after stop()
 * would miss the last line). A grandchild still holding the pipes cannot keep it waiting past
 * `graceMs` after the exit.
 */
export async function stopChild(proc: ChildProcess, graceMs = 5000): Promise<void> {
  const closed = new Promise<void>((r) => {
    if (proc.stdout?.closed !== false && proc.stderr?.closed !== false && proc.exitCode !== null) r();
    proc.once("close", () => r());
  });
  const exited = new Promise<void>((r) => {
    if (proc.exitCode !== null || proc.signalCode !== null) r();
    else proc.once("exit", () => r());
  });
  if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  let drainTimer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((r) => (drainTimer = setTimeout(r, graceMs)))]);
  clearTimeout(drainTimer);
}

async function main(): Promise<void> {
  const { serve } = await import("@hono/node-server");
  const { parseConfig } = await import("../../api/config");
  const { startRuntime } = await import("../../api/runtime");
  const config = parseConfig(process.env);
  const runtime = await startRuntime(config);
  const port = Number(process.env.SERVE_PORT ?? "0");
  const server = serve({ fetch: runtime.app.fetch, port, hostname: config.host }, (info) => {
    process.stdout.write(
      `${JSON.stringify({ listening: info.port, origin: `http://${config.host}:${info.port}` })}\n`,
    );
  });
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    server.close(() => {
      runtime.close().finally(() => process.exit(0));
    });
    // Keep-alive connections would hold close() open: give them a moment, then go.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  main().catch((e) => {
    process.stderr.write(`serve.ts failed: ${(e as Error)?.message ?? e}\n`);
    process.exit(1);
  });
}
