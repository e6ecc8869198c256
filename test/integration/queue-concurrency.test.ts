import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initKeys, loadKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { eventHash } from "../../api/crypto/event-chain";
import { verifyTrail } from "../../api/services/trail/verify";
import { caseEvents, cases } from "../../db/schema/index";
import { expectDeclared } from "../helpers/contract";
import { createRig, type TestRig } from "../helpers/deps";
import { type ServeProcess, startServeProcess } from "../helpers/serve";
import { createStaff } from "../helpers/staff";

const OFFICE = "430112"; // 望城区
const CASES = 500;
const WORKERS = 20;

/** 500 received cases of one office, each with its `received` event (seq 1 of its chain), in bulk. */
async function seedCases(rig: TestRig, n: number, start: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let off = 0; off < n; off += 100) {
    const rows: (typeof cases.$inferInsert)[] = [];
    const events: (typeof caseEvents.$inferInsert)[] = [];
    for (let i = off; i < Math.min(n, off + 100); i++) {
      const id = randomUUID();
      ids.push(id);
      const at = new Date(start.getTime() + i * 1000);
      rows.push({
        id,
        type: "accusation",
        category: "integrity",
        realName: i % 3 === 0,
        title: `反映问题线索 ${i}`,
        body: "某单位负责人违规收受礼金。",
        subjectName: "某某",
        subjectUnit: "望城区某局",
        subjectLevel: "county",
        subjectDivisionCode: OFFICE,
        routedOfficeCode: OFFICE,
        officeCode: OFFICE,
        trackingHash: new Uint8Array(randomBytes(32)),
        receivedAt: at,
        updatedAt: at,
      });
      const fields = {
        caseId: id,
        seq: 1,
        at: at.toISOString(),
        kind: "received" as const,
        actor: "system:intake",
        officeCode: OFFICE,
        isPublic: true,
        data: { routedTo: OFFICE, managementLevel: "county" },
      };
      events.push({ ...fields, at, prevHash: null, hash: eventHash(null, fields) });
    }
    await rig.deps.db.insert(cases).values(rows);
    await rig.deps.db.insert(caseEvents).values(events);
  }
  return ids;
}

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))(
  "20 claimers over two server processes on one PostgreSQL",
  () => {
    let rig: TestRig;
    let tmp: string;
    const servers: ServeProcess[] = [];
    let seeded: string[];
    const staffCookies: string[] = [];

    const post = async (server: ServeProcess, cookie: string, p: string, body?: unknown) => {
      const res = await fetch(`${server.origin}${p}`, {
        method: "POST",
        headers: { cookie, origin: server.origin, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await expectDeclared(res, "POST", p) };
    };

    beforeAll(async () => {
      // Key files the server processes load; the rig signs sessions with the same server key.
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qf-queue-"));
      rig = await createRig("postgres", { dbMax: 4 });
      const config = parseConfig({ DATA_DIR: tmp, DATABASE_URL: rig.db.url });
      await initKeys(config, { custodian: "custodian", passphrase: "concurrency test passphrase" });
      rig.deps.keys = await loadKeys(config);

      seeded = await seedCases(rig, CASES, new Date("2026-03-02T01:00:00Z"));
      for (let i = 0; i < WORKERS; i++) {
        staffCookies.push(
          (await createStaff(rig, { username: `wc.intake${i}`, office: OFFICE, roles: ["intake"] })).cookie,
        );
      }
      const env = { DATABASE_URL: rig.db.url!, DATA_DIR: tmp };
      servers.push(...(await Promise.all([startServeProcess(env), startServeProcess(env)])));
    }, 180_000);

    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await rig?.destroy();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("claims and registers every case exactly once, none lost", async () => {
      const claimedBy: string[][] = Array.from({ length: WORKERS }, () => []);
      const failures: string[] = [];
      await Promise.all(
        staffCookies.map(async (cookie, w) => {
          const server = servers[w % 2];
          for (;;) {
            const c = await post(server, cookie, "/api/v1/staff/queue/claim");
            if (c.status === 204) return;
            if (c.status !== 200) {
              failures.push(`claim ${c.status} ${JSON.stringify(c.body)}`);
              return;
            }
            claimedBy[w].push(c.body.case.id);
            const r = await post(server, cookie, `/api/v1/staff/cases/${c.body.case.id}/actions`, {
              action: "register",
              leaseToken: c.body.leaseToken,
            });
            if (r.status !== 200) failures.push(`register ${r.status} ${JSON.stringify(r.body)}`);
          }
        }),
      );
      expect(failures).toEqual([]);
      const all = claimedBy.flat();
      expect(all.length).toBe(CASES);
      expect(new Set(all).size).toBe(CASES);
      expect(new Set(all)).toEqual(new Set(seeded));
      // Both processes and many workers took part.
      expect(claimedBy.filter((ids) => ids.length > 0).length).toBeGreaterThan(WORKERS / 2);

      const [counts] = await rig.deps.db
        .select({
          registered: sql<number>`count(*) filter (where ${cases.stage} = 'registered')`.mapWith(Number),
          all: sql<number>`count(*)`.mapWith(Number),
        })
        .from(cases);
      expect(counts).toEqual({ registered: CASES, all: CASES });
      const [ev] = await rig.deps.db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(caseEvents)
        .where(eq(caseEvents.kind, "registered"));
      expect(ev.n).toBe(CASES);
      expect((await verifyTrail(rig.deps.db)).ok).toBe(true);
    }, 300_000);

    it("reclaims an expired lease in the other process and fences the stale token with 409", async () => {
      const [id] = await seedCases(rig, 1, new Date("2026-03-03T01:00:00Z"));
      const [a, b] = servers;
      const first = await post(a, staffCookies[0], "/api/v1/staff/queue/claim");
      expect(first.status).toBe(200);
      expect(first.body.case.id).toBe(id);
      expect((await post(b, staffCookies[1], "/api/v1/staff/queue/claim")).status).toBe(204);

      // The lease runs out (the servers use the real clock, so move the expiry instead).
      await rig.deps.db
        .update(cases)
        .set({ leaseExpiresAt: new Date(Date.now() - 1000) })
        .where(eq(cases.id, id));
      const second = await post(b, staffCookies[1], "/api/v1/staff/queue/claim");
      expect(second.status).toBe(200);
      expect(second.body.case.id).toBe(id);
      expect(second.body.leaseToken).not.toBe(first.body.leaseToken);

      const [before] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
      const eventsBefore = await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
      const stale = await post(a, staffCookies[0], `/api/v1/staff/cases/${id}/actions`, {
        action: "register",
        leaseToken: first.body.leaseToken,
      });
      expect(stale.status).toBe(409);
      const [after] = await rig.deps.db.select().from(cases).where(eq(cases.id, id));
      expect(after).toEqual(before);
      expect(await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id))).toEqual(
        eventsBefore,
      );

      const ok = await post(b, staffCookies[1], `/api/v1/staff/cases/${id}/actions`, {
        action: "register",
        leaseToken: second.body.leaseToken,
      });
      expect(ok.status).toBe(200);
      expect(ok.body.case.stage).toBe("registered");
    });
  },
);
