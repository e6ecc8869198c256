import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtInCalendar } from "../../api/domain/calendar";
import { activeCalendar, setActiveCalendar } from "../../api/domain/clock";
import { clockRulesFor } from "../../api/domain/clock-rules";
import { createLogger } from "../../api/logger";
import { ensureBuiltInYears } from "../../api/services/calendar/store";
import { startCalendarWatch } from "../../api/services/calendar/watch";
import { verifyTrail } from "../../api/services/trail/verify";
import type { Command } from "../../cli/command";
import { calendarLoadCommand, calendarShowCommand } from "../../cli/commands/calendar";
import { calendarDays, calendarYears, caseClocks, caseEvents, cases } from "../../db/schema/index";
import { runCommand } from "../helpers/cli";
import { createTestDb, dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";
import { fileReport } from "../helpers/staff-api";

const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

/** A 2027 notice for the test: 元旦 runs to Monday 01-04 (one day more than the law), 春节 has a make-up Saturday. */
const NOTICE_2027 = {
  year: 2027,
  source: "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
  holidays: [
    { date: "2027-01-01", name: "元旦" },
    { date: "2027-01-02", name: "元旦" },
    { date: "2027-01-03", name: "元旦" },
    { date: "2027-01-04", name: "元旦" },
    { date: "2027-02-05", name: "春节" },
    { date: "2027-02-06", name: "春节" },
    { date: "2027-02-07", name: "春节" },
    { date: "2027-02-08", name: "春节" },
    { date: "2027-02-09", name: "春节" },
  ],
  workdays: [{ date: "2027-02-20", name: "春节调休" }],
};

describe.each(dbKinds())("the working-day calendar on %s", (kind) => {
  let rig: TestRig;
  let now = at("2026-12-21T10:00:00");
  let tmp: string;
  const watchLogs: string[] = [];
  const watchLog = createLogger(
    "info",
    new Writable({
      write(chunk, _e, cb) {
        watchLogs.push(chunk.toString());
        cb();
      },
    }),
  );

  /** Runs an admin CLI command as `npm run admin` does, against the rig's database. */
  const cli = (command: Command, argv: string[]) => runCommand(rig, command, argv);
  const writeNotice = (name: string, body: unknown) => {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, JSON.stringify(body));
    return f;
  };
  const file = async (report: Record<string, unknown>) => (await fileReport(rig, report)).id;
  const clockOf = async (id: string) => {
    const [c] = await rig.deps.db.select().from(caseClocks).where(eq(caseClocks.caseId, id));
    const [k] = await rig.deps.db.select({ nextDueOn: cases.nextDueOn }).from(cases).where(eq(cases.id, id));
    return { dueOn: c?.dueOn, startedOn: c?.startedOn, nextDueOn: k.nextDueOn };
  };
  const eventsOf = (id: string) =>
    rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(asc(caseEvents.seq));
  const warnings = () =>
    watchLogs.map((l) => JSON.parse(l)).filter((l) => String(l.msg).startsWith("calendar: no State Council"));

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qf-calendar-"));
    rig = await createRig(kind, { now: () => now });
  });
  afterAll(async () => {
    await rig?.destroy();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("stores chinese-days' notices (2004–2026) at start, once", async () => {
    const [years] = await rig.deps.db.select({ n: count() }).from(calendarYears);
    const [days] = await rig.deps.db.select({ n: count() }).from(calendarDays);
    expect(years.n).toBe(23);
    expect(days.n).toBeGreaterThan(700);
    expect(await ensureBuiltInYears(rig.deps.db)).toEqual([]);
    const [again] = await rig.deps.db.select({ n: count() }).from(calendarDays);
    expect(again.n).toBe(days.n);
    const [y2019] = await rig.deps.db.select().from(calendarDays).where(eq(calendarDays.day, "2018-12-29"));
    expect(y2019).toEqual({ day: "2018-12-29", year: 2019, kind: "workday", name: "元旦" });
  });

  it("warns at start that 2027 is provisional when 60 days ahead reach it, naming only the year", async () => {
    now = at("2026-12-01T09:00:00");
    const w = await startCalendarWatch({ db: rig.deps.db, log: watchLog, now: () => now, rules: () => [] });
    w.stop();
    expect(warnings()).toHaveLength(1);
    const line = warnings()[0];
    expect(line.years).toEqual([2027]);
    expect(line.level).toBe(40);
    const { level: _l, time: _t, pid: _p, hostname: _h, app: _a, msg: _m, years: _y, ...rest } = line;
    expect(rest).toEqual({});

    watchLogs.length = 0;
    now = at("2026-09-01T09:00:00");
    (await startCalendarWatch({ db: rig.deps.db, log: watchLog, now: () => now, rules: () => [] })).stop();
    expect(warnings()).toEqual([]);
  });

  it("shows 2027 as provisional: the statutory holidays, no make-up days", async () => {
    const r = await cli(calendarShowCommand, ["2027"]);
    expect(r.error).toBeUndefined();
    expect(r.out).toMatch(/^2027: PROVISIONAL/);
    expect(r.out).toContain("2027-02-05 周五 放假 holiday 春节");
    expect(r.out).toContain("2027-09-15 周三 放假 holiday 中秋");
    expect(r.out).not.toContain("上班");
    const official = await cli(calendarShowCommand, ["2026"]);
    expect(official.out).toMatch(/^2026: official — chinese-days/);
    expect(official.out).toContain("2026-10-10 周六 上班 workday 国庆节");
  });

  let lateDecember: string;
  let november: string;
  let anonymous: string;

  it("counts a clock started in late December 2026 into 2027 with the statutory holidays", async () => {
    now = at("2026-11-02T10:00:00");
    november = await file(realNameReport());
    now = at("2026-12-21T10:00:00");
    lateDecember = await file(realNameReport());
    anonymous = await file(anonymousReport());
    // 12-22 … 12-25 (4), 12-28 … 12-31 (8) | 01-01 元旦 | 01-04 … 01-08 (13), 01-11 (14), 01-12 (15)
    expect(await clockOf(lateDecember)).toEqual({
      startedOn: "2026-12-21",
      dueOn: "2027-01-12",
      nextDueOn: "2027-01-12",
    });
  });

  it("refuses a bad notice file with the field and stores nothing", async () => {
    const before = await eventsOf(lateDecember);
    const f = writeNotice("bad.json", {
      ...NOTICE_2027,
      workdays: [
        ...NOTICE_2027.workdays,
        { date: "2027-01-04", name: "元旦调休" },
        { date: "2028-01-01", name: "x" },
      ],
    });
    const r = await cli(calendarLoadCommand, [f]);
    expect(r.error?.status).toBe(422);
    expect(r.error?.errors?.map((e) => [e.path, e.code])).toEqual([
      ["workdays.1.date", "calendar.both"],
      ["workdays.2.date", "calendar.outside_year"],
    ]);
    expect(r.error?.errors?.[0].message).toContain("同一日期不能既放假又上班");
    expect(await rig.deps.db.select().from(calendarYears).where(eq(calendarYears.year, 2027))).toEqual([]);
    expect((await clockOf(lateDecember)).dueOn).toBe("2027-01-12");
    expect(await eventsOf(lateDecember)).toHaveLength(before.length);

    const notJson = path.join(tmp, "broken.json");
    fs.writeFileSync(notJson, "{ year: 2027");
    expect((await cli(calendarLoadCommand, [notJson])).error?.status).toBe(400);
  });

  it("stores nothing when the load fails half-way (one transaction)", async () => {
    await rig.deps.db.execute(sql`CREATE FUNCTION qf_test_fail() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'simulated crash'; END; $$ LANGUAGE plpgsql`);
    await rig.deps.db.execute(sql`CREATE TRIGGER qf_test_fail BEFORE INSERT ON case_events
      FOR EACH ROW WHEN (NEW.kind = 'clock_recomputed') EXECUTE FUNCTION qf_test_fail()`);
    try {
      // The crash is the database's error, not a Problem: the command ends with it.
      await expect(cli(calendarLoadCommand, [writeNotice("ok.json", NOTICE_2027)])).rejects.toThrow();
    } finally {
      await rig.deps.db.execute(sql`DROP TRIGGER qf_test_fail ON case_events`);
      await rig.deps.db.execute(sql`DROP FUNCTION qf_test_fail()`);
    }
    expect(await rig.deps.db.select().from(calendarYears).where(eq(calendarYears.year, 2027))).toEqual([]);
    expect(await rig.deps.db.select().from(calendarDays).where(eq(calendarDays.year, 2027))).toEqual([]);
    expect((await clockOf(lateDecember)).dueOn).toBe("2027-01-12");
    expect(activeCalendar().status(2027)).toBe("provisional");
  });

  it("loads the official 2027 notice and moves the running clock's due date, with an internal event, trail intact", async () => {
    now = at("2026-12-22T15:00:00");
    const novemberBefore = await clockOf(november);
    const r = await cli(calendarLoadCommand, [writeNotice("ok.json", NOTICE_2027)]);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain("loaded 2027: official (was provisional), 9 holidays, 1 make-up workdays");
    expect(r.out).toContain("recomputed 1 running deadline(s)");
    expect(r.out).toContain(`case ${lateDecember} accept_notice: 2027-01-12 → 2027-01-13`);

    // 01-01 … 01-04 off: 12-22 … 12-31 (8) | 01-05 … 01-08 (12), 01-11, 01-12, 01-13 (15)
    expect(await clockOf(lateDecember)).toEqual({
      startedOn: "2026-12-21",
      dueOn: "2027-01-13",
      nextDueOn: "2027-01-13",
    });
    expect(await clockOf(november)).toEqual(novemberBefore); // ran out in 2026: untouched
    expect((await clockOf(anonymous)).dueOn).toBeUndefined();

    const events = await eventsOf(lateDecember);
    const last = events[events.length - 1];
    expect(last).toMatchObject({
      kind: "clock_recomputed",
      isPublic: false,
      actor: "system:calendar",
      data: { rule: "accept_notice", previousDueOn: "2027-01-12", dueOn: "2027-01-13", calendarYear: 2027 },
    });
    expect((await eventsOf(november)).some((e) => e.kind === "clock_recomputed")).toBe(false);
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);

    // Staff see the new due date; the reporter's timeline does not show the internal event.
    const staffer = await createStaff(rig, { username: `cal.${kind}`, office: "430112", roles: ["handler"] });
    const res = await rig.app.request(`/api/v1/staff/cases/${lateDecember}`, {
      headers: staffHeaders(staffer.cookie),
    });
    const view = (await res.json()) as { nextDueOn: string; clocks: { dueOn: string }[] };
    expect(view.nextDueOn).toBe("2027-01-13");
    expect(view.clocks[0].dueOn).toBe("2027-01-13");

    // This process now counts 2027 officially: new clocks use the notice.
    expect(activeCalendar().status(2027)).toBe("official");
    const show = await cli(calendarShowCommand, ["2027"]);
    expect(show.out).toMatch(/^2027: official — 国务院办公厅关于2027年部分节假日安排的通知（测试用）/);
    expect(show.out).toContain("2027-02-20 周六 上班 workday 春节调休");
    expect(show.out).not.toContain("中秋"); // the test notice lists none: not a statutory guess any more
  });

  it("loading the same notice again changes and records nothing", async () => {
    const before = await eventsOf(lateDecember);
    const r = await cli(calendarLoadCommand, [writeNotice("ok.json", NOTICE_2027)]);
    expect(r.out).toContain("loaded 2027: official (was official)");
    expect(r.out).toContain("recomputed 0 running deadline(s)");
    expect(await eventsOf(lateDecember)).toHaveLength(before.length);
  });

  it("a running server picks up a year loaded by another process and fixes the clocks it started meanwhile", async () => {
    // The server as it was before the load: 2027 provisional in its memory.
    setActiveCalendar(builtInCalendar());
    watchLogs.length = 0;
    const stale = builtInCalendar();
    setActiveCalendar(stale);
    // Its watch started with the database as it was before: pretend 2027 was not there yet by
    // starting the watch, then replacing 2027's row (what `calendar load` in another process does).
    now = at("2026-12-21T11:00:00");
    const w = await startCalendarWatch({
      db: rig.deps.db,
      log: watchLog,
      now: () => now,
      rules: (office) => clockRulesFor(rig.config.province, office),
    });
    setActiveCalendar(stale);
    const id = await file(realNameReport());
    expect((await clockOf(id)).dueOn).toBe("2027-01-12"); // counted with the stale calendar
    await rig.deps.db
      .update(calendarYears)
      .set({ loadedAt: new Date(now.getTime() + 1000) })
      .where(eq(calendarYears.year, 2027));
    await w.tick();
    w.stop();
    expect(await clockOf(id)).toMatchObject({ dueOn: "2027-01-13", nextDueOn: "2027-01-13" });
    const ev = (await eventsOf(id)).at(-1)!;
    expect(ev.kind).toBe("clock_recomputed");
    expect(activeCalendar().status(2027)).toBe("official");
    const reloaded = watchLogs.map((l) => JSON.parse(l)).find((l) => l.msg === "calendar: reloaded");
    expect(reloaded).toMatchObject({ years: [2027], recomputed: 1 });
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);
  });

  it("warns about 2028 once 2027 is official and 2028 is within 60 days, once a day", async () => {
    watchLogs.length = 0;
    now = at("2027-11-15T09:00:00");
    const w = await startCalendarWatch({ db: rig.deps.db, log: watchLog, now: () => now, rules: () => [] });
    await w.tick(); // same day: no second warning
    expect(warnings().map((l) => l.years)).toEqual([[2028]]);
    now = at("2027-11-16T00:30:00");
    await w.tick();
    w.stop();
    expect(warnings().map((l) => l.years)).toEqual([[2028], [2028]]);
    now = at("2026-12-21T10:00:00");
    (await startCalendarWatch({ db: rig.deps.db, log: watchLog, now: () => now, rules: () => [] })).stop();
    expect(warnings()).toHaveLength(2); // 2027 is official now: nothing to say in December 2026
  });
});

