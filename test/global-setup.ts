import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Builds the portal once per test run, so browser and page tests run the same server `npm start`
 * runs. QF_SKIP_BUILD=1 reuses an existing dist/ (for quick local runs of one file).
 */
export default function setup() {
  if (process.env.QF_SKIP_BUILD === "1") return;
  const root = path.resolve(import.meta.dirname, "..");
  execFileSync(path.join(root, "node_modules/.bin/astro"), ["build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
}
