// The 书记阅批件 ledger's month-end counts and its page order, computed in one SQL statement
// (api/services/leaders/ledger.ts), checked against this test's own reading of the same rows: a
// plain loop over each case's deciding events (the state machine of 办结 under 提级审核). Histories
// are random (fast-check, fixed seed) and written straight into the trail, so the statement meets
// orders of events the workflow makes rarely: a 办结 under review, an approval, a return, a 提级办理
// that ends the review, 不予受理 and 合并 after a 办结. PGlite and PostgreSQL.
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaderLedgerRoute } from "../../api/routes/staff-leaders";
import { caseEvents, leaderItems } from "../../db/schema/index";
import { expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";
import { fileReport } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);
const DAY = 86_400_000;
const DECIDING = [
  "concluded",
  "declined",
  "merged",
  "review_raised",
  "review_approved",
  "review_returned",
  "pulled_up",
];

/** The reading of the rules this test holds to: the state after each deciding event before `t`. */
function concludedAt(events: { at: Date; kind: string }[], t: Date): Date | null {
  let since: Date | null = null;
  let review = false;
  for (const e of events) {
    if (e.at.getTime() >= t.getTime()) break;
    switch (e.kind) {
      case "review_raised":
        review = true;
        break;
      case "pulled_up":
        review = false;
        break;
      case "review_approved":
        since = e.at;
        break;
      case "review_returned":
        since = null;
        break;
      case "concluded":
        since = review ? null : e.at;
        break;
      default: // declined, merged
        since = e.at;
    }
  }
  return since;
}

