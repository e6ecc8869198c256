import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import cd from "chinese-days";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveStatutoryHolidays } from "../../api/domain/calendar-derive";

// The provisional calendar: statutory holidays derived from 《全国年节及纪念日放假办法》 (2024) with
// chinese-days' lunar calendar, generated once under TZ=UTC into db/seed/provisional-holidays.json.
const require = createRequire(import.meta.url);
const committed = require("../../db/seed/provisional-holidays.json") as {
  years: Record<string, Record<string, string>>;
};
const official = require("chinese-days/dist/chinese-days.json") as { holidays: Record<string, string> };
const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const run = promisify(execFile);

const asRecord = (year: number) =>
  Object.fromEntries(deriveStatutoryHolidays(year).map((h) => [h.date, h.name]));

describe("deriving the statutory holidays (under TZ=UTC)", () => {
  const tz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "UTC";
  });
  afterAll(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("gives 2027: 元旦 01-01, 春节 02-05 (除夕, 腊月廿九) to 02-08, 清明 04-05, 劳动节 05-01–02, 端午 06-09, 中秋 09-15, 国庆 10-01–03", () => {
    expect(asRecord(2027)).toEqual({
      "2027-01-01": "元旦",
      "2027-02-05": "春节",
      "2027-02-06": "春节",
      "2027-02-07": "春节",
      "2027-02-08": "春节",
      "2027-04-05": "清明",
      "2027-05-01": "劳动节",
      "2027-05-02": "劳动节",
      "2027-06-09": "端午",
      "2027-09-15": "中秋",
      "2027-10-01": "国庆节",
      "2027-10-02": "国庆节",
      "2027-10-03": "国庆节",
    });
  });

  it("takes 除夕 as the last day of the 12th lunar month: 廿九 (2026-02-16) or 三十 (2030-02-02)", () => {
    const spring = (y: number) =>
      deriveStatutoryHolidays(y)
        .filter((h) => h.name === "春节")
        .map((h) => h.date);
    expect(spring(2026)).toEqual(["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19"]);
    expect(spring(2030)).toEqual(["2030-02-02", "2030-02-03", "2030-02-04", "2030-02-05"]);
    for (let y = 2025; y <= 2099; y++) {
      const [chuxi, chuyi, , chusan] = spring(y).map((d) => cd.getLunarDate(d));
      expect([chuxi.lunarMon, chuxi.isLeap, chuxi.lunarDay >= 29], `${y} 除夕`).toEqual([12, false, true]);
      expect([chuyi.lunarMon, chuyi.lunarDay, chusan.lunarDay], `${y} 初一`).toEqual([1, 1, 3]);
    }
  });

  it("counts 中秋 on 国庆 (2028-10-03) once: 12 days that year", () => {
    const y = asRecord(2028);
    expect(Object.keys(y)).toHaveLength(12);
    expect(y["2028-10-03"]).toBe("中秋");
    expect(y["2028-05-28"]).toBe("端午"); // 2028 has a leap fifth month: the ordinary one counts
  });

  it("agrees with the State Council's notices of 2025 and 2026: every derived holiday is an official one", () => {
    for (const year of [2025, 2026]) {
      for (const h of deriveStatutoryHolidays(year))
        expect(official.holidays[h.date], `${h.date} ${h.name}`).toBeTruthy();
    }
  });

  it("is what db/seed/provisional-holidays.json holds, for every year 2025–2099", () => {
    expect(Object.keys(committed.years)).toHaveLength(75);
    for (let y = 2025; y <= 2099; y++) expect(committed.years[String(y)], String(y)).toEqual(asRecord(y));
  });

  it("refuses to run in another time zone, where chinese-days answers a day off", () => {
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(() => deriveStatutoryHolidays(2027)).toThrow(/UTC/);
    } finally {
      process.env.TZ = "UTC";
    }
  });
});

describe("time-zone independence", () => {
  it.each(["America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"])(
    "the generator started under TZ=%s writes the committed years",
    async (zone) => {
      const { stdout } = await run(
        TSX,
        ["db/seed/generate-provisional-holidays.ts", "--years", "2027,2028,2050,2099", "--out", "-"],
        { cwd: ROOT, env: { ...process.env, TZ: zone } },
      );
      const years = (JSON.parse(stdout) as typeof committed).years;
      for (const y of ["2027", "2028", "2050", "2099"])
        expect(years[y], `${zone} ${y}`).toEqual(committed.years[y]);
    },
  );

  it.each(["America/Los_Angeles", "Asia/Shanghai"])(
    "the clock under TZ=%s counts 2027 with its statutory holidays",
    async (zone) => {
      const script = [
        'import { addWorkingDays, dayNote, isWorkingDay } from "./api/domain/clock.ts";',
        "console.log(JSON.stringify({",
        '  due: addWorkingDays("2026-12-25", 15),',
        '  chuxi: isWorkingDay("2027-02-05"), note: dayNote("2027-02-05"),',
        '  qingming: isWorkingDay("2027-04-05"), after: isWorkingDay("2027-04-06"),',
        "}));",
      ].join("\n");
      const { stdout } = await run(TSX, ["--input-type=module", "-e", script], {
        cwd: ROOT,
        env: { ...process.env, TZ: zone },
      });
      expect(JSON.parse(stdout)).toEqual({
        due: "2027-01-18",
        chuxi: false,
        note: "春节",
        qingming: false,
        after: true,
      });
    },
  );
});
