import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkIdNumber, idNumberCheckChar, normalizeIdNumber } from "../../api/domain/id-number";
import { normalizeMobile } from "../../api/domain/phone";
import { digitsForm, idNumberArb, mobileArb } from "../helpers/identities";

describe("ID number (GB 11643)", () => {
  it("accepts valid numbers, including a final X in either case", () => {
    expect(checkIdNumber("430102199003071234")).toBeUndefined();
    expect(checkIdNumber("11010519491231002X")).toBeUndefined();
    expect(checkIdNumber("11010519491231002x")).toBeUndefined();
  });
  it("computes the ISO 7064 MOD 11-2 check character", () => {
    expect(idNumberCheckChar("43010219900307123")).toBe("4");
    expect(idNumberCheckChar("11010519491231002")).toBe("X");
  });
  it("names what is wrong", () => {
    expect(checkIdNumber("430102199003071235")).toBe("checksum");
    expect(checkIdNumber("43010219900307123")).toBe("format");
    expect(checkIdNumber("4301021990030712345")).toBe("format");
    expect(checkIdNumber("43010219900230123X")).toBe("date"); // 30 February
    expect(checkIdNumber("430102A99003071234")).toBe("format");
  });
  it("finds every single-digit typo", () => {
    const valid = "430102199003071234";
    for (let i = 0; i < 17; i++) {
      const d = Number(valid[i]);
      const typo = `${valid.slice(0, i)}${(d + 1) % 10}${valid.slice(i + 1)}`;
      expect(checkIdNumber(typo)).not.toBeUndefined();
    }
  });
});

describe("mainland mobile numbers", () => {
  it("accepts 11 digits from 13 to 19, with +86 and separators", () => {
    expect(normalizeMobile("13800138000")).toBe("13800138000");
    expect(normalizeMobile("+86 138-0013-8000")).toBe("13800138000");
    expect(normalizeMobile("0086 199 1234 5678")).toBe("19912345678");
  });
  it("refuses landlines, short numbers and other prefixes", () => {
    expect(normalizeMobile("0731-88888888")).toBeUndefined();
    expect(normalizeMobile("1380013800")).toBeUndefined();
    expect(normalizeMobile("12800138000")).toBeUndefined();
    expect(normalizeMobile("138001380001")).toBeUndefined();
  });
});

describe("identity fields as people type them", () => {
  it("reads full-width digits and separators in the ID number and the mobile", () => {
    expect(checkIdNumber("４３０１０２１９９００３０７１２３４")).toBeUndefined();
    expect(checkIdNumber("430102 19900307 1234")).toBeUndefined();
    expect(checkIdNumber("11010519491231002ｘ")).toBeUndefined();
    expect(normalizeIdNumber("４３０１０２-１９９００３０７-１２３４")).toBe("430102199003071234");
    expect(normalizeMobile("１３９１２３４５６７８")).toBe("13912345678");
    expect(normalizeMobile("139.1234.5678")).toBe("13912345678");
    expect(normalizeMobile("（+86）139 1234 5678")).toBe("13912345678");
    expect(normalizeMobile("139－1234－5678")).toBe("13912345678");
  });

  it("still refuses what is not a number", () => {
    expect(checkIdNumber("430102 1990O307 1234")).toBe("format");
    expect(normalizeMobile("139一二三四5678")).toBeUndefined();
    expect(normalizeMobile("1391234567")).toBeUndefined();
  });

  it("any valid ID number or mobile, typed in any width with any separators, reads back as itself", () => {
    fc.assert(
      fc.property(
        idNumberArb.chain((id) => digitsForm(id).map((typed) => [id, typed] as const)),
        ([id, typed]) => {
          expect(checkIdNumber(typed)).toBeUndefined();
          expect(normalizeIdNumber(typed)).toBe(id);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        mobileArb.chain((m) => digitsForm(m).map((typed) => [m, typed] as const)),
        ([m, typed]) => {
          expect(normalizeMobile(typed)).toBe(m);
        },
      ),
      { numRuns: 300 },
    );
  });
});
