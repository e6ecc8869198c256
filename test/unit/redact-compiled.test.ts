import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type RedactionPatterns, redactionPatterns, redactWith } from "../../api/domain/redact";
import { identityArb, narrativeArb } from "../helpers/identities";

// redactWith reads a pattern set once and keeps what it read for the set's next texts (the title,
// body and subject fields of one report). Whatever the order, a set used for many texts gives
// each text what a fresh copy of the set gives it.
const fresh = (set: RedactionPatterns): RedactionPatterns => JSON.parse(JSON.stringify(set));

describe("redaction with a pattern set reused across texts", () => {
  it("gives every text what a fresh copy of the set gives it", () => {
    fc.assert(
      fc.property(
        identityArb.chain((id) =>
          fc.tuple(fc.constant(id), fc.array(narrativeArb(id), { minLength: 1, maxLength: 4 })),
        ),
        ([id, texts]) => {
          const set = redactionPatterns(id);
          for (const text of [...texts, ...texts.reverse()]) {
            expect(redactWith(text, set)).toBe(redactWith(text, fresh(set)));
          }
        },
      ),
      { numRuns: Number(process.env.REDACT_PROPERTY_RUNS ?? 200) },
    );
  });

  it("reads a set again when its pattern list was replaced", () => {
    const set: RedactionPatterns = { v: 1, patterns: [{ key: "王晓明", word: true }] };
    expect(redactWith("王晓明和李四", set)).toBe("〔已隐去〕和李四");
    set.patterns = [{ key: "李四", word: true }];
    expect(redactWith("王晓明和李四", set)).toBe("王晓明和〔已隐去〕");
    set.patterns.push({ key: "王晓明", word: true });
    expect(redactWith("王晓明和李四", set)).toBe("〔已隐去〕和〔已隐去〕");
  });
});
