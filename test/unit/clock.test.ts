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
import { planClockRules } from "../../api/domain/clock-plan";
import {
  CLOCK_RULES,
  type ClockFacts,
  clockRulesFor,
  OFFICE_CLOCK_RULES,
  ruleApplies,
  startKinds,
} from "../../api/domain/clock-rules";

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
  const facts = (over: Partial<ClockFacts> = {}): ClockFacts => ({
    realName: true,
    disposition: null,
    officeLevel: "county",
    type: "accusation",
    repeat: false,
    publicStatus: "received",
    stage: "received",
    ...over,
  });
  const rule = (id: string) => CLOCK_RULES.find((r) => r.id === id)!;
  const at = (shanghaiLocal: string) => new Date(`${shanghaiLocal}+08:00`);

  it("has the rules of the 检举控告工作规则 and the two the office sets itself, each quoting its source", () => {
    expect(CLOCK_RULES.map((r) => r.id)).toEqual([
      "accept_notice",
      "register_forwarded",
      "register_escalated",
      "result_notice",
      "assign_report",
      "objection_check",
    ]);
    expect(rule("accept_notice").due).toEqual({ workingDays: 15 });
    expect(rule("register_forwarded").due).toEqual({ workingDays: 5 });
    expect(rule("register_escalated").due).toEqual({ workingDays: 5 });
    expect(rule("result_notice").due).toEqual({ workingDays: 15 });
    for (const r of CLOCK_RULES) {
      expect(r.source.document, r.id).not.toBe("");
      expect(r.source.text, r.id).toMatch(/\p{Script=Han}/u);
      if ("workingDays" in r.due) {
        expect(r.source.article, r.id).toMatch(/^第.+条/);
        // The number of days the rule counts is the number its quoted text says.
        expect(r.source.text, r.id).toContain(`${r.due.workingDays}个工作日`);
      }
    }
    expect(rule("register_escalated").source.article).toBe("第十五条第一款");
    expect(rule("register_forwarded").source.article).toBe("第十六条第二款");
  });

  it("runs 受理告知 for a real-name 检举控告 only, never for a repeat or once accepted", () => {
    const accept = rule("accept_notice");
    expect(ruleApplies(accept, facts())).toBe(true);
    expect(ruleApplies(accept, facts({ realName: false }))).toBe(false);
    expect(ruleApplies(accept, facts({ type: "appeal" }))).toBe(false);
    expect(ruleApplies(accept, facts({ type: "suggestion" }))).toBe(false);
    expect(ruleApplies(accept, facts({ repeat: true }))).toBe(false);
    // A case assigned or escalated after it was accepted: the reporter was told already.
    expect(ruleApplies(accept, facts({ publicStatus: "accepted" }))).toBe(false);
  });

  it("runs 反馈 from 办结 for a real-name 检举控告 only (not from 予以了结, not for anonymous reports)", () => {
    const result = rule("result_notice");
    // 办结, 销号 of a 交办's result, or the approval of a conclusion held for 提级审核.
    expect(startKinds(result)).toEqual(["concluded", "approved", "review_approved"]);
    const concluded = facts({ publicStatus: "concluded", stage: "awaiting_feedback" });
    expect(ruleApplies(result, concluded)).toBe(true);
    expect(ruleApplies(result, { ...concluded, realName: false, stage: "concluded" })).toBe(false);
    expect(ruleApplies(result, { ...concluded, type: "suggestion", stage: "concluded" })).toBe(false);
    expect(ruleApplies(result, facts({ disposition: "close", stage: "handling" }))).toBe(false);
    expect(startKinds(result)).not.toContain("in_progress");
  });

  it("plans 反馈 15 working days from the recorded 办结 date, stopping every other clock", () => {
    const plan = planClockRules(
      CLOCK_RULES,
      {
        kind: "concluded",
        at: at("2025-10-09T10:00:00"),
        data: { concludedOn: "2025-09-29" },
        caseReceivedAt: at("2025-09-01T09:00:00"),
        stopAll: true,
      },
      facts({ publicStatus: "concluded", stage: "awaiting_feedback" }),
    );
    expect(plan.stop).toBe("all");
    // 09-29 + 15 working days across 国庆 (10-01…10-08 off, Saturday 10-11 worked): 09-30, 10-09,
    // 10-10, 10-11, then 10-13 … 10-27.
    expect(plan.start).toEqual([{ rule: "result_notice", startedOn: "2025-09-29", dueOn: "2025-10-27" }]);
  });

  it("counts 受理告知 of a forwarded case from the first receipt, or from the office's when a province says so", () => {
    const forwarded = {
      kind: "forwarded",
      at: at("2026-09-29T09:30:00"),
      caseReceivedAt: at("2026-09-21T15:00:00"),
    };
    const core = planClockRules(CLOCK_RULES, forwarded, facts());
    expect(core.stop).toEqual({
      rules: ["accept_notice", "register_forwarded", "register_escalated"],
      officeRules: [],
    });
    expect(core.start).toEqual([
      { rule: "accept_notice", startedOn: "2026-09-21", dueOn: addWorkingDays("2026-09-21", 15) },
      { rule: "register_forwarded", startedOn: "2026-09-29", dueOn: "2026-10-12" },
    ]);
    const own = { ...rule("accept_notice"), countsFrom: "event" as const };
    const province = planClockRules(
      CLOCK_RULES.map((r) => (r.id === own.id ? own : r)),
      forwarded,
      facts(),
    );
    expect(province.start[0]).toEqual({
      rule: "accept_notice",
      startedOn: "2026-09-29",
      dueOn: addWorkingDays("2026-09-29", 15),
    });
  });

  it("gives an escalated case 5 working days at the office above", () => {
    const plan = planClockRules(
      CLOCK_RULES,
      { kind: "escalated", at: at("2026-09-29T09:30:00"), caseReceivedAt: at("2026-09-29T09:00:00") },
      facts({ publicStatus: "accepted", stage: "received" }),
    );
    expect(plan.start).toEqual([
      { rule: "register_escalated", startedOn: "2026-09-29", dueOn: "2026-10-12" },
    ]);
  });

  it("stops a 交办's report clock only at the office that reports (a 交办 inside a 交办 keeps its own)", () => {
    const plan = planClockRules(
      CLOCK_RULES,
      { kind: "reported", at: at("2026-03-10T10:00:00"), caseReceivedAt: at("2026-03-02T10:00:00") },
      facts({ publicStatus: "in_progress", stage: "reviewing" }),
    );
    expect(plan.stop).toEqual({ rules: ["objection_check"], officeRules: ["assign_report"] });
    const rework = planClockRules(
      CLOCK_RULES,
      {
        kind: "reworked",
        at: at("2026-03-10T10:00:00"),
        data: { dueOn: "2026-03-31" },
        caseReceivedAt: at("2026-03-02T10:00:00"),
      },
      facts({ publicStatus: "in_progress", stage: "handling" }),
    );
    expect(rework.start).toEqual([{ rule: "assign_report", startedOn: "2026-03-10", dueOn: "2026-03-31" }]);
  });

  it("knows no extra rules for a province that has none; an office's own rule replaces the province's", () => {
    expect(clockRulesFor("110000")).toEqual(CLOCK_RULES);
    expect(clockRulesFor("430000", "430100")).toEqual(CLOCK_RULES);
    const faster = { ...rule("register_forwarded"), due: { workingDays: 3 } };
    OFFICE_CLOCK_RULES["430100"] = [faster];
    try {
      const city = clockRulesFor("430000", "430100");
      expect(city.map((r) => r.id)).toEqual(CLOCK_RULES.map((r) => r.id));
      expect(city.find((r) => r.id === "register_forwarded")!.due).toEqual({ workingDays: 3 });
      expect(clockRulesFor("430000", "430112").find((r) => r.id === "register_forwarded")!.due).toEqual({
        workingDays: 5,
      });
    } finally {
      delete OFFICE_CLOCK_RULES["430100"];
    }
  });
});
