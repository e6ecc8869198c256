// The queue overview's counts (GET /api/v1/staff/queue) against a direct recount of the cases
// after every step of a script that moves cases through claim, release, 受理, 转送 to another
// office, 办结, a lease running out and taken over, a merge (留存备查 into an earlier case), batch
// work, and writes by hand; the counts and lease marks the triggers of migration 0018 keep against
// qf_case_queue_rebuild; overdue against the register's own overdue filter.

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../api/context";
import { shanghaiDate } from "../../api/domain/clock";
import { ACTIVE_STAGES } from "../../api/domain/workflow";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { compactQueueCounts } from "../../api/services/stats/compact";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { claimThenAct, fileReport, type StaffCalls, staffCalls } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区, below 长沙市
const OTHER_COUNTY = "430121"; // 长沙县, below 长沙市

type Staff = { id: string; cookie: string };
type Counts = { office: string; unclaimed: number; claimed: number; overdue: number };

const countyReport = (division = COUNTY) =>
  anonymousReport({
    subject: {
      name: "钱七",
      unit: "望城区水利局",
      position: "科长",
      managementLevel: "county",
      divisionCode: division,
    },
  });
const cityReport = () =>
  anonymousReport({
    subject: {
      name: "孙八",
      unit: "市发展和改革委员会",
      position: "处长",
      managementLevel: "city",
      divisionCode: CITY,
    },
  });

