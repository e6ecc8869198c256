import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testKdf, writeVaultFiles } from "../../api/crypto/vault";
import { unsealRoute } from "../../api/routes/staff-identity";
import { addVaultCustodian, changeVaultPassphrase } from "../../api/services/identity/vault-admin";
import { auditLog, caseEvents, cases } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

const REASON = "纪律审查需要联系实名举报人核实情况";

describe.each(dbKinds())("identity unsealing on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let caseId: string;
  let custodian: { cookie: string };

  const unseal = (cookie: string, body: Record<string, unknown>, id = caseId) =>
    rig.app.request(`/api/v1/staff/cases/${id}/identity`, {
      method: "POST",
      headers: staffHeaders(cookie),
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-vault-"));
    rig = await createRig(kind, {
      env: { VAULT_FILE: path.join(dir, "vault.json"), VAULT_PUBLIC_KEY_FILE: path.join(dir, "vault.pub") },
    });
    writeVaultFiles(rig.config.vaultFile, rig.config.vaultPublicKeyFile, rig.vault);
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(realNameReport()),
    });
    expect(res.status).toBe(201);
    const [row] = await rig.deps.db.select({ id: cases.id }).from(cases).limit(1);
    caseId = row.id;
    custodian = await createStaff(rig, { username: CUSTODIAN.name, office: "430000", roles: ["custodian"] });
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows the custodian the identity and original text, after writing the event and the audit row", async () => {
    const res = await unseal(custodian.cookie, { passphrase: CUSTODIAN.passphrase, reason: REASON });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await expectResponse(res, unsealRoute, 200);
    expect(body.by).toBe("custodian");
    // What intake sealed is open-ended (UnsealedIdentity.identity): its fields are read as such.
    const identity = body.identity as { reporter: Record<string, string>; body: string };
    expect(identity.reporter.name).toBe("王晓明");
    expect(identity.reporter.idNumber).toBe("430102199003071234");
    expect(identity.body).toContain("身份证号430102199003071234");

    const events = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, "identity_unsealed")));
    expect(events).toHaveLength(1);
    expect(events[0].actor).toBe("staff:custodian");
    expect(events[0].isPublic).toBe(false);
    expect(events[0].data).toEqual({ reason: REASON });
    const audit = await rig.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.caseId, caseId), eq(auditLog.action, "identity.unseal")));
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe("staff:custodian");
    expect(audit[0].reason).toBe(REASON);
    // The public timeline does not show it.
    expect(
      JSON.stringify(await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.isPublic, true))),
    ).not.toContain("identity_unsealed");
  });

  it("refuses everyone who is not a custodian with 403, whatever their roles", async () => {
    const sup = await createStaff(rig, {
      username: "sheng.supervisor",
      office: "430000",
      roles: ["supervisor", "admin", "handler"],
    });
    const r1 = await unseal(sup.cookie, { passphrase: CUSTODIAN.passphrase, reason: REASON });
    expect(r1.status).toBe(403);
    // Role custodian but no slot in the vault: still 403.
    const noSlot = await createStaff(rig, {
      username: "fake.custodian",
      office: "430000",
      roles: ["custodian"],
    });
    const r2 = await unseal(noSlot.cookie, { passphrase: CUSTODIAN.passphrase, reason: REASON });
    expect(r2.status).toBe(403);
    expect((await unseal("qf_staff=nope", { passphrase: CUSTODIAN.passphrase, reason: REASON })).status).toBe(
      401,
    );
    const events = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.kind, "identity_unsealed"));
    expect(events).toHaveLength(1);
  });

  it("refuses a wrong passphrase with 403 and records the attempt", async () => {
    const res = await unseal(custodian.cookie, { passphrase: "not the passphrase at all", reason: REASON });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).not.toContain("王晓明");
    const failed = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "identity.unseal_failed"));
    expect(failed).toHaveLength(1);
    expect(failed[0].actor).toBe("staff:custodian");
    expect(failed[0].caseId).toBe(caseId);
  });

  it("requires a reason of at least 10 characters (422), and answers 404 for an unknown case", async () => {
    const short = await unseal(custodian.cookie, { passphrase: CUSTODIAN.passphrase, reason: "核实" });
    expect(short.status).toBe(422);
    expect((await expectProblem(short, unsealRoute, 422)).errors?.[0].path).toBe("reason");
    const missing = await unseal(
      custodian.cookie,
      { passphrase: CUSTODIAN.passphrase, reason: REASON },
      "00000000-0000-4000-8000-000000000000",
    );
    expect(missing.status).toBe(404);
    const bad = await unseal(
      custodian.cookie,
      { passphrase: CUSTODIAN.passphrase, reason: REASON },
      "not-a-uuid",
    );
    expect(bad.status).toBe(404);
  });

  it("refuses a cross-origin unseal (CSRF)", async () => {
    const res = await rig.app.request(`/api/v1/staff/cases/${caseId}/identity`, {
      method: "POST",
      headers: { ...staffHeaders(custodian.cookie), origin: "https://evil.example" },
      body: JSON.stringify({ passphrase: CUSTODIAN.passphrase, reason: REASON }),
    });
    expect(res.status).toBe(403);
  });

  it("after a passphrase change, the old passphrase fails and the new one works", async () => {
    const next = "a brand new custodian passphrase";
    await changeVaultPassphrase(rig.config, {
      name: CUSTODIAN.name,
      oldPassphrase: CUSTODIAN.passphrase,
      newPassphrase: next,
      kdf: await testKdf(),
    });
    expect(
      (await unseal(custodian.cookie, { passphrase: CUSTODIAN.passphrase, reason: REASON })).status,
    ).toBe(403);
    expect((await unseal(custodian.cookie, { passphrase: next, reason: REASON })).status).toBe(200);
    await expect(
      changeVaultPassphrase(rig.config, {
        name: CUSTODIAN.name,
        oldPassphrase: "wrong wrong wrong",
        newPassphrase: "x".repeat(12),
        kdf: await testKdf(),
      }),
    ).rejects.toThrow(/wrong passphrase/);
    // Put it back for the next test.
    await changeVaultPassphrase(rig.config, {
      name: CUSTODIAN.name,
      oldPassphrase: next,
      newPassphrase: CUSTODIAN.passphrase,
      kdf: await testKdf(),
    });
  });

  it("a second custodian added by the first can unseal with their own passphrase", async () => {
    const second = { name: "changsha.custodian", passphrase: "second custodian passphrase" };
    const staffRow = await createStaff(rig, {
      username: second.name,
      office: "430100",
      roles: ["custodian"],
    });
    expect((await unseal(staffRow.cookie, { passphrase: second.passphrase, reason: REASON })).status).toBe(
      403,
    );
    await expect(
      addVaultCustodian(rig.config, {
        by: CUSTODIAN.name,
        byPassphrase: "wrong passphrase!!",
        ...second,
        kdf: await testKdf(),
      }),
    ).rejects.toThrow();
    await addVaultCustodian(rig.config, {
      by: CUSTODIAN.name,
      byPassphrase: CUSTODIAN.passphrase,
      name: second.name,
      passphrase: second.passphrase,
      kdf: await testKdf(),
    });
    const res = await unseal(staffRow.cookie, { passphrase: second.passphrase, reason: REASON });
    expect(res.status).toBe(200);
    const events = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.kind, "identity_unsealed"));
    expect(events.map((e) => e.actor)).toContain("staff:changsha.custodian");
    // The first custodian still works.
    expect(
      (await unseal(custodian.cookie, { passphrase: CUSTODIAN.passphrase, reason: REASON })).status,
    ).toBe(200);
  });
});
