// Issue 10 §4: a real-name reporter may give a landline instead of a mobile, and a unit may report
// under its name. Redaction covers both as it covers a mobile and a person's name: however they
// are typed in the narrative (full-width digits, brackets, separators, +86, spaces inside a name).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeLandline } from "../../api/domain/phone";
import { redactionPatterns, redactWith } from "../../api/domain/redact";
import { normalizedText } from "../../api/domain/text-view";
import { digitsForm, FILLER, nameForm, PLACES } from "../helpers/identities";

const runs = Number(process.env.REDACT_PROPERTY_RUNS ?? 500);

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""));

/** An area code (010, 02x: three digits; 0[3-9]xx: four) and a local number of 7 or 8 digits, not starting 0 or 1. */
const landlineArb = fc
  .tuple(
    fc.oneof(
      fc.constant("010"),
      digits(1, 1).map((d) => `02${d}`),
      fc.tuple(fc.integer({ min: 3, max: 9 }), digits(2, 2)).map(([a, b]) => `0${a}${b}`),
    ),
    fc.integer({ min: 2, max: 9 }),
    digits(6, 7),
  )
  .map(([area, first, rest]) => ({ area, local: `${first}${rest}` }));

type Landline = { area: string; local: string };

const fullWidth = (s: string) => s.replace(/[0-9+()]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const SEPS = ["", " ", "-", "－", "　", ".", "/", "—", "·"];

/** The whole number as people type it: grouped, bracketed, with +86, in full-width digits. */
function landlineForm(l: Landline): fc.Arbitrary<string> {
  return fc
    .record({
      how: fc.constantFrom("digits", "brackets", "fullBrackets", "country", "countryZero"),
      sep: fc.constantFrom(...SEPS),
      local: digitsForm(l.local),
      whole: digitsForm(l.area + l.local),
      wide: fc.boolean(),
    })
    .map((f) => {
      let s: string;
      if (f.how === "digits") s = f.whole;
      else if (f.how === "brackets") s = `(${l.area})${f.sep}${f.local}`;
      else if (f.how === "fullBrackets") s = `（${l.area}）${f.local}`;
      else if (f.how === "country") s = `+86${f.sep}${l.area.slice(1)}${f.sep}${f.local}`;
      else s = `+86 ${l.area}${f.sep}${f.local}`;
      return f.wide ? fullWidth(s) : s;
    });
}

/** What may stand next to the whole number (digits too: the whole number needs no boundary). */
const around = fc.constantFrom("", "我", "，", "：", "7", "12", "（", "的");
/** Next to a local number written alone: not a digit (it is then a different, longer number). */
const aroundLocal = fc.constantFrom("", "我", "，", "：", "（", "的", "ab");

const UNIT_PLACES = [...PLACES.city, ...PLACES.district];
const UNIT_MIDDLES = ["某某", "宏达", "鑫源", "华泰", "天成"];
const UNIT_KINDS = [
  "建筑工程有限公司",
  "商贸有限责任公司",
  "物业管理有限公司",
  "农民专业合作社",
  "村民委员会",
];
const unitArb = fc
  .tuple(fc.constantFrom(...UNIT_PLACES), fc.constantFrom(...UNIT_MIDDLES), fc.constantFrom(...UNIT_KINDS))
  .map(([place, middle, kind]) => ({ name: `${place}${middle}${kind}`, place }));

/** A unit's report: its name and landline, as intake validated them, typed in the narrative. */
const unitReportArb = fc
  .tuple(unitArb, landlineArb)
  .chain(([unit, line]) =>
    fc.tuple(
      fc.constant(unit),
      fc.constant(line),
      nameForm(unit.name),
      landlineForm(line),
      fc.tuple(aroundLocal, digitsForm(line.local), aroundLocal),
      fc.tuple(around, around),
      fc.array(fc.constantFrom(...FILLER), { minLength: 1, maxLength: 3 }),
    ),
  );

describe("redaction of a landline and a unit's name, property-based", () => {
  it("no trace of the landline (whole or local) or the unit's name survives, in normalised form", () => {
    fc.assert(
      fc.property(
        unitReportArb,
        ([unit, line, nameTyped, lineTyped, [a1, localTyped, a2], [b1, b2], filler]) => {
          const phone = normalizeLandline(`${line.area}-${line.local}`);
          expect(phone).toBe(`${line.area}-${line.local}`);
          const patterns = redactionPatterns({ name: unit.name, phone });
          const text = [
            `我单位${nameTyped}反映`,
            `联系电话${b1}${lineTyped}${b2}`,
            `也可以打${a1}${localTyped}${a2}`,
            ...filler,
            `事情发生在${unit.place}附近`,
          ].join("。");
          const out = redactWith(text, patterns);
          const flat = normalizedText(out);
          expect(flat, `${line.local} survived in ${out}`).not.toContain(line.local);
          expect(flat, `${unit.name} survived in ${out}`).not.toContain(normalizedText(unit.name));
          // The place on its own is a fact of the case: it stays.
          expect(flat).toContain(normalizedText(`事情发生在${unit.place}附近`));
        },
      ),
      { numRuns: runs },
    );
  });

  it("a landline typed any way normalises to the one the patterns are built from", () => {
    fc.assert(
      fc.property(
        landlineArb.chain((l) => fc.tuple(fc.constant(l), landlineForm(l))),
        ([l, typed]) => {
          expect(normalizeLandline(typed)).toBe(`${l.area}-${l.local}`);
        },
      ),
      { numRuns: runs },
    );
  });

  it("text without the landline or the name is returned unchanged", () => {
    const plain = fc
      .array(fc.constantFrom(...FILLER, ...UNIT_PLACES, ...UNIT_MIDDLES, "，", "。", " "), { maxLength: 12 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(unitArb, landlineArb, plain, (unit, line, text) => {
        const patterns = redactionPatterns({ name: unit.name, phone: `${line.area}-${line.local}` });
        expect(redactWith(text, patterns)).toBe(text);
      }),
      { numRuns: runs },
    );
  });
});