describe.each(dbKinds())("queue counts on %s", (kind) => {
  let rig: TestRig;
  let clock = new Date("2026-03-02T09:00:00+08:00"); // a Monday
  let api: StaffCalls;
  let countyA: Staff;
  let countyB: Staff;
  let cityDesk: Staff;
  let citySup: Staff;
  const everyone: Staff[] = [];

  const rows = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => {
    const r = (await rig.deps.db.execute(q)) as unknown as T[] | { rows: T[] };
    return Array.isArray(r) ? r : r.rows;
  };
  const person = async (username: string, office: string, roles: Role[]): Promise<Staff> => {
    const made = await createStaff(rig, { username, office, roles });
    const s = { id: made.actor.id, cookie: made.cookie };
    everyone.push(s);
    return s;
  };
  /** Moves the clock; sessions last 12 hours at most, so everyone signs in anew. */
  const advance = async (ms: number) => {
    clock = new Date(clock.getTime() + ms);
    for (const s of everyone) s.cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, s.id)}`;
  };
  const shown = async (who: Staff): Promise<Counts[]> => {
    const r = await api.call(who.cookie, "GET", "/api/v1/staff/queue");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (
      r.body.counts as { office: { code: string }; unclaimed: number; claimed: number; overdue: number }[]
    ).map((c) => ({ office: c.office.code, unclaimed: c.unclaimed, claimed: c.claimed, overdue: c.overdue }));
  };
  /** The counts read straight from the cases (the overview's query before migration 0018). */
  const recount = async (codes: string[]): Promise<Map<string, Counts>> => {
    const now = clock.toISOString();
    const today = shanghaiDate(clock);
    const active = sql.raw(ACTIVE_STAGES.map((s) => `'${s}'`).join(", "));
    const got = await rows<{ office_code: string; unclaimed: number; claimed: number; overdue: number }>(sql`
      select office_code,
        count(*) filter (where lease_expires_at is null or lease_expires_at < ${now}::timestamptz)::int as unclaimed,
        count(*) filter (where lease_expires_at >= ${now}::timestamptz)::int as claimed,
        count(*) filter (where next_due_on < ${today}::date)::int as overdue
      from cases where stage in (${active}) group by office_code`);
    const m = new Map<string, Counts>();
    for (const r of got)
      if (codes.includes(r.office_code))
        m.set(r.office_code, {
          office: r.office_code,
          unclaimed: Number(r.unclaimed),
          claimed: Number(r.claimed),
          overdue: Number(r.overdue),
        });
    return m;
  };
  /** The overdue cases of one office as the register lists them (its own overdue filter). */
  const registerOverdue = async (office: string): Promise<number> => {
    const res = await rig.app.request(`/api/v1/staff/cases?overdue=1&office=${office}&limit=100`, {
      headers: { cookie: citySup.cookie },
    });
    expect(res.status).toBe(200);
    return ((await res.json()).items as unknown[]).length;
  };
  const tables = async () => ({
    counts: await rows<{ office_code: string; stage: string; due_on: string; n: number }>(
      sql`select office_code, stage, due_on::text as due_on, n from case_queue_counts order by 1, 2, 3`,
    ),
    marks: await rows<{ case_id: string; office_code: string }>(
      sql`select case_id::text as case_id, office_code from case_lease_marks order by 1`,
    ),
  });
  /**
   * The overview as the city's supervisor and a county desk see it equals the recount; every
   * office's overdue equals the register's; what the triggers keep equals a rebuild from scratch.
   */
  const agrees = async (step: string) => {
    const seen = await shown(citySup);
    const codes = [CITY, ...rig.deps.offices.descendantsOf(CITY).map((o) => o.code)];
    const direct = await recount(codes);
    const expected = codes
      .filter((c) => c === CITY || direct.has(c))
      .map((c) => direct.get(c) ?? { office: c, unclaimed: 0, claimed: 0, overdue: 0 });
    expect(seen, step).toEqual(expected);
    expect(await shown(countyA), step).toEqual([
      direct.get(COUNTY) ?? { office: COUNTY, unclaimed: 0, claimed: 0, overdue: 0 },
    ]);
    for (const c of seen)
      expect(c.overdue, `${step}: overdue of ${c.office}`).toBe(await registerOverdue(c.office));
    // The changes waiting (case_queue_delta) folded in: the overview reads the same, and the
    // tables equal a rebuild from scratch.
    await compactQueueCounts(rig.deps.db);
    expect(await shown(citySup), `${step}: after folding`).toEqual(seen);
    const kept = await tables();
    await rig.deps.db.execute(sql`select qf_case_queue_rebuild()`);
    expect(await tables(), step).toEqual(kept);
    return seen;
  };
  const at = (seen: Counts[], office: string) => seen.find((c) => c.office === office);

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => clock, env: { SESSION_IDLE_MINUTES: "600" } });
    api = staffCalls((p, i) => rig.app.request(p, i));
    countyA = await person("wc.desk.a", COUNTY, ["intake", "handler"]);
    countyB = await person("wc.desk.b", COUNTY, ["intake", "handler"]);
    cityDesk = await person("cs.desk", CITY, ["intake", "handler"]);
    citySup = await person("cs.sup", CITY, ["supervisor"]);
  });
  afterAll(async () => rig?.destroy());

  it("counts intake, claims, releases, 受理 and 转送 as the cases say", async () => {
    expect(await agrees("empty")).toEqual([{ office: CITY, unclaimed: 0, claimed: 0, overdue: 0 }]);
    const c1 = await fileReport(rig, countyReport());
    const c2 = await fileReport(rig, realNameReport());
    await fileReport(rig, countyReport());
    await fileReport(rig, countyReport(OTHER_COUNTY));
    const g = await fileReport(rig, cityReport());
    let seen = await agrees("filed");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 3, claimed: 0 });
    expect(at(seen, CITY)).toMatchObject({ unclaimed: 1, claimed: 0 });

    const first = await api.claimNext(countyA.cookie);
    expect(first.status).toBe(200);
    seen = await agrees("claimed");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 2, claimed: 1 });

    const released = await api.act(countyA.cookie, first.body.case.id, {
      action: "release",
      leaseToken: first.body.leaseToken,
    });
    expect(released.status).toBe(200);
    seen = await agrees("released");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 3, claimed: 0 });

    // 受理 keeps the lease (registered, still held); then the case is given back.
    const { leaseToken } = await claimThenAct(api, countyA.cookie, [{ action: "register" }], { id: c1.id });
    seen = await agrees("registered");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 2, claimed: 1 });
    expect((await api.act(countyA.cookie, c1.id, { action: "release", leaseToken })).status).toBe(200);
    await agrees("registered, released");

    // 转送 from the city down to the county: the case moves from one office's counts to the other's.
    await claimThenAct(api, cityDesk.cookie, [{ action: "forward", office: COUNTY }], { id: g.id });
    seen = await agrees("forwarded");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 4, claimed: 0 });
    expect(at(seen, CITY)).toMatchObject({ unclaimed: 0, claimed: 0 });

    // Held by B while the lease runs; counted back as waiting once it expires; A takes it over.
    const held = await api.claimById(countyB.cookie, c2.id);
    expect(held).toMatch(/^[0-9a-f-]{36}$/);
    seen = await agrees("held");
    expect(at(seen, COUNTY)).toMatchObject({ claimed: 1 });
    await advance(16 * 60_000);
    seen = await agrees("lease expired");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 4, claimed: 0 });
    await api.claimById(countyA.cookie, c2.id);
    seen = await agrees("taken over");
    expect(at(seen, COUNTY)).toMatchObject({ unclaimed: 3, claimed: 1 });
  });

  it("stays exact when claims, 受理 and releases run at once", async () => {
    const filed = [];
    for (let i = 0; i < 6; i++) filed.push(await fileReport(rig, countyReport()));
    const who = (i: number) => (i % 2 === 0 ? countyA : countyB);
    const held = await Promise.all(
      filed.map((c, i) => claimThenAct(api, who(i).cookie, [{ action: "register" }], { id: c.id })),
    );
    const seen = await agrees("six registered at once");
    expect(at(seen, COUNTY)?.claimed).toBe(7);
    const released = await Promise.all(
      held.map((h, i) => api.act(who(i).cookie, h.id, { action: "release", leaseToken: h.leaseToken })),
    );
    expect(released.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(at(await agrees("six released at once"), COUNTY)?.claimed).toBe(1);
  });

  it("counts 办结, a merge, batch work, overdue days and writes by hand", async () => {
    // 办结 of the registered case: it leaves the active stages (or waits for 反馈).
    const [reg] = await rows<{ id: string }>(
      sql`select id::text as id from cases where office_code = ${COUNTY} and stage = 'registered' limit 1`,
    );
    await claimThenAct(
      api,
      countyA.cookie,
      [
        { action: "dispose", disposition: "preliminary_verification" },
        { action: "conclude", finding: "unsubstantiated", result: "经核查不属实" },
      ],
      { id: reg.id },
    );
    await agrees("concluded");

    // 留存备查 into an earlier case (a repeat): through batch work.
    const earlier = await fileReport(rig, countyReport());
    const later = await fileReport(rig, countyReport());
    await agrees("two more filed");
    const res = await rig.app.request("/api/v1/staff/cases/batch", {
      method: "POST",
      headers: { cookie: countyA.cookie, origin: "http://localhost", "content-type": "application/json" },
      body: JSON.stringify({ ids: [later.id], action: "keep", into: earlier.id }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await agrees("kept by batch");

    // Days pass: the 告知/受理 clocks run out, and the overdue counts follow the date alone.
    const before = at(await agrees("before the days pass"), COUNTY);
    await advance(30 * 24 * 3600_000);
    const after = at(await agrees("a month later"), COUNTY);
    expect(after?.overdue).toBeGreaterThan(before?.overdue ?? 0);
    expect(after?.claimed).toBe(0);

    // Writes by hand (seeding, repair): a deadline, an office, a lease, a stage.
    const [x] = await rows<{ id: string }>(
      sql`select id::text as id from cases where office_code = ${COUNTY} and stage = 'received' order by serial limit 1`,
    );
    await rig.deps.db.execute(sql`update cases set next_due_on = null where id = ${x.id}::uuid`);
    await agrees("deadline cleared by hand");
    await rig.deps.db.execute(
      sql`update cases set lease_token = gen_random_uuid(), lease_holder_id = ${countyB.id}::uuid,
        lease_expires_at = ${new Date(clock.getTime() + 60_000).toISOString()}::timestamptz where id = ${x.id}::uuid`,
    );
    expect(at(await agrees("leased by hand"), COUNTY)).toMatchObject({ claimed: 1 });
    await rig.deps.db.execute(sql`update cases set office_code = ${OTHER_COUNTY} where id = ${x.id}::uuid`);
    expect(at(await agrees("moved by hand, still leased"), OTHER_COUNTY)).toMatchObject({ claimed: 1 });
    await rig.deps.db.execute(
      sql`update cases set stage = 'concluded', lease_token = null, lease_holder_id = null, lease_expires_at = null
        where id = ${x.id}::uuid`,
    );
    await agrees("closed by hand");
    const { counts, marks } = await tables();
    expect(counts.every((r) => r.n > 0 && (ACTIVE_STAGES as string[]).includes(r.stage))).toBe(true);
    expect(marks.some((m) => m.case_id === x.id)).toBe(false);
  });
});
