import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

/** `npm run admin -- …` as an operator runs it: a fresh process for each command. */
function admin(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(TSX, ["scripts/admin.ts", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// The red-team found `trail verify --anchor` failing on every file in a fresh process (libsodium
// was used before it was loaded), which the in-process tests could not see.
describe("trail anchor and verify --anchor, each in its own process", { timeout: 240_000 }, () => {
  const dir = fs.mkdtempSync(path.join(process.env.QF_TMP_ROOT ?? os.tmpdir(), "qf-anchor-"));
  const env = { DATA_DIR: dir, DEMO: "off", LOG_LEVEL: "silent" };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("verifies an honest trail against its anchor, and refuses a tampered anchor or a missing file", async () => {
    const init = await admin(["init"], env);
    expect(init.code, init.stderr).toBe(0);
    const file = path.join(dir, "anchor-1.json");
    const anchored = await admin(["trail", "anchor", "--out", file], env);
    expect(anchored.code, anchored.stderr).toBe(0);
    const ok = await admin(["trail", "verify", "--anchor", file], env);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);

    const tampered = path.join(dir, "anchor-2.json");
    fs.writeFileSync(
      tampered,
      fs
        .readFileSync(file, "utf8")
        .replace(/"createdAt":\s*"[^"]+"/, '"createdAt": "2020-01-01T00:00:00.000Z"'),
    );
    const bad = await admin(["trail", "verify", "--anchor", tampered], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).not.toMatch(/cannot read/);

    const missing = await admin(["trail", "verify", "--anchor", path.join(dir, "nope.json")], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/cannot read/);
  });
});
