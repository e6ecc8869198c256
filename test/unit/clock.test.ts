import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  clockStatus,
  dayNote,
  isIsoDate,
  isWorkingDay,
  shanghaiDate,
  workingDaysBetween,
} from "../../api/domain/clock";
import { CLOCK_RULES, clockRulesFor, ruleApplies } from "../../api/domain/clock-rules";

// The official calendar as chinese-days ships it (State Council notices), read independently of
// api/domain/clock.ts so the expected dates below are checked against the data, not the code.
const official = createRequire(import.meta.url)("chinese-days/dist/chinese-days.json") as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

describe("the official calendar data", () => {
  it("has the 2025 National Day week and its two make-up days", () => {
    for (const d of ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"]) {
      expect(official.holidays[d], d).toMatch(/国庆|中秋/);
    }
    expect(official.workdays["2025-09-28"]).toMatch(/国庆/); // a Sunday, worked
    expect(official.workdays["2025-10-11"]).toMatch(/国庆/); // a Saturday, worked
  });
  it("has the 2026 National Day week and 2026-10-10 as a make-up Saturday", () => {
    for (const d of ["2026-10-01", "2026-10-05", "2026-10-07"])
      expect(official.holidays[d], d).toMatch(/国庆/);
    expect(official.workdays["2026-09-20"]).toMatch(/国庆/);
    expect(official.workdays["2026-10-10"]).toMatch(/国庆/);
    expect(official.holidays["2026-09-25"]).toMatch(/中秋/);
  });
});

describe("working days", () => {
  it("follows holidays and 调休", () => {
    expect(isWorkingDay("2025-09-27")).toBe(false); // Saturday
    expect(isWorkingDay("2025-09-28")).toBe(true); // Sunday, 调休上班
    expect(isWorkingDay("2025-10-01")).toBe(false); // 国庆
    expect(isWorkingDay("2025-10-08")).toBe(false);
    expect(isWorkingDay("2025-10-09")).toBe(true);
    expect(isWorkingDay("2025-10-11")).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay("2025-10-12")).toBe(false);
    expect(dayNote("2025-10-11")).toBe("国庆节");
    expect(dayNote("2025-10-13")).toBeUndefined();
  });

  it("agrees with the data on every day of 2025 and 2026", () => {
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      const w = new Date(t).getUTCDay();
      const expected = official.workdays[d] ? true : official.holidays[d] ? false : w >= 1 && w <= 5;
      expect(isWorkingDay(d), d).toBe(expected);
    }
  });

  it("counts 15 working days from a report on the make-up Sunday 2025-09-28 across 国庆 to 2025-10-24", () => {
    // 09-29, 09-30 | 10-01…10-08 off | 10-09, 10-10, 10-11 (调休 Saturday), 10-13 … 10-17, 10-20 … 10-24
    expect(addWorkingDays("2025-09-28", 15)).toBe("2025-10-24");
    expect(addWorkingDays("2025-09-28", 5)).toBe("2025-10-11"); // the make-up Saturday is the 5th
    expect(addWorkingDays("2025-09-28", 3)).toBe("2025-10-09");
  });

  it("counts from a report on 2026-09-29 across 国庆 2026 to 2026-10-26 (15) and 2026-10-12 (5)", () => {
    // 09-30 | 10-01…10-07 off | 10-08, 10-09, 10-10 (调休 Saturday), 10-12 …
    expect(addWorkingDays("2026-09-29", 1)).toBe("2026-09-30");
    expect(addWorkingDays("2026-09-29", 2)).toBe("2026-10-08");
    expect(addWorkingDays("2026-09-29", 4)).toBe("2026-10-10");
    expect(addWorkingDays("2026-09-29", 5)).toBe("2026-10-12");
    expect(addWorkingDays("2026-09-29", 15)).toBe("2026-10-26");
  });

  it("does not count the start day, so a weekend report runs from Monday", () => {
    expect(addWorkingDays("2026-03-07", 1)).toBe("2026-03-09"); // Saturday → Monday
    expect(addWorkingDays("2026-03-08", 1)).toBe("2026-03-09");
    expect(addWorkingDays("2026-03-06", 0)).toBe("2026-03-06");
  });

  it("lands n working days on, on a working day, for any date and n", () => {
    const day = fc
      .integer({ min: Date.UTC(2004, 0, 1), max: Date.UTC(2027, 11, 31) })
      .map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), (start, n) => {
        const due = addWorkingDays(start, n);
        expect(isWorkingDay(due)).toBe(true);
        expect(workingDaysBetween(start, due)).toBe(n);
        expect(addWorkingDays(start, n - 1) < due).toBe(true);
      }),
    );
  });

  it("counts the working days between two dates", () => {
    expect(workingDaysBetween("2025-09-28", "2025-10-24")).toBe(15);
    expect(workingDaysBetween("2025-10-24", "2025-09-28")).toBe(0);
    expect(workingDaysBetween("2025-09-30", "2025-10-09")).toBe(1);
  });

  it("tells days left and overdue", () => {
    expect(clockStatus("2025-10-24", "2025-10-20")).toEqual({ daysLeft: 4, overdue: false });
    expect(clockStatus("2025-10-24", "2025-10-24")).toEqual({ daysLeft: 0, overdue: false });
    expect(clockStatus("2025-10-24", "2025-10-25")).toEqual({ daysLeft: -1, overdue: true }); // Saturday
    expect(clockStatus("2025-10-24", "2025-10-28")).toEqual({ daysLeft: -2, overdue: true });
  });
});

describe("Asia/Shanghai dates", () => {
  it("takes the date in UTC+8 whatever the server's zone", () => {
    expect(shanghaiDate(new Date("2025-09-30T15:59:59Z"))).toBe("2025-09-30");
    expect(shanghaiDate(new Date("2025-09-30T16:00:00Z"))).toBe("2025-10-01");
  });
  it("recognises only real YYYY-MM-DD dates", () => {
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-2-28")).toBe(false);
    expect(() => addWorkingDays("2026-13-01", 1)).toThrow(RangeError);
  });
});

describe("clock rules as data", () => {
  it("has the three rules of the rules and the assignment's own", () => {
    expect(CLOCK_RULES.map((r) => r.id)).toEqual([
      "accept_notice",
      "register_forwarded",
      "result_notice",
      "assign_report",
    ]);
    expect(CLOCK_RULES.find((r) => r.id === "accept_notice")!.due).toEqual({ workingDays: 15 });
    expect(CLOCK_RULES.find((r) => r.id === "register_forwarded")!.due).toEqual({ workingDays: 5 });
  });
  it("applies a rule by its predicate", () => {
    const accept = CLOCK_RULES.find((r) => r.id === "accept_notice")!;
    const facts = { realName: true, disposition: null, officeLevel: "county" as const, type: "accusation" };
    expect(ruleApplies(accept, facts)).toBe(true);
    expect(ruleApplies(accept, { ...facts, realName: false })).toBe(false);
    const result = CLOCK_RULES.find((r) => r.id === "result_notice")!;
    expect(ruleApplies(result, { ...facts, disposition: "close" })).toBe(true);
    expect(ruleApplies(result, { ...facts, disposition: "hold" })).toBe(false);
  });
  it("knows no extra rules for a province that has none", () => {
    expect(clockRulesFor("110000")).toEqual(CLOCK_RULES);
  });
});
