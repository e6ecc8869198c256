// Migration 0005 on a database that already has cases: every case gets its number at each
// office it arrived at (in order of arrival within the office's Asia/Shanghai year), the
// counters continue from there, and the sends already made fill the 转送/交办 ledger.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDb, migrationsFolder } from "../../db/client";
import { caseNumberCounters, caseNumbers, caseTransfers } from "../../db/schema/index";
import { createTestDb, dbKinds, type TestDb } from "../helpers/db";

/** The committed migrations up to and including 0004: the database as it was before 0005. */
function foldersBefore0005(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-mig-"));
  const from = migrationsFolder();
  fs.mkdirSync(path.join(dir, "meta"));
  const journal = JSON.parse(fs.readFileSync(path.join(from, "meta/_journal.json"), "utf8"));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 4);
  fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
  for (const e of journal.entries as { tag: string }[]) {
    fs.copyFileSync(path.join(from, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  }
  return dir;
}

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const C = "00000000-0000-4000-8000-00000000000c";

describe.each(dbKinds())("migration 0005 on an existing %s database", (kind) => {
  let db: TestDb;
  let old: string;

  beforeAll(async () => {
    old = foldersBefore0005();
    db = await createTestDb(kind, { migrationsFolder: old });
    const x = (q: ReturnType<typeof sql>) => db.db.execute(q);
    await x(sql`insert into offices (code, name, division_name, level, parent_code) values
      ('430000', '湖南省纪委监委', '湖南省', 'province', null),
      ('430100', '长沙市纪委监委', '长沙市', 'city', '430000'),
      ('430112', '望城区纪委监委', '望城区', 'county', '430100')`);
    const kase = (id: string, routed: string, office: string, at: string, stage: string, hash: string) =>
      x(sql`insert into cases (id, type, category, real_name, title, body, subject_name, subject_unit, subject_level,
        subject_division_code, routed_office_code, office_code, tracking_hash, stage, public_status, received_at, updated_at)
        values (${id}::uuid, 'accusation', 'work', false, 't', 'b', 'n', 'u', 'city', ${routed}, ${routed}, ${office},
        ${Buffer.from(hash, "hex")}::bytea, ${stage}, 'received', ${at}::timestamptz, ${at}::timestamptz)`);
    const event = (id: string, seq: number, at: string, kind: string, office: string, data: object) =>
      x(sql`insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, hash)
        values (${id}::uuid, ${seq}, ${at}::timestamptz, ${kind}, 'staff:x', ${office}, false, ${JSON.stringify(data)}::jsonb,
        ${Buffer.from([seq])}::bytea)`);
    await kase(A, "430100", "430100", "2026-03-01T02:00:00Z", "received", "0a");
    await kase(B, "430100", "430112", "2026-03-02T02:00:00Z", "registered", "0b");
    // 2025-12-31 17:00 UTC is 2026-01-01 in Shanghai: a number of 2026.
    await kase(C, "430112", "430112", "2025-12-31T17:00:00Z", "received", "0c");
    await event(B, 1, "2026-03-02T02:00:00Z", "received", "430100", { routedTo: "430100" });
    await event(B, 2, "2026-03-03T02:00:00Z", "forwarded", "430100", {
      from: "430100",
      to: "430112",
      fromStage: "received",
    });
    await event(B, 3, "2026-03-05T02:00:00Z", "registered", "430112", {});
    await migrateDb(db);
  });
  afterAll(async () => {
    await db?.destroy();
    if (old) fs.rmSync(old, { recursive: true, force: true });
  });

  it("numbers the cases already there at every office they reached, in order of arrival", async () => {
    const rows = await db.db.select().from(caseNumbers);
    const got = rows.map((r) => [r.caseId, r.officeCode, r.year, r.seq]).sort();
    expect(got).toEqual(
      [
        [A, "430100", 2026, 1],
        [B, "430100", 2026, 2],
        [B, "430112", 2026, 2],
        [C, "430112", 2026, 1],
      ].sort(),
    );
    const counters = await db.db.select().from(caseNumberCounters);
    expect(counters.map((k) => [k.officeCode, k.year, k.lastSeq]).sort()).toEqual([
      ["430100", 2026, 2],
      ["430112", 2026, 2],
    ]);
  });

  it("fills the ledger with the sends already made, answered by the receiver's later step", async () => {
    const rows = await db.db.select().from(caseTransfers);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      caseId: B,
      kind: "forwarded",
      fromOffice: "430100",
      toOffice: "430112",
      eventSeq: 2,
      dueOn: "2026-03-10",
      closedAt: null,
    });
    expect(rows[0].registeredAt?.toISOString()).toBe("2026-03-05T02:00:00.000Z");
    expect(rows[0].claimedAt?.toISOString()).toBe("2026-03-05T02:00:00.000Z");
  });

  it("lets a counter only step by one, and never changes a number given", async () => {
    const refused = async (q: ReturnType<typeof sql>) => {
      try {
        await db.db.execute(q);
      } catch (e) {
        return String(
          (e as { cause?: { code?: string }; code?: string }).cause?.code ?? (e as { code?: string }).code,
        );
      }
      return "accepted";
    };
    expect(await refused(sql`update case_number_counters set last_seq = last_seq + 2`)).toBe("42501");
    expect(await refused(sql`update case_number_counters set last_seq = last_seq - 1`)).toBe("42501");
    expect(await refused(sql`delete from case_number_counters`)).toBe("42501");
    expect(
      await refused(
        sql`insert into case_number_counters (office_code, year, last_seq) values ('430000', 2026, 40)`,
      ),
    ).toBe("42501");
    expect(await refused(sql`update case_numbers set seq = 9`)).toBe("42501");
    expect(await refused(sql`delete from case_numbers`)).toBe("42501");
    expect(
      await refused(
        sql`update case_number_counters set last_seq = last_seq + 1 where office_code = '430100'`,
      ),
    ).toBe("accepted");
  });
});
