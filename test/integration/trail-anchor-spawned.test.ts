import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAdmin } from "../helpers/admin";

// The red-team found `trail verify --anchor` failing on every file in a fresh process (libsodium
// was used before it was loaded), which the in-process tests could not see.
describe("trail anchor and verify --anchor, each in its own process", { timeout: 240_000 }, () => {
  const dir = fs.mkdtempSync(path.join(process.env.QF_TMP_ROOT ?? os.tmpdir(), "qf-anchor-"));
  const env = { DATA_DIR: dir, DEMO: "off", LOG_LEVEL: "silent" };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("verifies an honest trail against its anchor, and refuses a tampered anchor or a missing file", async () => {
    const init = await runAdmin(["init"], env);
    expect(init.code, init.stderr).toBe(0);
    const file = path.join(dir, "anchor-1.json");
    const anchored = await runAdmin(["trail", "anchor", "--out", file], env);
    expect(anchored.code, anchored.stderr).toBe(0);
    const ok = await runAdmin(["trail", "verify", "--anchor", file], env);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);

    const tampered = path.join(dir, "anchor-2.json");
    fs.writeFileSync(
      tampered,
      fs
        .readFileSync(file, "utf8")
        .replace(/"createdAt":\s*"[^"]+"/, '"createdAt": "2020-01-01T00:00:00.000Z"'),
    );
    const bad = await runAdmin(["trail", "verify", "--anchor", tampered], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).not.toMatch(/cannot read/);

    const missing = await runAdmin(["trail", "verify", "--anchor", path.join(dir, "nope.json")], env);
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/cannot read/);
  });
});
