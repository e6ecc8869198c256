import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../api/context";
import { shanghaiDate } from "../../api/domain/clock";
import { loadCalendarNotice } from "../../api/services/calendar/load";
import { provisionalYearsAhead } from "../../api/services/calendar/notice";
import { loadWorkCalendar } from "../../api/services/calendar/store";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { createStaff } from "../helpers/staff";

// The built portal on a database the test reaches too. The server runs on the real clock, so
// the years it must announce are computed here from the same database and today's date
// (Asia/Shanghai): chinese-days' data ends with 2026, so from 2026-11-02 on there is always one.
describe.each(dbKinds())(
  "the provisional-calendar notice in the staff console on %s",
  { timeout: PAGES_TEST_TIMEOUT },
  (kind) => {
    let site: PagesServer;
    let supervisor: string;
    let admin: string;
    let handler: string;
    let expected: number[];

    const page = (cookie: string, p: string) => fetchPage(site.origin, cookie, p);

    beforeAll(async () => {
      site = await openPagesServer(kind, { passphrase: "calendar pages test passphrase" });
      await site.withDb(async (rt) => {
        supervisor = (await createStaff(rt, { username: "cal.sup", office: "430100", roles: ["supervisor"] }))
          .cookie;
        admin = (await createStaff(rt, { username: "cal.admin", office: "430000", roles: ["admin"] })).cookie;
        handler = (
          await createStaff(rt, { username: "cal.h", office: "430112", roles: ["intake", "handler"] })
        ).cookie;
        expected = provisionalYearsAhead(await loadWorkCalendar(rt.deps.db), shanghaiDate(new Date()));
      });
    }, 180_000);

    afterAll(async () => {
      await site?.close();
    });

    it("logs at start which years are provisional, and nothing else", async () => {
      expect(expected.length).toBeGreaterThan(0);
      // The server's stdout reaches us through a pipe, possibly after the health check's answer.
      await expect
        .poll(() => site.server.output(), { timeout: 10_000 })
        .toContain("calendar: no State Council");
      const lines = site.server
        .output()
        .split("\n")
        .filter((l) => l.includes("calendar: no State Council"))
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(1);
      expect(lines[0].years).toEqual(expected);
    });

    it("tells supervisors and admins on every console page, not handlers", async () => {
      const banner = `${expected.join("、")} 年节假日安排尚未载入（按法定节假日临时计算，未含调休），请管理员载入国务院通知。`;
      for (const p of ["/staff", "/staff/queue", "/staff/mine", "/staff/overdue"]) {
        const r = await page(supervisor, p);
        expect(r.status, p).toBe(200);
        expect(r.html, p).toContain(banner);
      }
      expect((await page(admin, "/staff")).html).toContain(banner);
      const h = await page(handler, "/staff");
      expect(h.status).toBe(200);
      expect(h.html).not.toContain("年节假日安排尚未载入");
    });

    it("says nothing once the notices are loaded", async () => {
      await site.stop();
      await site.withDb(async (rt) => {
        // The verb reads the database, the clock and the province: all in rt.deps.
        const ctx = { deps: rt.deps as Deps, requestId: "t", actor: { kind: "system" as const, name: "t" } };
        for (const year of expected) {
          await loadCalendarNotice({
            ctx,
            input: { year, source: `测试通知 ${year}`, holidays: [{ date: `${year}-01-01`, name: "元旦" }] },
          });
        }
      });
      await site.start();
      const r = await page(supervisor, "/staff");
      expect(r.status).toBe(200);
      expect(r.html).not.toContain("年节假日安排尚未载入");
      expect(site.server.output()).not.toContain("calendar: no State Council");
    });
  },
);
