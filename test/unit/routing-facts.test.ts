import { describe, expect, it } from "vitest";
import { loadDivisionsSync, OfficeDirectory } from "../../api/domain/divisions";
import { type RoutingEvent, routingFacts, workflowCaseOf } from "../../api/services/cases/facts";

// The 交办 ledger of a case read from its trail: who awaits whose result (报结), who reviews it
// (审核/销号), and how the case came to the office holding it.
const offices = new OfficeDirectory(loadDivisionsSync("430000"));
const PROVINCE = "430000";
const CITY = "430100";
const COUNTY = "430112";
const move = (kind: string, from: string, to: string, fromStage = "registered"): RoutingEvent => ({
  kind,
  data: { from, to, fromStage },
});
const approved: RoutingEvent = { kind: "approved", data: { of: COUNTY } };
const facts = (events: RoutingEvent[], officeCode: string, stage: "received" | "handling" | "reviewing") =>
  workflowCaseOf(
    { stage, officeCode, nextDueOn: null, realName: true, type: "accusation" },
    routingFacts(events, officeCode),
    offices,
    "2026-03-02",
  );

describe("routing facts", () => {
  it("opens a 交办 when sent, keeps it through 报结 and 退回重办, closes it at 销号", () => {
    const sent = [move("assigned", CITY, COUNTY)];
    expect(facts(sent, COUNTY, "received")).toMatchObject({
      assignedBy: CITY,
      review: null,
      arrival: { via: "assigned", fromOffice: CITY, fromStage: "registered" },
    });
    const reported = [...sent, move("reported", COUNTY, CITY, "handling")];
    expect(facts(reported, CITY, "reviewing")).toMatchObject({
      assignedBy: null,
      review: { of: COUNTY, outerAssignedBy: null },
      arrival: { via: "reported", fromOffice: COUNTY },
    });
    const reworked = [...reported, move("reworked", CITY, COUNTY, "reviewing")];
    expect(facts(reworked, COUNTY, "handling")).toMatchObject({ assignedBy: CITY, review: null });
    const again = [...reworked, move("reported", COUNTY, CITY, "handling"), approved];
    expect(routingFacts(again, CITY).assignments).toEqual([]);
    expect(facts(again, CITY, "handling")).toMatchObject({ assignedBy: null, review: null });
  });

  it("closes a 交办 the receiving office gives back (退回)", () => {
    const back = [move("assigned", CITY, COUNTY), move("returned", COUNTY, CITY, "received")];
    expect(routingFacts(back, CITY).assignments).toEqual([]);
    expect(facts(back, CITY, "received")).toMatchObject({ assignedBy: null, review: null });
  });

  it("tracks a 交办 inside a 交办: the city reviews the county, then reports to the province", () => {
    const nested = [
      move("assigned", PROVINCE, CITY),
      move("assigned", CITY, COUNTY),
      move("reported", COUNTY, CITY, "handling"),
    ];
    expect(facts(nested, CITY, "reviewing")).toMatchObject({
      review: { of: COUNTY, outerAssignedBy: PROVINCE },
    });
    const afterApproval = [...nested, approved];
    expect(facts(afterApproval, CITY, "handling")).toMatchObject({ assignedBy: PROVINCE, review: null });
  });

  it("owes feedback for a real-name 检举控告 only", () => {
    const row = { stage: "handling" as const, officeCode: CITY, nextDueOn: null };
    const none = routingFacts([], CITY);
    expect(
      workflowCaseOf({ ...row, realName: true, type: "accusation" }, none, offices, "2026-03-02")
        .owesFeedback,
    ).toBe(true);
    for (const [realName, type] of [
      [false, "accusation"],
      [true, "appeal"],
      [true, "suggestion"],
    ] as const) {
      expect(workflowCaseOf({ ...row, realName, type }, none, offices, "2026-03-02").owesFeedback).toBe(
        false,
      );
    }
  });
});
