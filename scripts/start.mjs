// The production server (`npm run serve`; `npm start` builds first): one node:http server per
// process that hands /api to the Hono app and everything else to Astro's handler
// (api/http/edge-server.ts, built into dist/server/edge.mjs beside Astro's dist/server/entry.mjs).
// It makes sure ./data exists, and turns the runtime on before the first request so a newcomer
// sees where the demo logins are.
//
//   node scripts/start.mjs [dist]     dist: the build to serve (default ./dist)
//   WORKERS=N                         N processes behind one port (node:cluster), PostgreSQL only
//
// `node dist/server/entry.mjs` alone still starts Astro's own server (every request through
// the pages' pipeline, /api by the bridge site/pages/api/[...path].ts): not how to run it.
import cluster from "node:cluster";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { pathToFileURL } from "node:url";

process.env.HOST ??= "127.0.0.1";
process.env.PORT ??= "4321";
const dist = path.resolve(process.argv[2] ?? "dist");
const workers = Number(process.env.WORKERS ?? "1");
const base = `http://${process.env.HOST}:${process.env.PORT}`;
const line = (level, msg, extra = {}) =>
  JSON.stringify({ app: "qingfeng", src: "start", level, msg, ...extra });

if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
  console.error(`WORKERS=${process.env.WORKERS}: a whole number from 1 to 64`);
  process.exit(1);
}
if (workers > 1 && !process.env.DATABASE_URL) {
  // The embedded database lives in one process; several processes share PostgreSQL.
  console.error("WORKERS > 1 needs DATABASE_URL (PostgreSQL): the embedded database has one process");
  process.exit(1);
}
if (!process.env.DATABASE_URL) {
  // ./data holds the embedded database and the key files: the operator's alone.
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}
const entry = path.join(dist, "server/entry.mjs");
const edge = path.join(dist, "server/edge.mjs");
if (!fs.existsSync(entry) || !fs.existsSync(edge)) {
  console.error(`${entry} or edge.mjs not found: run \`npm run build\` first (npm start does).`);
  process.exit(1);
}

/** One process's server: the edge listener on HOST:PORT (the cluster shares the port). */
async function serve() {
  // Astro's standalone server must not start by itself: this process serves its handler.
  process.env.ASTRO_NODE_AUTOSTART = "disabled";
  const { handler } = await import(pathToFileURL(entry).href);
  const { createEdgeHandler, startEdgeRuntime, stopEdgeRuntime } = await import(pathToFileURL(edge).href);
  const listener = createEdgeHandler(handler);
  // As @astrojs/node's standalone server: TLS when both files are named.
  const server =
    process.env.SERVER_CERT_PATH && process.env.SERVER_KEY_PATH
      ? https.createServer(
          {
            key: fs.readFileSync(process.env.SERVER_KEY_PATH),
            cert: fs.readFileSync(process.env.SERVER_CERT_PATH),
          },
          listener,
        )
      : http.createServer(listener);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(process.env.PORT), process.env.HOST, resolve);
  });
  stopOnSignal(server, stopEdgeRuntime);
  return { server, startEdgeRuntime };
}

/**
 * SIGTERM/SIGINT (systemctl stop, Ctrl-C, the cluster's primary): stop taking connections, let the
 * requests in flight answer (cut after STOP_DRAIN_MS, default 3 s), close the runtime (the embedded
 * database cleanly) and flush the log, then exit. Without this the default action killed the
 * process at once: a request's log line still being written was lost, and PGlite was cut off
 * mid-write. STOP_GRACE_MS (default 10 s) bounds the whole stop.
 */
function stopOnSignal(server, stopEdgeRuntime) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), Number(process.env.STOP_GRACE_MS ?? "10000")).unref();
    await new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), Number(process.env.STOP_DRAIN_MS ?? "3000")).unref();
    });
    try {
      await stopEdgeRuntime();
    } catch (e) {
      console.error(
        line("error", "stopping: the runtime did not close cleanly", { err: String(e?.name ?? e) }),
      );
      process.exit(1);
    }
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** Starts the runtime through the health check and prints where things are. */
async function announce() {
  const res = await fetch(`${base}/api/v1/healthz`).catch(() => undefined);
  if (!res?.ok) {
    console.log("清风 started, but the health check did not answer yet");
    return;
  }
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
  const logins = path.join(dataDir, "DEMO-LOGINS.txt");
  const custodian = path.join(dataDir, "DEMO-CUSTODIAN.txt");
  const lines = [
    "",
    `清风 is running at ${base}/${workers > 1 ? ` (${workers} processes)` : ""}`,
    `  citizens:  ${base}/report (file a report)   ${base}/track (follow it with the tracking code)`,
    `  staff:     ${base}/staff/login`,
  ];
  if (!process.env.DATABASE_URL && fs.existsSync(logins)) {
    lines.push(`  demo staff logins (e.g. wangcheng.intake for 望城区): ${logins}`);
  }
  if (!process.env.DATABASE_URL && fs.existsSync(custodian)) {
    lines.push(`  demo custodian vault passphrase: ${custodian}`);
  }
  lines.push("");
  console.log(lines.join("\n"));
}

if (workers === 1) {
  await serve();
  console.log(line("info", `Server listening on ${base}`));
  await announce();
} else if (cluster.isPrimary) {
  // One after the other: the first migrates (MIGRATE=auto) and seeds before the next opens the
  // database. A worker that dies is replaced, unless the whole server is stopping.
  let stopping = false;
  const fork = () =>
    new Promise((resolve, reject) => {
      const w = cluster.fork();
      w.once("error", reject);
      w.once("message", (m) => (m === "listening" ? resolve(w) : undefined));
      w.once("exit", (code) => reject(new Error(`worker exited with ${code} while starting`)));
    });
  for (let i = 0; i < workers; i++) {
    try {
      const w = await fork();
      w.removeAllListeners("exit");
    } catch (e) {
      console.error(line("error", String(e)));
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
      process.exit(1);
    }
  }
  cluster.on("exit", (_w, code, signal) => {
    if (stopping) return;
    console.error(line("error", "worker exited: starting another", { code, signal }));
    cluster.fork();
  });
  const stop = (sig) => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter(Boolean);
    if (alive.length === 0) process.exit(0);
    let left = alive.length;
    for (const w of alive) {
      w.once("exit", () => --left === 0 && process.exit(0));
      w.process.kill(sig);
    }
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  console.log(line("info", `Server listening on ${base}`, { workers }));
  await announce();
} else {
  // A worker opens its runtime (and the first migrates) before it says it is ready.
  const { startEdgeRuntime } = await serve();
  await startEdgeRuntime();
  process.send?.("listening");
}
