import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeTemplates } from "./helpers/db";
import { buildSite, DIST, entryOf, newestSource } from "./helpers/site-build";

/**
 * Builds the portal once per test run into dist/, so browser and page tests run the same server
 * `npm start` runs, and every test file starts it from that one build (test/helpers/server.ts).
 * QF_SKIP_BUILD=1 reuses an existing dist/ (for quick local runs of one file).
 */
export default async function setup() {
  // One folder for every data directory the run's servers make; removed when the run ends.
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "qf-run-"));
  process.env.QF_TMP_ROOT = tmpRoot;
  const dropTemplates = await makeTemplates(tmpRoot);
  const teardown = async () => {
    await dropTemplates();
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  };
  if (process.env.QF_SKIP_BUILD !== "1") {
    buildSite(DIST);
    return teardown;
  }
  const entry = fs.statSync(entryOf(DIST), { throwIfNoEntry: false });
  const newest = newestSource();
  if (!entry)
    console.warn("QF_SKIP_BUILD=1 and no dist/: tests that start the built portal will fail (npm run build)");
  else if (newest.mtimeMs > entry.mtimeMs)
    console.warn(
      `QF_SKIP_BUILD=1: dist/ is older than ${newest.file}; page and browser tests run the old build`,
    );
  return teardown;
}
