import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityWarnings, maskForAudit } from "../../api/domain/identity-warnings";
import { redactionPatterns, redactOwnIdentifiers, redactWith } from "../../api/domain/redact";
import { normalizedText, numeralText } from "../../api/domain/text-view";
import {
  chineseDigitsForm,
  digitsForm,
  FILLER,
  type Identity,
  identityArb,
  idNumberArb,
  mobileArb,
  narrativeArb,
  PLACES,
  redTeamForm,
} from "../helpers/identities";

/** Every identifier of the identity in normalised form: none may be left in the output. */
function identifiers(id: Identity): Record<string, string> {
  const legacy =
    id.idNumber.slice(6, 8) === "19" ? id.idNumber.slice(0, 6) + id.idNumber.slice(8, 17) : undefined;
  return {
    name: id.name,
    idNumber: id.idNumber,
    ...(legacy ? { legacyIdNumber: legacy } : {}),
    phone: id.phone,
    email: id.email,
    address: id.specific,
  };
}

const runs = Number(process.env.REDACT_PROPERTY_RUNS ?? 500);

describe("redaction, property-based: identities typed in many forms", () => {
  it("no identifier survives, in normalised form, wherever and however it was written", () => {
    fc.assert(
      fc.property(
        identityArb.chain((id) => fc.tuple(fc.constant(id), narrativeArb(id))),
        ([id, text]) => {
          const out = redactOwnIdentifiers(text, id);
          const flat = normalizedText(out);
          for (const [what, value] of Object.entries(identifiers(id))) {
            expect(flat, `${what} ${value} survived in ${out}`).not.toContain(normalizedText(value));
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it("the red-team's forms (cue words, masked mobile, the flat's levels otherwise written) go", () => {
    fc.assert(
      fc.property(
        identityArb.chain((id) =>
          fc.tuple(
            fc.constant(id),
            redTeamForm(id),
            fc.constantFrom("", "我家住", "，", "（"),
            fc.constantFrom("", "。", "的"),
          ),
        ),
        ([id, [kept, form], before, after]) => {
          const out = redactOwnIdentifiers(`${before}${kept}${form}${after}`, id);
          expect(out, `${form} survived`).toBe(`${before}${kept}〔已隐去〕${after}`);
        },
      ),
      { numRuns: runs },
    );
  });

  it("place names written on their own survive", () => {
    fc.assert(
      fc.property(
        identityArb.chain((id) => fc.tuple(fc.constant(id), narrativeArb(id))),
        ([id, text]) => {
          const flat = normalizedText(redactOwnIdentifiers(text, id));
          for (const place of id.places) expect(flat).toContain(normalizedText(`事情发生在${place}附近`));
        },
      ),
      { numRuns: runs },
    );
  });

  it("text without identifiers is returned unchanged", () => {
    const plain = fc
      .array(
        fc.oneof(
          fc.constantFrom(...FILLER, ...Object.values(PLACES).flat()),
          fc.string({ unit: fc.constantFrom(..."abcxyzABC ,.;:!?-_/（）《》、，。　\n") }),
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(identityArb, plain, (id, text) => {
        expect(redactWith(text, redactionPatterns(id))).toBe(text);
      }),
      { numRuns: runs },
    );
  });
});

/** The 15-digit first-generation form of an 18-digit ID (only a 19xx birth year has one). */
const legacyOf = (id: string) => (id.slice(6, 8) === "19" ? id.slice(0, 6) + id.slice(8, 17) : id);

describe("numbers written in Chinese numerals (一三九…, 幺, 两, 壹贰叁, mixed with digits and O)", () => {
  const before = fc.constantFrom("", "电话", "我的手机号是", "身份证号：", "联系人王五，", "（", "一 ");
  const after = fc.constantFrom("", "。", "，", "一直打不通", "号", "）请回电");

  it("no own phone or ID number survives, read with Chinese numerals as digits", () => {
    fc.assert(
      fc.property(
        identityArb.chain((id) =>
          fc.tuple(
            fc.constant(id),
            chineseDigitsForm(id.phone, true),
            fc.constantFrom(id.idNumber, legacyOf(id.idNumber)).chain((n) => chineseDigitsForm(n)),
            before,
            after,
            fc.constantFrom(...FILLER),
          ),
        ),
        ([id, phone, idNumber, b, a, filler]) => {
          const text = `${filler}${b}${phone}${a}${filler}${b}${idNumber}${a}`;
          const out = redactOwnIdentifiers(text, id);
          const flat = numeralText(out);
          for (const n of [id.phone, id.idNumber.toLowerCase(), legacyOf(id.idNumber)]) {
            expect(flat, `${n} survived in ${out}`).not.toContain(n);
          }
          expect(out).toContain(filler);
        },
      ),
      { numRuns: runs },
    );
  });

  it("a third party's mobile or ID number in Chinese numerals is flagged", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mobileArb.chain((n) => fc.tuple(fc.constant("mobile" as const), chineseDigitsForm(n, true))),
          idNumberArb.chain((n) => fc.tuple(fc.constant("id_number" as const), chineseDigitsForm(n))),
        ),
        before,
        after,
        ([code, number], b, a) => {
          expect(identityWarnings(`${b}${number}${a}`)).toContain(code);
        },
      ),
      { numRuns: runs },
    );
  });

  it("words and dates in Chinese numerals are neither flagged nor taken for the reporter's number", () => {
    const words = fc.constantFrom(
      "王一",
      "三十一日上午",
      "一二九运动",
      "二〇二四年一月",
      "一一对应",
      "五一大道",
      "第三季度",
    );
    fc.assert(
      fc.property(
        identityArb,
        fc.array(fc.oneof(words, fc.constantFrom(...FILLER)), { maxLength: 6 }),
        (id, parts) => {
          const text = parts.join("，");
          expect(identityWarnings(text)).toEqual([]);
          expect(redactWith(text, redactionPatterns(id))).toBe(text);
        },
      ),
      { numRuns: runs },
    );
  });
});

describe("a search typed by staff, as the audit trail keeps it", () => {
  it("no mobile or ID number survives maskForAudit, however it was typed", () => {
    fc.assert(
      fc.property(
        fc.oneof(mobileArb, idNumberArb).chain((n) => digitsForm(n)),
        fc.constantFrom("", "王五", "举报 ", "电话"),
        fc.constantFrom("", " 工程", "，谢谢"),
        (number, before, after) => {
          const out = maskForAudit(`${before}${number}${after}`);
          expect(out).not.toMatch(/\p{N}/u);
          // A numeral touching the number (王五 + 1101…，2374) may be read as its first digit and
          // masked with it: the safe side of an ambiguous reading. Anything else before it stays.
          const kept =
            out.startsWith(before) || (before.endsWith("五") && out.startsWith(`${before.slice(0, -1)}＊`));
          expect(kept, out).toBe(true);
        },
      ),
      { numRuns: runs },
    );
  });
  it("a search without a number, or with a year, is kept as typed", () => {
    for (const t of ["王五 交通运输局", "2026年 工程款", "第3标段"]) expect(maskForAudit(t)).toBe(t);
  });
});
