import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initKeys, loadKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { shanghaiDate } from "../../api/domain/clock";
import { loadCalendarNotice } from "../../api/services/calendar/load";
import { provisionalYearsAhead } from "../../api/services/calendar/notice";
import { loadWorkCalendar } from "../../api/services/calendar/store";
import { createRig, type TestRig } from "../helpers/deps";
import { type RunningServer, startServer } from "../helpers/server";
import { createStaff } from "../helpers/staff";

// The built portal on a PostgreSQL database it shares with a rig. The server runs on the real
// clock, so the years it must announce are computed here from the same database and today's date
// (Asia/Shanghai): chinese-days' data ends with 2026, so from 2026-11-02 on there is always one.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))(
  "the provisional-calendar notice in the staff console",
  () => {
    let rig: TestRig;
    let tmp: string;
    let server: RunningServer;
    let supervisor: string;
    let admin: string;
    let handler: string;
    let expected: number[];

    const page = async (cookie: string, p: string) => {
      const res = await fetch(`${server.origin}${p}`, { redirect: "manual", headers: { cookie } });
      return { status: res.status, html: await res.text() };
    };
    const start = () => startServer({ DATABASE_URL: rig.db.url!, DATA_DIR: tmp, DEMO: "off" });

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qf-calendar-pages-"));
      rig = await createRig("postgres");
      const config = parseConfig({ DATA_DIR: tmp, DATABASE_URL: rig.db.url });
      await initKeys(config, { custodian: "custodian", passphrase: "calendar pages test passphrase" });
      rig.deps.keys = await loadKeys(config); // sessions are keyed with the server's secret
      supervisor = (await createStaff(rig, { username: "cal.sup", office: "430100", roles: ["supervisor"] }))
        .cookie;
      admin = (await createStaff(rig, { username: "cal.admin", office: "430000", roles: ["admin"] })).cookie;
      handler = (
        await createStaff(rig, { username: "cal.h", office: "430112", roles: ["intake", "handler"] })
      ).cookie;
      expected = provisionalYearsAhead(await loadWorkCalendar(rig.deps.db), shanghaiDate(new Date()));
      server = await start();
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
      await rig?.destroy();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("logs at start which years are provisional, and nothing else", () => {
      expect(expected.length).toBeGreaterThan(0);
      const lines = server
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
      const ctx = { deps: rig.deps, requestId: "t", actor: { kind: "system" as const, name: "t" } };
      for (const year of expected) {
        await loadCalendarNotice({
          ctx,
          input: { year, source: `测试通知 ${year}`, holidays: [{ date: `${year}-01-01`, name: "元旦" }] },
        });
      }
      await server.stop();
      server = await start();
      const r = await page(supervisor, "/staff");
      expect(r.status).toBe(200);
      expect(r.html).not.toContain("年节假日安排尚未载入");
      expect(server.output()).not.toContain("calendar: no State Council");
    });
  },
);