describe.each(dbKinds())("storing the built-in years on %s", (kind) => {
  it("stores nothing when it fails half-way, and everything on the next start", async () => {
    const db = await createTestDb(kind);
    try {
      await db.db.execute(sql`CREATE FUNCTION qf_test_fail() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'simulated crash'; END; $$ LANGUAGE plpgsql`);
      await db.db.execute(sql`CREATE TRIGGER qf_test_fail BEFORE INSERT ON calendar_days
        FOR EACH ROW WHEN (NEW.day = '2026-10-01') EXECUTE FUNCTION qf_test_fail()`);
      await expect(ensureBuiltInYears(db.db)).rejects.toThrow();
      expect(await db.db.select().from(calendarYears)).toEqual([]);
      expect(await db.db.select().from(calendarDays)).toEqual([]);
      await db.db.execute(sql`DROP TRIGGER qf_test_fail ON calendar_days`);
      const [added, again] = await Promise.all([ensureBuiltInYears(db.db), ensureBuiltInYears(db.db)]);
      expect([...added, ...again].sort()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
      const [n] = await db.db
        .select({ n: count() })
        .from(calendarDays)
        .where(and(eq(calendarDays.year, 2026), eq(calendarDays.kind, "holiday")));
      expect(n.n).toBeGreaterThan(20);
    } finally {
      await db.destroy();
    }
  });
});
