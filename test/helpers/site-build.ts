// The one build of the portal a test run uses (made by test/global-setup.ts), and the settings it
// was made with: some are read when the site is built, not when it starts.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** Where the global setup builds (and where `npm run build` builds: QF_SKIP_BUILD=1 reuses it). */
export const DIST = path.join(ROOT, "dist");

/** Settings astro.config.mjs reads at build time: a server started with another value needs another build. */
export const BUILD_TIME_SETTINGS = ["ALLOWED_HOSTS"] as const;
type BuildSettings = Partial<Record<(typeof BUILD_TIME_SETTINGS)[number], string>>;

const STAMP = "qf-build.json";

export function entryOf(dist: string): string {
  return path.join(dist, "server/entry.mjs");
}

/**
 * Builds the portal into `dist` (`astro build` empties it first: never while a server runs from
 * it) and records the build-time settings used. `dist` stays inside the project so the server's
 * bare imports (pglite, libsodium …) resolve.
 */
export function buildSite(dist: string = DIST, settings: BuildSettings = {}): void {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: "1", ...settings };
  execFileSync(
    process.execPath,
    [path.join(ROOT, "node_modules/astro/bin/astro.mjs"), "build", "--outDir", dist],
    {
      cwd: ROOT,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const used = Object.fromEntries(BUILD_TIME_SETTINGS.map((k) => [k, env[k] ?? ""]));
  fs.writeFileSync(path.join(dist, STAMP), `${JSON.stringify(used)}\n`);
}

/**
 * Throws when `dist` is missing, or was built with another value of a build-time setting than
 * `env` (or this process) asks for: such a test would otherwise pass or fail on the wrong build.
 * A build without a record (`npm run build`) counts as built from this process's environment.
 */
export function checkBuild(dist: string, env: Record<string, string>): void {
  if (!fs.existsSync(entryOf(dist)))
    throw new Error(
      `${entryOf(dist)} is missing: the global setup builds it (unset QF_SKIP_BUILD, or npm run build)`,
    );
  const stampFile = path.join(dist, STAMP);
  const built: Record<string, string> = fs.existsSync(stampFile)
    ? JSON.parse(fs.readFileSync(stampFile, "utf8"))
    : Object.fromEntries(BUILD_TIME_SETTINGS.map((k) => [k, process.env[k] ?? ""]));
  for (const k of BUILD_TIME_SETTINGS) {
    const want = env[k] ?? process.env[k] ?? "";
    if ((built[k] ?? "") !== want)
      throw new Error(
        `${dist} was built with ${k}=${JSON.stringify(built[k] ?? "")} but this server wants ${JSON.stringify(want)}: ` +
          `${k} is read at build time, so build for it (buildSite(dir, { ${k} })) and start with { dist: dir }`,
      );
  }
}

/** The newest source file the build is made from, to tell a reused build that is out of date. */
export function newestSource(): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  const walk = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    } else if (st.mtimeMs > newest.mtimeMs) newest = { file: path.relative(ROOT, p), mtimeMs: st.mtimeMs };
  };
  for (const d of ["site", "api", "db", "messages", "astro.config.mjs", "package-lock.json"])
    walk(path.join(ROOT, d));
  return newest;
}
