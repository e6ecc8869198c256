// The repeat detector's quality on the labelled set (test/fixtures/repeats; bench:repeats reports
// the whole curve into bench/RESULTS.md): issue 11 asks for at least 0.9 precision at 0.8 recall.
import { describe, expect, it } from "vitest";
import { loadDivisionsSync } from "../../api/domain/divisions";
import { REPEAT_THRESHOLD, UnitReader } from "../../api/domain/repeats";
import { loadLabelledSet, PAIR_KINDS, quality, scorePairs } from "../fixtures/repeats/labelled";

describe("the repeat detector on the labelled set", () => {
  const scored = scorePairs(new UnitReader(loadDivisionsSync("430000")));

  it("holds at least 200 pairs of every kind, with repeats among them", () => {
    const { reports, pairs } = loadLabelledSet();
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    for (const kind of PAIR_KINDS)
      expect(
        pairs.some((p) => p.kind === kind),
        kind,
      ).toBe(true);
    expect(pairs.filter((p) => p.repeat).length).toBeGreaterThanOrEqual(80);
    // Labels follow from the tags: a repeat is about one matter.
    for (const p of pairs) {
      expect(p.repeat).toBe(reports.get(p.a)!.matter === reports.get(p.b)!.matter);
    }
  });

  it(`finds repeats with precision ≥ 0.9 at recall ≥ 0.8 at its threshold (${REPEAT_THRESHOLD})`, () => {
    const q = quality(scored, REPEAT_THRESHOLD);
    expect(q.precision, JSON.stringify(q)).toBeGreaterThanOrEqual(0.9);
    expect(q.recall, JSON.stringify(q)).toBeGreaterThanOrEqual(0.8);
  });

  it("calls no one else a repeat: other people with the same name, surname or unit", () => {
    const others = scored.filter((p) => p.kind === "same_name_other_person" || p.kind === "same_surname");
    expect(others.filter((p) => p.samePerson && p.similarity >= REPEAT_THRESHOLD)).toEqual([]);
  });
});
