// 形势分析's pure parts (api/domain/stats.ts): which months the summary answers whole and which
// edges are counted from the cases, the year before, medians from day histograms.
import { describe, expect, it } from "vitest";
import { medianDays, monthsOf, periodYearBefore, splitPeriod, yearBefore } from "../../api/domain/stats";

describe("statistics periods", () => {
  it("reads whole months from the summary and at most two partial edges from the cases", () => {
    expect(splitPeriod({ from: "2025-01-01", to: "2025-12-31" }, "2026-03-15")).toEqual({
      wholeMonths: monthsOf({ from: "2025-01-01", to: "2025-12-31" }),
      edges: [],
    });
    expect(splitPeriod({ from: "2024-03-15", to: "2025-03-14" }, "2026-03-15")).toMatchObject({
      edges: [
        { from: "2024-03-15", to: "2024-03-31" },
        { from: "2025-03-01", to: "2025-03-14" },
      ],
    });
    expect(splitPeriod({ from: "2024-03-15", to: "2025-03-14" }, "2026-03-15").wholeMonths).toHaveLength(11);
    // Within one month: one edge.
    expect(splitPeriod({ from: "2026-02-03", to: "2026-02-20" }, "2026-03-15")).toEqual({
      wholeMonths: [],
      edges: [{ from: "2026-02-03", to: "2026-02-20" }],
    });
    // Up to today is the whole of the current month (nothing is received after today), and so
    // is a month after it.
    expect(splitPeriod({ from: "2026-01-01", to: "2026-03-15" }, "2026-03-15")).toEqual({
      wholeMonths: ["2026-01-01", "2026-02-01", "2026-03-01"],
      edges: [],
    });
    expect(splitPeriod({ from: "2026-03-01", to: "2026-04-10" }, "2026-03-15").edges).toEqual([]);
    // …but not a period that stops before today.
    expect(splitPeriod({ from: "2026-03-01", to: "2026-03-14" }, "2026-03-15").edges).toEqual([
      { from: "2026-03-01", to: "2026-03-14" },
    ]);
  });

  it("compares with the same dates a year earlier", () => {
    expect(yearBefore("2024-02-29")).toBe("2023-02-28");
    expect(periodYearBefore({ from: "2026-01-01", to: "2026-03-15" })).toEqual({
      from: "2025-01-01",
      to: "2025-03-15",
    });
    expect(monthsOf({ from: "2025-11-20", to: "2026-02-01" })).toEqual([
      "2025-11-01",
      "2025-12-01",
      "2026-01-01",
      "2026-02-01",
    ]);
  });

  it("takes the lower median of a day histogram", () => {
    expect(medianDays(new Map())).toBeNull();
    expect(medianDays(new Map([[5, 1]]))).toBe(5);
    expect(
      medianDays(
        new Map([
          [1, 1],
          [2, 1],
          [3, 1],
        ]),
      ),
    ).toBe(2);
    expect(
      medianDays(
        new Map([
          [21, 1],
          [15, 1],
        ]),
      ),
    ).toBe(15);
    expect(
      medianDays(
        new Map([
          [0, 10],
          [30, 11],
        ]),
      ),
    ).toBe(30);
  });
});
