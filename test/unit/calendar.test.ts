import { describe, expect, it } from "vitest";
import { builtInCalendar, chineseDaysOfficialYears, WorkCalendar } from "../../api/domain/calendar";
import {
  activeCalendar,
  addWorkingDays,
  clockStatus,
  dayNote,
  isWorkingDay,
  workingDaysBetween,
} from "../../api/domain/clock";
import { calendarNoticeFor, provisionalYearsAhead } from "../../api/services/calendar/notice";
import { parseNotice } from "../../api/services/calendar/notice-file";

const notice2027 = {
  year: 2027,
  source: "国务院办公厅关于2027年部分节假日安排的通知（测试）",
  holidays: [
    { date: "2027-01-01", name: "元旦" },
    { date: "2027-01-02", name: "元旦" },
    { date: "2027-01-03", name: "元旦" },
    { date: "2027-01-04", name: "元旦" },
  ],
  workdays: [{ date: "2027-01-09", name: "元旦调休" }],
};

describe("the calendar after chinese-days' data ends (2026-12-31)", () => {
  it("still knows 2027's statutory holidays: provisional, never 'no holidays'", () => {
    const cal = activeCalendar();
    expect(cal.status(2026)).toBe("official");
    expect(cal.status(2027)).toBe("provisional");
    expect(isWorkingDay("2027-01-01")).toBe(false); // a Friday: 元旦
    expect(dayNote("2027-01-01")).toBe("元旦");
    expect(isWorkingDay("2027-02-05")).toBe(false); // 除夕, a Friday
    expect(isWorkingDay("2027-02-08")).toBe(false); // 初三, a Monday
    expect(isWorkingDay("2027-02-09")).toBe(true);
    expect(isWorkingDay("2027-06-09")).toBe(false); // 端午, a Wednesday
    expect(isWorkingDay("2027-09-15")).toBe(false); // 中秋, a Wednesday
    expect(isWorkingDay("2027-10-01")).toBe(false);
    expect(isWorkingDay("2027-10-04")).toBe(true); // no 调休 in a provisional year
  });

  it("counts 15 working days from Friday 2026-12-25 to 2027-01-18, skipping 元旦 2027", () => {
    // 12-28…12-31 (4) | 01-01 元旦 | 01-04…01-08 (9) | 01-11…01-15 (14) | 01-18 (15)
    expect(addWorkingDays("2026-12-25", 15)).toBe("2027-01-18");
    expect(addWorkingDays("2026-12-25", 4)).toBe("2026-12-31");
    expect(addWorkingDays("2026-12-25", 5)).toBe("2027-01-04");
    expect(workingDaysBetween("2026-12-25", "2027-01-18")).toBe(15);
    expect(clockStatus("2027-01-04", "2026-12-31")).toEqual({ daysLeft: 1, overdue: false });
  });

  it("counts 5 working days from 2027-02-03 across 春节 to 2027-02-12", () => {
    // 02-04 (1) | 02-05…02-08 春节 | 02-09 … 02-12 (5)
    expect(addWorkingDays("2027-02-03", 5)).toBe("2027-02-12");
  });

  it("falls back to the fixed-date holidays beyond the derived years", () => {
    const cal = builtInCalendar();
    expect(cal.isWorkingDay("2150-10-01")).toBe(false); // a Thursday
    expect(cal.isWorkingDay("2150-05-01")).toBe(false);
    expect(cal.isWorkingDay("2150-10-05")).toBe(true);
  });
});

describe("an official year", () => {
  const loaded = new WorkCalendar([
    ...chineseDaysOfficialYears(),
    { year: 2027, source: notice2027.source, days: parseNoticeOk(notice2027) },
  ]);

  it("is exactly its notice: extra days off and the make-up Saturday, statutory days not listed are worked", () => {
    expect(loaded.status(2027)).toBe("official");
    expect(loaded.isWorkingDay("2027-01-04")).toBe(false); // extra holiday in the notice
    expect(loaded.isWorkingDay("2027-01-09")).toBe(true); // a Saturday, 调休上班
    expect(loaded.day("2027-01-09").name).toBe("元旦调休");
    // This test notice lists no 春节: then 除夕 is an ordinary Friday.
    expect(loaded.isWorkingDay("2027-02-05")).toBe(true);
    // 12-28…12-31 (4) | 01-01…01-04 off | 01-05 (5) … 01-08 (8) | Saturday 01-09 (9)
    expect(addWorkingDays("2026-12-25", 5, loaded)).toBe("2027-01-05");
    expect(addWorkingDays("2026-12-25", 5)).toBe("2027-01-04"); // provisional: 01-04 is worked
    expect(addWorkingDays("2026-12-25", 9, loaded)).toBe("2027-01-09");
  });

  it("lists a December 元旦 bridge with the next year's notice", () => {
    const y2019 = chineseDaysOfficialYears().find((y) => y.year === 2019)!;
    expect(y2019.days.filter((d) => d.date < "2019-01-01")).toEqual([
      { date: "2018-12-29", kind: "workday", name: "元旦" },
      { date: "2018-12-30", kind: "holiday", name: "元旦" },
      { date: "2018-12-31", kind: "holiday", name: "元旦" },
    ]);
    expect(chineseDaysOfficialYears().map((y) => y.year)).toEqual(
      Array.from({ length: 23 }, (_, i) => 2004 + i),
    );
  });
});

