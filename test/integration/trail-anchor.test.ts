import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditHash } from "../../api/crypto/audit-chain";
import { eventHash } from "../../api/crypto/event-chain";
import { getSodium } from "../../api/crypto/sodium";
import { writeVaultFiles } from "../../api/crypto/vault";
import { Problem } from "../../api/errors";
import type { Command } from "../../cli/command";
import { commands } from "../../cli/commands/index";
import { trailAnchorCommand, trailVerifyCommand } from "../../cli/commands/trail";
import { runCli } from "../../cli/run";
import { auditLog, caseEvents, cases } from "../../db/schema/index";
import { runCommand } from "../helpers/cli";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

const REASON = "纪律审查需要联系实名举报人核实情况";

describe.each(dbKinds())("signed trail anchors on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let caseId: string;
  let custodian: { cookie: string; password: string };

  /** Runs an admin command against this rig's database, as the CLI does. */
  const run = (command: Command, argv: string[]) => runCommand(rig, command, argv);
  const anchor = async (name: string) => {
    const file = path.join(dir, name);
    const r = await run(trailAnchorCommand, ["--out", file]);
    expect(r.error).toBeUndefined();
    return file;
  };
  const verify = (file?: string) => run(trailVerifyCommand, file ? ["--anchor", file] : []);
  const login = async () => {
    const res = await rig.app.request("/api/v1/staff/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: JSON.stringify({ username: CUSTODIAN.name, password: custodian.password }),
    });
    expect(res.status).toBe(200);
  };
  const report = async () => {
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(realNameReport()),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    await getSodium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-anchor-"));
    rig = await createRig(kind, {
      env: {
        DATA_DIR: dir,
        VAULT_FILE: path.join(dir, "vault.json"),
        VAULT_PUBLIC_KEY_FILE: path.join(dir, "vault.pub"),
      },
    });
    writeVaultFiles(rig.config.vaultFile, rig.config.vaultPublicKeyFile, rig.vault);
    await report();
    const [row] = await rig.deps.db.select({ id: cases.id }).from(cases).limit(1);
    caseId = row.id;
    custodian = await createStaff(rig, { username: CUSTODIAN.name, office: "430000", roles: ["custodian"] });
    await login();
    const res = await rig.app.request(`/api/v1/staff/cases/${caseId}/identity`, {
      method: "POST",
      headers: staffHeaders(custodian.cookie),
      body: JSON.stringify({ passphrase: CUSTODIAN.passphrase, reason: REASON }),
    });
    expect(res.status).toBe(200);
    await login();
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("anchors with a key made on first use, and an honest trail that grew since still extends it", async () => {
    expect(fs.existsSync(rig.config.anchorKeyFile)).toBe(false);
    const file = await anchor("honest.json");
    expect(fs.existsSync(rig.config.anchorKeyFile)).toBe(true);
    expect(fs.statSync(rig.config.anchorKeyFile).mode & 0o077).toBe(0);
    const signed = JSON.parse(fs.readFileSync(file, "utf8")) as {
      audit: { seq: number };
      cases: { count: number };
    };
    expect(signed.cases.count).toBe(1);
    expect(signed.audit.seq).toBe(3); // login, unseal, login
    // The key is nowhere in the database.
    const keyB64 = fs.readFileSync(rig.config.anchorKeyFile, "utf8").trim();
    const dump = JSON.stringify(await rig.deps.db.select().from(auditLog));
    expect(dump).not.toContain(keyB64);

    await report();
    await login();
    const r = await verify(file);
    expect(r.error).toBeUndefined();
    expect(r.out).toMatch(
      /trail intact: \d+ events in 2 cases; audit log intact: 4 rows; both extend the anchor/,
    );
  });

  it("catches the insider who deleted an unseal and its audit row and recomputed both chains", async () => {
    const file = await anchor("before-attack.json");
    const db = rig.deps.db;
    // What an insider with the owner's (or a superuser's) rights does: guards off, delete the
    // unseal event and its audit row, recompute the unkeyed chains with the project's own hash
    // functions, guards on.
    await db.execute(sql`ALTER TABLE case_events DISABLE TRIGGER case_events_append_only`);
    await db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    try {
      await db.execute(sql`DELETE FROM case_events WHERE case_id = ${caseId} AND kind = 'identity_unsealed'`);
      await db.execute(sql`DELETE FROM audit_log WHERE action = 'identity.unseal'`);
      let prev: Uint8Array | null = null;
      const events = await db
        .select()
        .from(caseEvents)
        .where(eq(caseEvents.caseId, caseId))
        .orderBy(asc(caseEvents.seq));
      for (const [i, e] of events.entries()) {
        const hash = eventHash(prev, {
          caseId,
          seq: i + 1,
          at: e.at.toISOString(),
          kind: e.kind,
          actor: e.actor,
          officeCode: e.officeCode,
          isPublic: e.isPublic,
          data: e.data,
        });
        await db
          .update(caseEvents)
          .set({ seq: i + 1, prevHash: prev, hash })
          .where(eq(caseEvents.id, e.id));
        prev = hash;
      }
      prev = null;
      const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
      for (const [i, r] of rows.entries()) {
        const hash = auditHash(prev, {
          seq: i + 1,
          at: r.at.toISOString(),
          actor: r.actor,
          action: r.action,
          caseId: r.caseId,
          reason: r.reason,
          data: r.data,
        });
        await db
          .update(auditLog)
          .set({ seq: i + 1, prevHash: prev, hash })
          .where(eq(auditLog.id, r.id));
        prev = hash;
      }
    } finally {
      await db.execute(sql`ALTER TABLE case_events ENABLE TRIGGER case_events_append_only`);
      await db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    }

    // The weakness: the chains alone are consistent again.
    const plain = await verify();
    expect(plain.error).toBeUndefined();
    expect(plain.out).toBe("trail intact: 2 events in 2 cases; audit log intact: 3 rows\n");

    // The anchor, signed with a key the database never held, is not fooled.
    const anchored = await verify(file);
    expect(anchored.error).toBeInstanceOf(Problem);
    expect(anchored.error!.status).not.toBe(422); // exit 1 from the CLI
    expect(anchored.out).toContain(`ANCHOR case ${caseId} (anchored seq 2): truncated`);
    expect(anchored.out).toMatch(
      /BROKEN audit log seq 4 \(, row id 0\): anchor — anchored at seq 4, but the audit log now ends at seq 3/,
    );
    expect(anchored.error!.detail).toMatch(
      /1 case\(s\) do not extend the anchor; audit log broken \(anchor\)/,
    );
  });

  it("refuses an anchor file that was edited, or signed by another key", async () => {
    const file = await anchor("to-edit.json");
    const text = fs.readFileSync(file, "utf8");
    const edited = JSON.parse(text) as { audit: { seq: number } };
    edited.audit.seq -= 1; // pretend the log was shorter when anchored
    fs.writeFileSync(file, JSON.stringify(edited));
    let r = await verify(file);
    expect(r.error?.detail).toMatch(/signature does not match: the file was changed after it was signed/);

    const s = await getSodium();
    const other = s.crypto_sign_keypair();
    const forged = JSON.parse(text) as { key: string; signature: string };
    forged.key = Buffer.from(other.publicKey).toString("base64");
    fs.writeFileSync(file, JSON.stringify(forged));
    r = await verify(file);
    expect(r.error?.detail).toMatch(/signed by another key than anchor\.pub/);
  });

  it.runIf(kind === "postgres")("exits 0 and 1 from the admin CLI", async () => {
    const io = () => {
      const o = { out: "", err: "" };
      const sink = (k: "out" | "err") =>
        new Writable({
          write(chunk, _e, cb) {
            o[k] += chunk.toString();
            cb();
          },
        });
      return { o, io: { stdin: process.stdin, stdout: sink("out"), stderr: sink("err") } };
    };
    const env = { DATABASE_URL: rig.db.url, DATA_DIR: dir, LOG_LEVEL: "silent", MIGRATE: "off" };
    const file = path.join(dir, "cli.json");
    const a = io();
    expect(await runCli(commands, ["trail", "anchor", "--out", file], { env, io: a.io })).toBe(0);
    expect(a.o.out).toMatch(/anchored 2 case heads and audit log seq \d+/);
    const ok = io();
    expect(await runCli(commands, ["trail", "verify", "--anchor", file], { env, io: ok.io })).toBe(0);
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace(/"createdAt": "\d{4}/, '"createdAt": "1999'),
    );
    const bad = io();
    expect(await runCli(commands, ["trail", "verify", "--anchor", file], { env, io: bad.io })).toBe(1);
    expect(bad.o.err).toMatch(/The anchor file is not valid[\s\S]*signature does not match/);
  });
});
