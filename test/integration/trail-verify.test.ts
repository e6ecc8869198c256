import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateAll } from "../../api/bootstrap/migrate";
import type { StaffActor } from "../../api/context";
import { eventHash } from "../../api/crypto/event-chain";
import { getSodium } from "../../api/crypto/sodium";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { loadDivisions, OfficeDirectory } from "../../api/domain/divisions";
import { Problem } from "../../api/errors";
import { reportRoute } from "../../api/routes/public";
import { claimCaseRoute } from "../../api/routes/staff-cases";
import { appendAudit } from "../../api/services/audit/append";
import { verifyTrail } from "../../api/services/trail/verify";
import { verifyAuditChain } from "../../api/services/trail/verify-audit";
import { commands } from "../../cli/commands/index";
import { trailVerifyCommand } from "../../cli/commands/trail";
import { runCli } from "../../cli/run";
import { migrationsFolder } from "../../db/client";
import { auditLog, caseEvents, cases } from "../../db/schema/index";
import { runCommand } from "../helpers/cli";
import { expectResponse } from "../helpers/contract";
import { createTestDb, dbKinds, type TestDb } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

/** The message of an error or of the driver error it wraps. */
function messageChain(e: unknown): string {
  const parts: string[] = [];
  let cur = e as { message?: string; cause?: unknown } | undefined;
  while (cur) {
    if (cur.message) parts.push(cur.message);
    cur = cur.cause as typeof cur;
  }
  return parts.join(" | ");
}

