// The staff lists in keyset pages (docs/notes-lists.md): 超期, 我的信访件, 补充材料, 督办 received
// and made, the 转送/交办 ledger and the 书记阅批件 ledger. Each is walked page by page with a
// small limit: every row appears exactly once, in the list's order, the same as one big page;
// a forged, cut or another list's cursor is a 422 on `cursor` and reads nothing.

import type { RouteConfig } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { myCasesRoute, overdueRoute } from "../../api/routes/staff-cases";
import { leaderLedgerRoute } from "../../api/routes/staff-leaders";
import { followUpsRoute, sentLedgerRoute, supervisionsRoute } from "../../api/routes/staff-ledgers";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";
import { fileReport, staffCalls } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区, below 长沙市
const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

type Staff = { actor: StaffActor; cookie: string };
// biome-ignore lint/suspicious/noExplicitAny: list answers are checked field by field
type Row = any;

const cityReport = (title: string) =>
  anonymousReport({
    title,
    subject: {
      name: "赵六",
      unit: "长沙市住建局",
      position: "副局长",
      managementLevel: "city",
      divisionCode: CITY,
    },
  });

describe.each(dbKinds())("the staff lists in keyset pages on %s", (kind) => {
  let rig: TestRig;
  let now = at("2026-03-02T09:00:00");
  let city: Staff;
  let citySup: Staff;
  let cityLeader: Staff;
  let county: Staff;
  let provinceSup: Staff;
  const everyone: Staff[] = [];
  const filed: { id: string; code: string }[] = [];

  const api = () => staffCalls((p, i) => rig.app.request(p, i));
  const claim = (who: Staff, id: string) => api().claimById(who.cookie, id);
  const act = async (who: Staff, id: string, body: Record<string, unknown>) => {
    const r = await api().act(who.cookie, id, body);
    expect(r.status, `${body.action}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body;
  };
  const get = (who: Staff, path: string) => rig.app.request(path, { headers: staffHeaders(who.cookie) });
  const moveTo = async (t: Date) => {
    now = t;
    for (const who of everyone)
      who.cookie = `${SESSION_COOKIE}=${await createSession(rig.deps, who.actor.id)}`;
  };
  const message = async (code: string, body: string) => {
    const res = await rig.app.request("/api/v1/track/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: code, body }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { SESSION_IDLE_MINUTES: "100000" } });
    city = await createStaff(rig, { username: "cs.all", office: CITY, roles: ["intake", "handler"] });
    citySup = await createStaff(rig, { username: "cs.sup", office: CITY, roles: ["supervisor"] });
    cityLeader = await createStaff(rig, { username: "cs.lead", office: CITY, roles: ["leader"] });
    county = await createStaff(rig, { username: "wc.all", office: COUNTY, roles: ["intake", "handler"] });
    provinceSup = await createStaff(rig, { username: "hn.sup", office: "430000", roles: ["supervisor"] });
    everyone.push(city, citySup, cityLeader, county, provinceSup);

    // Five reports about a 市管干部 filed at the same instant (so ties need the serial): each is
    // in the city's 书记阅批件 ledger, 转送 to 望城区 (the city's sent ledger).
    await moveTo(at("2026-03-02T09:00:00"));
    for (let i = 1; i <= 5; i++) filed.push(await fileReport(rig, cityReport(`分页件${i}`)));
    for (const f of filed)
      await act(city, f.id, { action: "forward", leaseToken: await claim(city, f.id), office: COUNTY });
    // 望城区 受理s two in time.
    await moveTo(at("2026-03-03T09:00:00"));
    for (const f of filed.slice(0, 2))
      await act(county, f.id, { action: "register", leaseToken: await claim(county, f.id) });
    // Past the 5 working days: three overdue at the county (the same deadline), pressed by the city.
    await moveTo(at("2026-03-12T09:00:00"));
    for (const f of filed.slice(2)) await act(citySup, f.id, { action: "supervise", method: "phone" });
    // 补充材料 on every case: two at one instant, the rest an hour apart.
    for (const [i, f] of filed.entries()) {
      await moveTo(at(`2026-03-12T${String(10 + Math.max(i, 1)).padStart(2, "0")}:00:00`));
      await message(f.code, `补充材料${i}`);
    }
    // 望城区 签收s the three pressed ones now: with the two it 受理d, its five 我的信访件.
    for (const f of filed.slice(2)) await claim(county, f.id);
  }, 120_000);
  afterAll(async () => rig?.destroy());

  /** Walks a list `limit` rows at a time from its first page; the rows of every page, in order. */
  const walk = async <R extends RouteConfig>(
    who: Staff,
    path: string,
    route: R,
    rowsOf: (body: Row) => Row[],
    limit = 2,
    cursorParam = "cursor",
  ) => {
    const pages: Row[][] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const url = `${path}${sep}limit=${limit}${cursor ? `&${cursorParam}=${encodeURIComponent(cursor)}` : ""}`;
      const body: Row = await expectResponse(await get(who, url), route, 200 as never);
      pages.push(rowsOf(body));
      cursor = body.nextCursor;
      expect(pages.length).toBeLessThan(20);
    } while (cursor);
    return pages;
  };

  /**
   * The list walked 2 at a time holds the rows of one big page, each once, in the same order, in
   * more than one page, and only the last page has no nextCursor.
   */
  const expectPaged = async <R extends RouteConfig>(
    who: Staff,
    path: string,
    route: R,
    rowsOf: (body: Row) => Row[],
    keyOf: (row: Row) => string | number,
    expected: number,
  ) => {
    const sep = path.includes("?") ? "&" : "?";
    const whole: Row = await expectResponse(await get(who, `${path}${sep}limit=100`), route, 200 as never);
    expect(whole.nextCursor).toBeNull();
    const all = rowsOf(whole).map(keyOf);
    expect(all).toHaveLength(expected);
    const pages = await walk(who, path, route, rowsOf);
    expect(pages.length).toBe(Math.ceil(expected / 2));
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(2);
    const walked = pages.flat().map(keyOf);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked).toEqual(all);
    return rowsOf(whole);
  };

  /** A cursor that is not this list's: 422 on `cursor` (list.cursor). */
  const expectRefused = async <R extends RouteConfig>(
    who: Staff,
    path: string,
    route: R,
    cursors: string[],
  ) => {
    const sep = path.includes("?") ? "&" : "?";
    for (const c of cursors) {
      const p = await expectProblem(
        await get(who, `${path}${sep}cursor=${encodeURIComponent(c)}`),
        route,
        422,
      );
      expect(
        p.errors?.map((e) => [e.path, e.code]),
        c,
      ).toEqual([["cursor", "list.cursor"]]);
    }
  };
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
  /** A genuine first-page cursor of the list. */
  const firstCursor = async <R extends RouteConfig>(who: Staff, path: string, route: R) => {
    const sep = path.includes("?") ? "&" : "?";
    const body: Row = await expectResponse(await get(who, `${path}${sep}limit=1`), route, 200 as never);
    expect(body.nextCursor).toEqual(expect.any(String));
    return body.nextCursor as string;
  };
  /** Forged variants of a genuine cursor: junk, cut, each part changed to another kind, too long. */
  const forged = (genuine: string, list: string) => {
    const parts = Buffer.from(genuine, "base64url").toString("utf8").split("~");
    expect(parts[0]).toBe(list);
    return [
      "not-a-cursor!",
      genuine.slice(0, -3),
      b64(`${list}~${parts.slice(1, -1).join("~")}`),
      b64([...parts, "1"].join("~")),
      b64(["other", ...parts.slice(1)].join("~")),
      ...parts.slice(1).map((_, i) => b64(parts.map((p, j) => (j === i + 1 ? "2026-02-30" : p)).join("~"))),
      ...parts.slice(1).map((_, i) => b64(parts.map((p, j) => (j === i + 1 ? "-1" : p)).join("~"))),
      // Real calendar dates PostgreSQL has no year for (red-team finding: a 500, not a 422).
      ...parts
        .slice(1)
        .flatMap((p, i) =>
          /^\d{4}-\d{2}-\d{2}/.test(p)
            ? [b64(parts.map((q, j) => (j === i + 1 ? `0000${q.slice(4)}` : q)).join("~"))]
            : [],
        ),
      "A".repeat(400),
    ];
  };

  it("pages 超期 of the county and of the city's and the province's supervisors (deadline, received, serial)", async () => {
    // One office; a city's offices each read and merged; every office in one order.
    for (const who of [county, citySup, provinceSup]) {
      const rows = await expectPaged(
        who,
        "/api/v1/staff/overdue",
        overdueRoute,
        (b) => b.cases,
        (r) => r.id,
        3,
      );
      expect(rows.map((r) => r.id).sort()).toEqual(
        filed
          .slice(2)
          .map((f) => f.id)
          .sort(),
      );
      // Same deadline, same instant: the serial decides.
      expect(new Set(rows.map((r) => `${r.nextDueOn}|${r.receivedAt}`)).size).toBe(1);
      expect(rows.map((r) => r.serial)).toEqual(rows.map((r) => r.serial).sort((a, b) => a - b));
      expect(rows.every((r) => r.clocks.length > 0)).toBe(true);
    }
    const genuine = await firstCursor(county, "/api/v1/staff/overdue", overdueRoute);
    await expectRefused(county, "/api/v1/staff/overdue", overdueRoute, forged(genuine, "overdue"));
  });

  it("pages 我的信访件 (deadline, last changed first, serial)", async () => {
    const rows = await expectPaged(
      county,
      "/api/v1/staff/cases/mine",
      myCasesRoute,
      (b) => b.cases,
      (r) => r.id,
      5,
    );
    expect(rows.map((r) => r.id).sort()).toEqual(filed.map((f) => f.id).sort());
    const key = (r: Row) => [r.nextDueOn ?? "9999-12-31", r.updatedAt, r.serial] as const;
    for (let i = 1; i < rows.length; i++) {
      const [d0, u0, s0] = key(rows[i - 1]);
      const [d1, u1, s1] = key(rows[i]);
      expect(d0 < d1 || (d0 === d1 && (u0 > u1 || (u0 === u1 && s0 < s1))), `${i}`).toBe(true);
    }
    const genuine = await firstCursor(county, "/api/v1/staff/cases/mine", myCasesRoute);
    await expectRefused(county, "/api/v1/staff/cases/mine", myCasesRoute, forged(genuine, "mine"));
    // Another list's cursor is not this one's.
    const other = await firstCursor(county, "/api/v1/staff/overdue", overdueRoute);
    await expectRefused(county, "/api/v1/staff/cases/mine", myCasesRoute, [other]);
    // A bad limit is a 422 too.
    const p = await expectProblem(await get(county, "/api/v1/staff/cases/mine?limit=101"), myCasesRoute, 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["limit"]);
  });

  it("pages 补充材料 (the longest waiting first, then serial)", async () => {
    const rows = await expectPaged(
      county,
      "/api/v1/staff/follow-ups",
      followUpsRoute,
      (b) => b.cases,
      (r) => r.case.id,
      5,
    );
    // 11:00 for the first two (filed in that order: serials ascending), then 12:00, 13:00, 14:00.
    expect(rows.map((r) => r.case.id)).toEqual(filed.map((f) => f.id));
    const firsts = rows.map((r) => r.firstAt);
    expect(firsts).toEqual([...firsts].sort());
    const genuine = await firstCursor(county, "/api/v1/staff/follow-ups", followUpsRoute);
    await expectRefused(county, "/api/v1/staff/follow-ups", followUpsRoute, forged(genuine, "follow-ups"));
  });

  it("pages 督办 received and made (pending first, newest, id), each direction its own cursor", async () => {
    const received = await expectPaged(
      county,
      "/api/v1/staff/supervisions",
      supervisionsRoute,
      (b) => b.supervisions,
      (r) => r.id,
      3,
    );
    const sent = await expectPaged(
      citySup,
      "/api/v1/staff/supervisions?direction=sent",
      supervisionsRoute,
      (b) => b.supervisions,
      (r) => r.id,
      3,
    );
    for (const rows of [received, sent]) {
      expect(rows.every((r) => r.pending)).toBe(true);
      expect(rows.map((r) => r.id)).toEqual(rows.map((r) => r.id).sort((a, b) => b - a));
    }
    const genuine = await firstCursor(county, "/api/v1/staff/supervisions", supervisionsRoute);
    await expectRefused(county, "/api/v1/staff/supervisions", supervisionsRoute, [
      ...forged(genuine, "supervisions-received"),
    ]);
    // The received list's cursor does not page the sent list.
    await expectRefused(citySup, "/api/v1/staff/supervisions?direction=sent", supervisionsRoute, [genuine]);
  });

  it("pages the 转送/交办 ledger: overdue first across the page boundary, then newest", async () => {
    const rows = await expectPaged(
      city,
      "/api/v1/staff/ledger/sent",
      sentLedgerRoute,
      (b) => b.items,
      (r) => r.id,
      5,
    );
    // Three not 受理d in time first, then the two 受理d; newest first (then id) within each.
    expect(rows.map((r) => r.overdue)).toEqual(["receipt", "receipt", "receipt", null, null]);
    expect(
      rows
        .slice(0, 3)
        .map((r) => r.case.id)
        .sort(),
    ).toEqual(
      filed
        .slice(2)
        .map((f) => f.id)
        .sort(),
    );
    for (const part of [rows.slice(0, 3), rows.slice(3)])
      expect(part.map((r) => [r.sentAt, r.id])).toEqual(
        [...part.map((r) => [r.sentAt, r.id])].sort((a, b) =>
          a[0] === b[0] ? b[1] - a[1] : a[0] < b[0] ? 1 : -1,
        ),
      );
    // ?open=1 pages too: all five are still open (none concluded).
    await expectPaged(
      city,
      "/api/v1/staff/ledger/sent?open=1",
      sentLedgerRoute,
      (b) => b.items,
      (r) => r.id,
      5,
    );
    const genuine = await firstCursor(city, "/api/v1/staff/ledger/sent", sentLedgerRoute);
    await expectRefused(city, "/api/v1/staff/ledger/sent", sentLedgerRoute, forged(genuine, "sent"));
  });

  it("pages the 书记阅批件 ledger's items; the month counts stay the whole ledger's", async () => {
    const path = "/api/v1/staff/instructions?month=2026-03";
    const rows = await expectPaged(
      cityLeader,
      path,
      leaderLedgerRoute,
      (b) => b.items,
      (r) => r.case.id,
      5,
    );
    expect(rows.map((r) => r.case.id).sort()).toEqual(filed.map((f) => f.id).sort());
    const pageOne: Row = await expectResponse(
      await get(cityLeader, `${path}&limit=2`),
      leaderLedgerRoute,
      200,
    );
    expect(pageOne.items).toHaveLength(2);
    expect(pageOne.months[0]).toMatchObject({ month: "2026-03", total: 5, added: 5, pending: 5 });
    const genuine = await firstCursor(cityLeader, path, leaderLedgerRoute);
    await expectRefused(cityLeader, path, leaderLedgerRoute, forged(genuine, "ledger-2026-03"));
    // Another month's ledger is another list.
    await expectRefused(cityLeader, "/api/v1/staff/instructions?month=2026-02", leaderLedgerRoute, [genuine]);
  });
});