function parseNoticeOk(raw: unknown) {
  const r = parseNotice(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.notice.days;
}

describe("the notice file", () => {
  const bad = (patch: Record<string, unknown>) => {
    const r = parseNotice({ ...notice2027, ...patch });
    if (r.ok) throw new Error("accepted");
    return r.errors.map((e) => [e.path, e.code]);
  };

  it("accepts the documented format", () => {
    const r = parseNotice(notice2027);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.notice.days).toHaveLength(5);
  });

  it("accepts a December 元旦 bridge of the year before", () => {
    expect(
      parseNotice({ ...notice2027, holidays: [{ date: "2026-12-31", name: "元旦" }], workdays: [] }).ok,
    ).toBe(true);
  });

  it("refuses a date outside the year, with its path", () => {
    expect(bad({ holidays: [{ date: "2028-01-01", name: "元旦" }] })).toEqual([
      ["holidays.0.date", "calendar.outside_year"],
    ]);
    expect(bad({ holidays: [{ date: "2026-10-01", name: "国庆" }] })).toEqual([
      ["holidays.0.date", "calendar.outside_year"],
    ]);
  });

  it("refuses a date that is both a holiday and a workday", () => {
    expect(bad({ workdays: [{ date: "2027-01-02", name: "调休" }] })).toEqual([
      ["workdays.0.date", "calendar.both"],
    ]);
  });

  it("refuses a date listed twice, a make-up 'workday' on a weekday, and dates that do not exist", () => {
    expect(
      bad({
        workdays: [
          { date: "2027-01-09", name: "调休" },
          { date: "2027-01-09", name: "调休" },
        ],
      }),
    ).toEqual([["workdays.1.date", "calendar.duplicate"]]);
    expect(bad({ workdays: [{ date: "2027-01-11", name: "调休" }] })).toEqual([
      ["workdays.0.date", "calendar.workday_weekday"],
    ]);
    expect(bad({ holidays: [{ date: "2027-02-30", name: "春节" }] })).toEqual([
      ["holidays.0.date", "calendar.date"],
    ]);
  });

  it("refuses a missing source, an odd year, no holidays and unknown fields, each with a message", () => {
    const r = parseNotice({ year: 27, holidays: [], extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual(["(file)", "holidays", "source", "year"]);
    for (const e of r.errors) expect(e.message).toMatch(/[\u4e00-\u9fff].* [A-Z]/);
  });
});

describe("the provisional-year warning", () => {
  const cal = builtInCalendar();
  it("names 2027 from 2026-11-01 (60 days ahead reach 2026-12-31 only until 2026-11-01)", () => {
    expect(provisionalYearsAhead(cal, "2026-11-01")).toEqual([]);
    expect(provisionalYearsAhead(cal, "2026-11-02")).toEqual([2027]);
    expect(provisionalYearsAhead(cal, "2026-12-01")).toEqual([2027]);
    expect(provisionalYearsAhead(cal, "2026-06-01")).toEqual([]);
  });

  it("is shown to admins and supervisors only", () => {
    const now = new Date("2026-12-01T02:00:00Z");
    const staff = (roles: ("admin" | "supervisor" | "handler" | "intake")[]) => ({
      kind: "staff" as const,
      id: "x",
      username: "u",
      officeCode: "430000",
      roles,
    });
    expect(calendarNoticeFor(staff(["supervisor"]), now, cal)).toEqual([2027]);
    expect(calendarNoticeFor(staff(["admin"]), now, cal)).toEqual([2027]);
    expect(calendarNoticeFor(staff(["intake", "handler"]), now, cal)).toEqual([]);
    expect(calendarNoticeFor(staff(["supervisor"]), new Date("2026-09-01T02:00:00Z"), cal)).toEqual([]);
  });
});
