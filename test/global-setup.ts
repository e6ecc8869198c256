import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Builds the portal once per test run, so browser and page tests run the same server `npm start`
 * runs. QF_SKIP_BUILD=1 reuses an existing dist/ (for quick local runs of one file).
 */
export default function setup() {
  // One folder for every data directory the run's servers make; removed when the run ends.
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "qf-run-"));
  process.env.QF_TMP_ROOT = tmpRoot;
  const teardown = () => fs.rmSync(tmpRoot, { recursive: true, force: true });
  if (process.env.QF_SKIP_BUILD === "1") return teardown;
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync(path.join(root, "node_modules/.bin/astro"), ["build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
  return teardown;
}
