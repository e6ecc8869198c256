// The audit log's copy of a person-history request (purpose, requesting body, 文号, name, unit)
// masks what looks like an ID or mobile number (api/domain/identity-mask.ts): property-based, the
// output never trips identityWarnings, text without such numbers is kept exactly, and it is stable.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idNumberCheckChar } from "../../api/domain/id-number";
import { maskIdentityNumbers } from "../../api/domain/identity-mask";
import { identityWarnings } from "../../api/domain/identity-warnings";

const runs = Number(process.env.MASK_PROPERTY_RUNS ?? 400);

const FULL = "０１２３４５６７８９";
const digitsArb = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n });
const idArb = digitsArb(17).map((d) => {
  const s = d.join("");
  return s + idNumberCheckChar(s);
});
const mobileArb = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digitsArb(9))
  .map(([second, rest]) => `1${second}${rest.join("")}`);
/** A number as people type it: full-width digits, separators between groups, a masked middle. */
const writtenArb = (n: string) =>
  fc
    .tuple(fc.boolean(), fc.constantFrom("", " ", "-", "－", "　", ".", "，"), fc.integer({ min: 2, max: 6 }))
    .map(([full, sep, every]) => {
      const chars = [...n].map((c) => (full && /\d/.test(c) ? FULL[Number(c)] : c));
      return chars.map((c, i) => (i > 0 && i % every === 0 ? sep + c : c)).join("");
    });
const fillerArb = fc.constantFrom(
  "省委组织部干部一处",
  "湘组干函〔2026〕158号",
  "拟提拔考察，联系电话",
  "身份证号",
  "2026年10月30日",
  "第12号",
  "ＡＢＣ",
  " ",
  "，",
  "x",
  "X",
  "****",
);
const textArb = fc
  .array(
    fc.oneof(
      fillerArb,
      idArb.chain(writtenArb),
      mobileArb.chain(writtenArb),
      mobileArb.map((m) => `${m.slice(0, 3)}****${m.slice(7)}`),
      fc.string({ maxLength: 8 }),
      digitsArb(4).map((d) => d.join("")),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

describe("maskIdentityNumbers", () => {
  it("leaves nothing identityWarnings would flag, whatever the text", () => {
    fc.assert(
      fc.property(textArb, (t) => {
        const out = maskIdentityNumbers(t);
        expect(identityWarnings(out), `${t} → ${out}`).toEqual([]);
        expect(maskIdentityNumbers(out)).toBe(out);
      }),
      { numRuns: runs },
    );
  });

  it("keeps text in which nothing is flagged exactly as it was", () => {
    fc.assert(
      fc.property(textArb, (t) => {
        if (identityWarnings(t).length === 0 && !/\d{3}\*{4}\d{4}/.test(t)) {
          expect(maskIdentityNumbers(t)).toBe(t);
        }
      }),
      { numRuns: runs },
    );
  });

  it("masks an ID number and a phone in a purpose, and keeps a 文号 and a date", () => {
    const id = `43010219900307123${idNumberCheckChar("43010219900307123")}`;
    const out = maskIdentityNumbers(
      `拟提拔考察（湘组干函〔2026〕158号，2026年10月30日）举报人${id}，电话139 1234 5678，另 139****5678`,
    );
    expect(out).toBe(
      "拟提拔考察（湘组干函〔2026〕158号，2026年10月30日）举报人〔已隐去〕，电话〔已隐去〕，另 〔已隐去〕",
    );
    expect(maskIdentityNumbers("省委组织部干部一处")).toBe("省委组织部干部一处");
    expect(maskIdentityNumbers("１３９－１２３４－５６７８")).toBe("〔已隐去〕");
  });
});
