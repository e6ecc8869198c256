// The embedded database's directory is the operator's alone: PGlite writes its page and WAL files
// with the process umask (0666 in many containers), so the directory's mode is what keeps other
// local users from reading sanitized cases, staff password hashes and sealed blobs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";

describe("the embedded database directory", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "qf-mode-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("is created 0700, and tightened to 0700 when it already exists wider", async () => {
    const fresh = path.join(root, "fresh");
    const a = await openDb({ pgliteDir: fresh });
    await a.close();
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);

    const wide = path.join(root, "wide");
    fs.mkdirSync(wide, { mode: 0o777 });
    fs.chmodSync(wide, 0o777);
    const b = await openDb({ pgliteDir: wide });
    await b.close();
    expect(fs.statSync(wide).mode & 0o777).toBe(0o700);
  });
});