describe.each(dbKinds())("the trail (办理轨迹) on %s", (kind) => {
  let rig: TestRig;
  let staffer: { actor: StaffActor; cookie: string };
  const ids: string[] = [];

  const act = async (id: string, body: Record<string, unknown>) => {
    const res = await rig.app.request(`/api/v1/staff/cases/${id}/actions`, {
      method: "POST",
      headers: staffHeaders(staffer.cookie),
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const tamper = async (statement: ReturnType<typeof sql>) => {
    // What an attacker with DBA rights would do: switch the guard off, edit, switch it on.
    await rig.deps.db.execute(sql`ALTER TABLE case_events DISABLE TRIGGER case_events_append_only`);
    try {
      await rig.deps.db.execute(statement);
    } finally {
      await rig.deps.db.execute(sql`ALTER TABLE case_events ENABLE TRIGGER case_events_append_only`);
    }
  };
  const eventsOf = (id: string) =>
    rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(asc(caseEvents.seq));

  /** Runs `trail verify` as the CLI does, against this rig's database. */
  const runVerifyCommand = () => runCommand(rig, trailVerifyCommand);

  beforeAll(async () => {
    rig = await createRig(kind);
    staffer = await createStaff(rig, { username: "wc.all", office: "430112", roles: ["intake", "handler"] });
    for (let i = 0; i < 3; i++) {
      const res = await rig.app.request("/api/v1/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(realNameReport()),
      });
      const { trackingCode } = await expectResponse(res, reportRoute, 201);
      const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
      const [row] = await rig.deps.db
        .select({ id: cases.id })
        .from(cases)
        .where(eq(cases.trackingHash, hash));
      ids.push(row.id);
      const claim = await rig.app.request(`/api/v1/staff/cases/${row.id}/claim`, {
        method: "POST",
        headers: staffHeaders(staffer.cookie),
      });
      const { leaseToken } = await expectResponse(claim, claimCaseRoute, 200);
      await act(row.id, { action: "register", leaseToken });
      await act(row.id, { action: "message", leaseToken, body: "请补充材料。" });
      await act(row.id, { action: "dispose", leaseToken, disposition: "talk_inquiry" });
    }
  });
  afterAll(async () => rig?.destroy());

  it("verifies an intact trail", async () => {
    const report = await verifyTrail(rig.deps.db);
    expect(report).toEqual({ ok: true, cases: 3, events: 12, breaks: [] });
    const cli = await runVerifyCommand();
    expect(cli.error).toBeUndefined();
    expect(cli.out).toBe("trail intact: 12 events in 3 cases; audit log intact: 0 rows\n");
  });

  it("is refused an UPDATE, a DELETE and a TRUNCATE by the database itself", async () => {
    const [e] = await eventsOf(ids[0]);
    for (const stmt of [
      sql`UPDATE case_events SET kind = 'declined' WHERE id = ${e.id}`,
      sql`DELETE FROM case_events WHERE id = ${e.id}`,
      sql`TRUNCATE case_events`,
    ]) {
      let error: unknown;
      try {
        await rig.deps.db.execute(stmt);
      } catch (err) {
        error = err;
      }
      expect(error, String(stmt.queryChunks[0])).toBeDefined();
      expect(messageChain(error)).toMatch(/append-only/);
    }
    expect((await eventsOf(ids[0]))[0]).toEqual(e);
  });

  it("names an event whose content was edited behind the trigger's back", async () => {
    const events = await eventsOf(ids[1]);
    const victim = events[2]; // the message event, seq 3
    await tamper(sql`UPDATE case_events SET data = '{"edited":true}'::jsonb WHERE id = ${victim.id}`);
    const report = await verifyTrail(rig.deps.db);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([
      expect.objectContaining({
        caseId: ids[1],
        seq: 3,
        eventId: victim.id,
        kind: "message",
        problem: "hash",
      }),
    ]);
    const cli = await runVerifyCommand();
    expect(cli.out).toContain(`BROKEN case ${ids[1]} seq 3 (message, event id ${victim.id}): hash`);
    expect(cli.error).toBeInstanceOf(Problem);
    expect(cli.error!.status).not.toBe(422); // the CLI maps it to exit 1
    // Put it back for the next test.
    await tamper(
      sql`UPDATE case_events SET data = ${JSON.stringify(victim.data)}::jsonb WHERE id = ${victim.id}`,
    );
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);
  });

  it("names the next event when an attacker also rewrites the hash, and a gap when one is deleted", async () => {
    const events = await eventsOf(ids[2]);
    const victim = events[1]; // registered, seq 2
    const forgedData = { forged: true };
    const forgedHash = eventHash(victim.prevHash, {
      caseId: victim.caseId,
      seq: victim.seq,
      at: victim.at.toISOString(),
      kind: victim.kind,
      actor: victim.actor,
      officeCode: victim.officeCode,
      isPublic: victim.isPublic,
      data: forgedData,
    });
    await tamper(
      sql`UPDATE case_events SET data = ${JSON.stringify(forgedData)}::jsonb, hash = ${Buffer.from(forgedHash)} WHERE id = ${victim.id}`,
    );
    let report = await verifyTrail(rig.deps.db);
    expect(report.breaks).toEqual([
      expect.objectContaining({ caseId: ids[2], seq: 3, problem: "prev_hash" }),
    ]);

    await tamper(sql`DELETE FROM case_events WHERE case_id = ${ids[0]} AND seq = 2`);
    report = await verifyTrail(rig.deps.db, { pageSize: 2 }); // small pages: the walk crosses page edges
    const byCase = Object.fromEntries(report.breaks.map((b) => [b.caseId, b]));
    expect(byCase[ids[0]]).toMatchObject({ seq: 3, problem: "seq" });
    expect(byCase[ids[2]]).toMatchObject({ seq: 3, problem: "prev_hash" });
    expect(report.events).toBe(11);
    const [{ n }] = await rig.deps.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, ids[0])));
    expect(n).toBe(3);
  });

  it.runIf(kind === "postgres")("exits 1 from the admin CLI, naming the bad event", async () => {
    let stdout = "";
    let stderr = "";
    const sink = (f: (s: string) => void) =>
      new Writable({
        write(chunk, _e, cb) {
          f(chunk.toString());
          cb();
        },
      });
    const code = await runCli(commands, ["trail", "verify"], {
      env: { DATABASE_URL: rig.db.url, DATA_DIR: "/nonexistent-qf", LOG_LEVEL: "silent" },
      io: { stdin: process.stdin, stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) },
    });
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN case ${ids[0]} seq 3`);
    expect(stderr).toMatch(/Trail verification failed/);
  });
});

describe.each(dbKinds())("the audit log's chain on %s", (kind) => {
  let db: TestDb;
  let dir: string;
  const sqlState = async (stmt: ReturnType<typeof sql>) => {
    try {
      await db.db.execute(stmt);
      return undefined;
    } catch (e) {
      return messageChain(e);
    }
  };

  beforeAll(async () => {
    await getSodium();
    // A database as it was before migration 0003, with audit rows written the old way.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-mig-"));
    fs.cpSync(migrationsFolder(), dir, { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(dir, "meta/_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 3);
    fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
    db = await createTestDb(kind, { migrationsFolder: dir });
    for (const action of ["staff.add", "staff.login", "vault.init"]) {
      await db.db.execute(
        sql`insert into audit_log (actor, action, data) values ('system:admin-cli', ${action}, '{"n":1.5}'::jsonb)`,
      );
    }
  });
  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("migrating chains the rows written before 0003, once; new rows append after them", async () => {
    const offices = new OfficeDirectory(await loadDivisions("430000"));
    const first = await migrateAll(db, offices);
    expect(first.auditRowsChained).toBe(3);
    expect((await migrateAll(db, offices)).auditRowsChained).toBe(0);
    await appendAudit(db.db, { actor: "system:t", action: "after.upgrade" });
    const report = await verifyAuditChain(db.db);
    expect(report).toMatchObject({ ok: true, rows: 4, breaks: [] });
    expect(report.head?.seq).toBe(4);
    const rows = await db.db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((r) => r.action)).toEqual(["staff.add", "staff.login", "vault.init", "after.upgrade"]);
  });

  it("concurrent appends from many connections form one chain, without a fork or an error", async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2
          ? appendAudit(db.db, { actor: "system:t", action: `parallel.${i}` })
          : db.db.transaction(async (tx) => {
              await appendAudit(tx, { actor: "system:t", action: `parallel.${i}`, data: { i } });
            }),
      ),
    );
    const report = await verifyAuditChain(db.db);
    expect(report).toMatchObject({ ok: true, rows: 28, breaks: [] });
    await db.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await db.db.execute(sql`DELETE FROM audit_log WHERE action LIKE 'parallel.%'`);
    await db.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });

  it("refuses an unchained row, an UPDATE, a DELETE and a TRUNCATE", async () => {
    expect(await sqlState(sql`insert into audit_log (actor, action) values ('x', 'forged')`)).toMatch(
      /audit_log_chained/,
    );
    for (const stmt of [
      sql`UPDATE audit_log SET action = 'nothing'`,
      sql`DELETE FROM audit_log`,
      sql`TRUNCATE audit_log`,
    ]) {
      expect(await sqlState(stmt), String(stmt.queryChunks[0])).toMatch(/append-only/);
    }
    expect((await verifyAuditChain(db.db)).rows).toBe(4);
  });

  it("names a row edited behind the trigger's back, and a row removed", async () => {
    const [victim] = await db.db.select().from(auditLog).where(eq(auditLog.seq, 2));
    await db.db.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    try {
      await db.db.execute(sql`UPDATE audit_log SET actor = 'someone else' WHERE id = ${victim.id}`);
      let report = await verifyAuditChain(db.db);
      expect(report.ok).toBe(false);
      expect(report.breaks).toEqual([expect.objectContaining({ id: victim.id, seq: 2, problem: "hash" })]);
      await db.db.execute(sql`DELETE FROM audit_log WHERE id = ${victim.id}`);
      report = await verifyAuditChain(db.db, { pageSize: 2 });
      expect(report.breaks).toEqual([expect.objectContaining({ seq: 3, problem: "seq" })]);
    } finally {
      await db.db.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    }
  });
});