const monthStart = (m: string) => at(`${m}-01T00:00:00`);
const nextMonth = (m: string) => {
  const [y, mo] = m.split("-").map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
};
const prevMonth = (m: string) => {
  const [y, mo] = m.split("-").map(Number);
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, "0")}`;
};

const cityCadre = (title: string, level: "city" | "unknown") =>
  anonymousReport({
    title,
    subject: {
      name: "赵六",
      unit: "长沙市住建局",
      position: "副局长",
      managementLevel: level,
      divisionCode: CITY,
    },
  });

describe.each(dbKinds())("the 书记阅批件 ledger's counts against the events on %s", (kind) => {
  let rig: TestRig;
  let now = at("2025-01-10T09:00:00");
  let cookie = "";
  const history = fc.sample(
    fc.record({
      arrivalDay: fc.integer({ min: 0, max: 360 }),
      byRule: fc.boolean(),
      markDays: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      closeDays: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
      events: fc.array(
        fc.record({ kind: fc.constantFrom(...DECIDING), afterDays: fc.integer({ min: 0, max: 60 }) }),
        { maxLength: 7 },
      ),
    }),
    { numRuns: 36, seed: 20261202 },
  );

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "10000000" } });
    const leader = await createStaff(rig, { username: "cs.leader", office: CITY, roles: ["leader"] });
    const start = at("2025-01-10T09:00:00").getTime();
    // Arrivals in time order (the number is given on arrival, at `now`).
    const plan = history
      .map((h, i) => ({ ...h, i }))
      .sort((a, b) => a.arrivalDay - b.arrivalDay || a.i - b.i);
    for (const h of plan) {
      now = new Date(start + h.arrivalDay * DAY + h.i * 1000);
      const c = await fileReport(rig, cityCadre(`台账核对${h.i}`, h.byRule ? "city" : "unknown"));
      const arrived = now.getTime();
      // A hand mark (on a case outside the rule, or on one inside it too), a 销号, and the events.
      if (h.markDays !== undefined || h.closeDays !== undefined) {
        const manual = h.markDays !== undefined;
        await rig.deps.db.insert(leaderItems).values({
          caseId: c.id,
          officeCode: CITY,
          manual,
          markedAt: manual ? new Date(arrived + h.markDays! * DAY) : null,
          markedBy: manual ? "staff:cs.desk" : null,
          closedAt: h.closeDays === undefined ? null : new Date(arrived + h.closeDays * DAY + 3600_000),
          closedBy: h.closeDays === undefined ? null : "staff:cs.leader",
        });
      }
      const [{ top }] = await rig.deps.db
        .select({ top: sql<number>`max(${caseEvents.seq})` })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, c.id));
      let t = arrived;
      let seq = Number(top);
      for (const e of h.events) {
        t += e.afterDays * DAY + 60_000;
        seq += 1;
        await rig.deps.db.insert(caseEvents).values({
          caseId: c.id,
          seq,
          at: new Date(t),
          kind: e.kind as never,
          actor: "staff:test",
          officeCode: CITY,
          hash: Buffer.alloc(32, seq),
        });
      }
    }
    now = at("2026-01-20T10:00:00");
    const { createSession } = await import("../../api/services/staff/session");
    const { SESSION_COOKIE } = await import("../../api/services/staff/cookie");
    cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, leader.actor.id)}`;
  }, 180_000);
  afterAll(async () => rig?.destroy());

  /** This test's reading of the ledger: every entry from the rows as stored. */
  async function entries() {
    const rows = await rig.deps.db.execute(sql`
      select n.case_id as id, n.assigned_at as arrived, n.seq, c.subject_level as level,
             li.manual, li.marked_at, li.closed_at
        from case_numbers n join cases c on c.id = n.case_id
        left join leader_items li on li.case_id = n.case_id and li.office_code = n.office_code
       where n.office_code = ${CITY}`);
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as {
      id: string;
      arrived: string | Date;
      seq: number | string;
      level: string | null;
      manual: boolean | null;
      marked_at: string | Date | null;
      closed_at: string | Date | null;
    }[];
    const evs = await rig.deps.db
      .select({ caseId: caseEvents.caseId, seq: caseEvents.seq, at: caseEvents.at, kind: caseEvents.kind })
      .from(caseEvents)
      .orderBy(caseEvents.caseId, caseEvents.seq);
    const d = (v: string | Date | null) => (v === null ? null : new Date(v));
    return list
      .filter((r) => r.manual === true || r.level === "city")
      .map((r) => ({
        id: r.id,
        arrived: d(r.arrived)!,
        seq: Number(r.seq),
        since: r.manual ? d(r.marked_at)! : d(r.arrived)!,
        closedAt: d(r.closed_at),
        events: evs.filter((e) => e.caseId === r.id && DECIDING.includes(e.kind)),
      }));
  }

  const ledger = async (month: string, cursor?: string, limit = 5) =>
    expectResponse(
      await rig.app.request(
        `/api/v1/staff/instructions?month=${month}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { headers: staffHeaders(cookie) },
      ),
      leaderLedgerRoute,
      200,
    );

  it("counts each month-end as the events say, for the asked month and the eleven before", async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThan(10);
    for (const month of ["2026-01", "2025-09", "2025-03"]) {
      const got = await ledger(month);
      const want = [];
      for (let m = month, i = 0; i < 12; i++, m = prevMonth(m)) {
        const end = monthStart(nextMonth(m));
        const upTo = new Date(Math.min(end.getTime(), now.getTime()));
        const inLedger = all.filter((e) => e.since < end && e.since <= now);
        const concluded = inLedger.filter((e) => concludedAt(e.events, upTo) !== null).length;
        want.push({
          month: m,
          total: inLedger.length,
          added: inLedger.filter((e) => e.since >= monthStart(m)).length,
          concluded,
          pending: inLedger.length - concluded,
          closed: inLedger.filter((e) => e.closedAt !== null && e.closedAt < upTo).length,
        });
      }
      expect(got.months, month).toEqual(want);
      // Something to count: months with entries, and some of them concluded.
      if (month === "2026-01") expect(want.some((w) => w.concluded > 0 && w.pending > 0)).toBe(true);
    }
  });

  it("pages every entry once, pending first, then newest arrival, then the office number's seq", async () => {
    const all = await entries();
    const month = "2025-11";
    const end = monthStart(nextMonth(month));
    const far = new Date(8.64e15);
    const want = all
      .filter((e) => e.since < end && e.since <= now)
      .map((e) => ({ ...e, done: concludedAt(e.events, far) }))
      .sort(
        (a, b) =>
          Number(a.done !== null) - Number(b.done !== null) ||
          b.arrived.getTime() - a.arrived.getTime() ||
          b.seq - a.seq,
      );
    const seen: { id: string; concludedAt: string | null }[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await ledger(month, cursor);
      seen.push(...page.items.map((it) => ({ id: it.case.id, concludedAt: it.concludedAt })));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.map((s) => s.id)).toEqual(want.map((w) => w.id));
    expect(seen.map((s) => s.concludedAt)).toEqual(want.map((w) => w.done?.toISOString() ?? null));
  });

  it("keeps the subject's level beside each number (0020) and refuses to change it once numbered", async () => {
    const rowsOf = (r: unknown) =>
      (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
    const [counts] = rowsOf(
      await rig.db.db.execute(sql`
        select count(*)::int as numbered,
               count(*) filter (where n.subject_level is distinct from c.subject_level)::int as stale,
               count(*) filter (where n.subject_level = 'city')::int as city
          from case_numbers n join cases c on c.id = n.case_id`),
    );
    expect(Number(counts.numbered)).toBe(history.length);
    expect(Number(counts.stale)).toBe(0);
    expect(Number(counts.city)).toBe(history.filter((h) => h.byRule).length);
    // As the owner (no privilege stops it first): the trigger refuses, and nothing changes.
    const [one] = rowsOf(await rig.db.db.execute(sql`select case_id from case_numbers limit 1`));
    const refused = await rig.db.db
      .execute(sql`update cases set subject_level = 'province' where id = ${one.case_id as string}`)
      .then(
        () => "updated",
        (e: Error & { cause?: Error }) => String(e.cause?.message ?? e.message),
      );
    expect(refused).toMatch(/subject's level of a numbered case is fixed/);
    const [after] = rowsOf(
      await rig.db.db.execute(sql`select subject_level from cases where id = ${one.case_id as string}`),
    );
    expect(after.subject_level).not.toBe("province");
  });
});
