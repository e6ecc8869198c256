import fs from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Debian's Chromium through playwright-core. Without it, browser tests are skipped with one
 * line saying how to install it — except under CI=true, where a missing browser is a failure.
 */
export function browserAvailable(): boolean {
  const ok = fs.existsSync(CHROMIUM);
  if (!ok) {
    if (process.env.CI === "true") throw new Error(`CI=true but no Chromium at ${CHROMIUM}`);
    console.warn(
      `Skipping browser tests: no Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`,
    );
  }
  return ok;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
