import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskForAudit } from "../../api/domain/identity-warnings";
import { redactionPatterns, redactOwnIdentifiers, redactWith } from "../../api/domain/redact";
import { normalizedText } from "../../api/domain/text-view";
import {
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
          expect(out.startsWith(before)).toBe(true);
        },
      ),
      { numRuns: runs },
    );
  });
  it("a search without a number, or with a year, is kept as typed", () => {
    for (const t of ["王五 交通运输局", "2026年 工程款", "第3标段"]) expect(maskForAudit(t)).toBe(t);
  });
});
