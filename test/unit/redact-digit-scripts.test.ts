import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactionPatterns, redactOwnIdentifiers, redactWith } from "../../api/domain/redact";
import { normalizedText, numeralText } from "../../api/domain/text-view";
import { FILLER, identityArb } from "../helpers/identities";

// Digits NFKC does not read as ASCII, and the other ways people write a digit or an ID's final x:
// the digits of other scripts, the dingbat circled digits, ○ for a zero, × and 叉 for the x, and a
// cued fragment in Chinese numerals (尾号五六七八).

const runs = Number(process.env.REDACT_PROPERTY_RUNS ?? 300);

/** The zero of each script's ten decimal digits (Arabic-Indic, extended, Devanagari, Bengali, Thai, Myanmar). */
const ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0x1040];
const DINGBATS = [0x2776, 0x2780, 0x278a]; // ❶ ➀ ➊ (one to ten)
const DOUBLE_CIRCLED = 0x24f5; // ⓵
const CN = "〇一二三四五六七八九";
const CN_ZEROS = ["○", "◯", "〇", "零"];

/** One digit in one of the forms above (`how` picks it). */
function writeDigit(d: string, how: number): string {
  const n = Number(d);
  if (how < ZEROS.length) return String.fromCodePoint(ZEROS[how] + n);
  const k = how - ZEROS.length;
  if (k < DINGBATS.length) return n === 0 ? "⓿" : String.fromCodePoint(DINGBATS[k] + n - 1);
  if (k === DINGBATS.length) return n === 0 ? "⓿" : String.fromCodePoint(DOUBLE_CIRCLED + n - 1);
  if (n === 0) return CN_ZEROS[k % CN_ZEROS.length];
  return CN[n];
}
const HOWS = ZEROS.length + DINGBATS.length + 1 + CN_ZEROS.length;

function scriptForm(value: string): fc.Arbitrary<string> {
  return fc
    .record({
      how: fc.array(fc.integer({ min: 0, max: HOWS - 1 }), {
        minLength: value.length,
        maxLength: value.length,
      }),
      mixed: fc.boolean(),
      x: fc.constantFrom("X", "x", "×", "✕", "叉", "ｘ"),
      sep: fc.constantFrom("", " ", "-", "　"),
    })
    .map(({ how, mixed, x, sep }) =>
      [...value]
        .map((c, i) => {
          if (!/\d/.test(c)) return x;
          // One script for the whole number, or each digit its own.
          return writeDigit(c, mixed ? how[i] : how[0]);
        })
        .join(sep),
    );
}

/**
 * The text read back by the test's own table (the inverse of writeDigit, not the code under
 * test): every form above as its ASCII digit or x, the separators dropped.
 */
function flat(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const z = ZEROS.find((z0) => cp >= z0 && cp < z0 + 10);
    const dingbat = DINGBATS.find((d) => cp >= d && cp < d + 9);
    if (z !== undefined) out += String(cp - z);
    else if (dingbat !== undefined) out += String(cp - dingbat + 1);
    else if (cp >= DOUBLE_CIRCLED && cp < DOUBLE_CIRCLED + 9) out += String(cp - DOUBLE_CIRCLED + 1);
    else if (ch === "⓿" || CN_ZEROS.includes(ch)) out += "0";
    else if (CN.includes(ch)) out += String(CN.indexOf(ch));
    else if ("X×✕叉ｘ".includes(ch)) out += "x";
    else if (!" -　".includes(ch)) out += ch;
  }
  return out;
}

describe("digits of other scripts, dingbat digits, ○ for zero, × and 叉 for x", () => {
  const before = fc.constantFrom("", "电话", "我的手机号是", "身份证号：", "（", "联系我：");
  const after = fc.constantFrom("", "。", "，", "）请回电", "号");

  it("no own mobile or ID number survives, however its digits are written", () => {
    fc.assert(
      fc.property(
        identityArb.chain((id) =>
          fc.tuple(fc.constant(id), scriptForm(id.phone), scriptForm(id.idNumber), before, after),
        ),
        fc.constantFrom(...FILLER),
        ([id, phone, idNumber, b, a], filler) => {
          const text = `${filler}${b}${phone}${a}${filler}${b}${idNumber}${a}`;
          const out = redactOwnIdentifiers(text, id);
          const back = flat(out);
          expect(back, `${id.phone} survived in ${out}`).not.toContain(id.phone);
          expect(back, `${id.idNumber} survived in ${out}`).not.toContain(id.idNumber.toLowerCase());
          expect(out).toContain(filler);
        },
      ),
      { numRuns: runs },
    );
  });

  it("a fragment after a cue word goes in Chinese numerals too (尾号五六七八, 后四位一二三叉)", () => {
    const cue = fc.constantFrom("尾号", "手机尾号是", "身份证后四位", "末四位为", "最后四位：");
    fc.assert(
      fc.property(
        identityArb,
        cue,
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
        (id, c, ofId, kinds) => {
          const tail = ofId ? id.idNumber.slice(14) : id.phone.slice(7);
          const forms = ["〇幺两三四五六七八九", "零一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖"];
          const written = [...tail]
            .map((d, i) => (/\d/.test(d) ? forms[kinds[i]][Number(d)] : kinds[i] === 0 ? "叉" : "X"))
            .join("");
          const out = redactOwnIdentifiers(`${c}${written}。`, id);
          expect(out).toBe(`${c}〔已隐去〕。`);
        },
      ),
      { numRuns: runs },
    );
  });

  it("prose with numerals, bullets and multiplication is left as it is", () => {
    const words = fc.constantFrom(
      "我今年三十一岁",
      "住了五六七八年",
      "○ 第一点",
      "3×4的房间",
      "一二三四五六",
      "他叉着腰",
      "收了二三十万",
      "❶ 首先",
    );
    fc.assert(
      fc.property(
        identityArb,
        fc.array(fc.oneof(words, fc.constantFrom(...FILLER)), { maxLength: 6 }),
        (id, parts) => {
          const text = parts.join("，");
          expect(redactWith(text, redactionPatterns(id))).toBe(text);
        },
      ),
      { numRuns: runs },
    );
  });

  it("reads each script's digits as the digit they are", () => {
    expect(normalizedText("١٣٩۰१२३")).toBe("1390123");
    expect(normalizedText("❶➁➌⓸⓿⓫")).toBe("1234011");
    expect(normalizedText("…123×")).toBe("123x");
    expect(numeralText("一三九○二三四五六七八")).toBe("13902345678");
    expect(numeralText("四三〇一〇二一九八〇〇一〇一一二三叉")).toBe("43010219800101123x");
  });
});
