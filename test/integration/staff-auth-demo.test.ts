import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cheapestLimits } from "../../api/crypto/password";
import { loginRoute } from "../../api/routes/staff-session";
import { seedDemo } from "../../api/services/demo/seed";
import { expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";

describe.each(dbKinds())("demo staff seed on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-demo-"));
    rig = await createRig(kind, { env: { DATA_DIR: dir } });
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates the six demo logins once, writes them to DEMO-LOGINS.txt (600), logs only the file name", async () => {
    const first = await seedDemo.run(rig.deps, { limits: cheapestLimits() });
    expect(first.created.sort()).toEqual([
      "changsha.leader",
      "changsha.supervisor",
      "custodian",
      "province.integrity",
      "sheng.intake",
      "wangcheng.intake",
    ]);
    const file = path.join(dir, "DEMO-LOGINS.txt");
    expect(first.file).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, "utf8");
    const logins = Object.fromEntries(
      text
        .split("\n")
        .filter((l) => l.includes("\t"))
        .map((l) => l.split("\t").slice(0, 2)),
    ) as Record<string, string>;
    expect(Object.keys(logins).sort()).toEqual(first.created.sort());

    const warns = rig.logs.filter((l) => l.includes("DEMO-LOGINS.txt"));
    expect(warns).toHaveLength(1);
    expect(JSON.parse(warns[0]).level).toBe(40);
    for (const pw of Object.values(logins)) expect(rig.logs.join("\n")).not.toContain(pw);

    const again = await seedDemo.run(rig.deps, { limits: cheapestLimits() });
    expect(again.created).toEqual([]);
    expect(fs.readFileSync(file, "utf8")).toBe(text);

    const expected: Record<string, { code: string; roles: string[] }> = {
      "sheng.intake": { code: "430000", roles: ["intake", "handler", "supervisor"] },
      "changsha.supervisor": { code: "430100", roles: ["supervisor", "intake", "handler"] },
      "changsha.leader": { code: "430100", roles: ["leader", "supervisor"] },
      "wangcheng.intake": { code: "430112", roles: ["intake", "handler", "identity_requester"] },
      custodian: { code: "430000", roles: ["custodian"] },
      "province.integrity": { code: "430000", roles: ["integrity_reply", "cadre_report"] },
    };
    for (const [username, password] of Object.entries(logins)) {
      const res = await rig.app.request("/api/v1/staff/session", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status).toBe(200);
      const body = await expectResponse(res, loginRoute, 200);
      expect(body.staff.office.code).toBe(expected[username].code);
      expect(body.staff.roles).toEqual(expected[username].roles);
    }
  });
});
