import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityWarnings, maskForAudit } from "../../api/domain/identity-warnings";
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

describe("the red team's second round: disguises a reader still sees through", () => {
  const FILLERS = ["\u3164", "\uffa0", "\u115f", "\u1160"];

  it("invisible Hangul fillers inside a number or a name change nothing", () => {
    fc.assert(
      fc.property(
        identityArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...FILLERS),
        (id, cuts, filler) => {
          const spread = (s: string) => {
            const chars = [...s];
            for (const c of cuts) chars.splice(1 + (c % (chars.length - 1)), 0, filler);
            return chars.join("");
          };
          const out = redactOwnIdentifiers(`我是${spread(id.name)}，电话${spread(id.phone)}。`, id);
          expect(flat(out).replaceAll(filler, "")).not.toContain(id.phone);
          expect(out.replaceAll(filler, "")).not.toContain(id.name);
        },
      ),
      { numRuns: runs },
    );
  });

  it("a masked mobile: three to five of any mask, a country code, Chinese numerals", () => {
    const masks = fc.constantFrom("*", "＊", "·", "※", "﹡", "x", "#", "?", "…");
    fc.assert(
      fc.property(
        identityArb,
        masks,
        fc.integer({ min: 3, max: 5 }),
        fc.constantFrom("", "+86 ", "+86-", "0086", "86"),
        fc.boolean(),
        (id, mask, count, prefix, chinese) => {
          const d = (s: string) => (chinese ? [...s].map((c) => CN[Number(c)]).join("") : s);
          const written = `${prefix}${d(id.phone.slice(0, 3))}${mask.repeat(count)}${d(id.phone.slice(7))}`;
          const out = redactOwnIdentifiers(`王五电话${written}，请联系`, id);
          expect(out).toBe("王五电话〔已隐去〕，请联系".replace("〔", prefix.startsWith("+") ? "+〔" : "〔"));
          expect(
            redactWith(`电话${id.phone.slice(0, 3)}----${id.phone.slice(7)}`, redactionPatterns(id)),
          ).toBe("电话〔已隐去〕");
        },
      ),
      { numRuns: runs },
    );
  });

  it("an ID's first 17 digits go whatever stands for its last character, or nothing", () => {
    fc.assert(
      fc.property(identityArb, fc.constantFrom("", "❌", "х", "χ", "艾克斯", "，最后一位是X"), (id, tail) => {
        const out = redactOwnIdentifiers(`身份证${id.idNumber.slice(0, 17)}${tail}`, id);
        expect(flat(out)).not.toContain(id.idNumber.slice(0, 17));
      }),
      { numRuns: runs },
    );
  });

  it("a right-to-left override shows a reversed number or name the right way round: it goes too", () => {
    fc.assert(
      fc.property(identityArb, (id) => {
        const rev = (s: string) => [...s].reverse().join("");
        const out = redactOwnIdentifiers(
          `电话\u202e${rev(id.phone)}\u202c，我叫\u202e${rev(id.name)}\u202c`,
          id,
        );
        expect(out).not.toContain(rev(id.phone));
        expect(out).not.toContain(rev(id.name));
      }),
      { numRuns: runs },
    );
  });

  it("letters typed for digits (l for 1, the Cyrillic О for 0), 么 and 参", () => {
    const ids = { phone: "13800138000" };
    for (const t of ["l38OOl38OOO", "138ОО138ООО", "一三八〇〇么三八〇〇〇", "壹参捌零零壹参捌零零零"])
      expect(redactOwnIdentifiers(`电话${t}`, ids), t).toBe("电话〔已隐去〕");
    // An English word keeps its l and o.
    expect(redactOwnIdentifiers("call 13800138001 or hello", ids)).toBe("call 13800138001 or hello");
  });

  it("traditional characters in the cue words and the address", () => {
    const ids = { phone: "13912345678", address: "长沙市岳麓区麓山南路932号5栋2单元301室" };
    expect(redactOwnIdentifiers("手機尾號5678", ids)).toBe("手機尾號〔已隐去〕");
    expect(redactOwnIdentifiers("手机號碼後四位5678", ids)).toBe("手机號碼後四位〔已隐去〕");
    expect(redactOwnIdentifiers("住麓山南路932號5棟2單元301室", ids)).toBe("住〔已隐去〕");
    expect(redactOwnIdentifiers("手机前七位1391234，后面四位是5678", ids)).toBe(
      "手机前七位〔已隐去〕，后面四位是〔已隐去〕",
    );
    expect(redactOwnIdentifiers("住5/2/301", ids)).toBe("住〔已隐去〕");
  });

  it("years, amounts and scores stay: an ID's last four alone, a two-digit flat", () => {
    const ids = { idNumber: "430104199001192019", address: "人民路8号3楼" };
    expect(redactOwnIdentifiers("2019年我向上级反映，另付2019元，邮编201918", ids)).toBe(
      "2019年我向上级反映，另付2019元，邮编201918",
    );
    expect(redactOwnIdentifiers("比分8-3", ids)).toBe("比分8-3");
    expect(redactOwnIdentifiers("身份证末四位2019", ids)).toBe("身份证末四位〔已隐去〕");
  });

  it("warns of two mobiles a space apart, and masks an ID's last six and an e-mail for the audit", () => {
    expect(identityWarnings("张科长13812345678 13912345678")).toContain("mobile");
    expect(identityWarnings("13812345678 110101199003071234")).toEqual(["id_number", "mobile"]);
    expect(maskForAudit("071234")).toBe("＊＊＊＊＊＊");
    expect(maskForAudit("查 wxm@qq.com 的件")).toBe("查 ＊@＊ 的件");
    expect(maskForAudit("2026年 工程款")).toBe("2026年 工程款");
  });

  it("an address of thousands of levels makes a bounded set of patterns", () => {
    const set = redactionPatterns({ address: "路1号".repeat(16_000), name: "王".repeat(100_000) });
    expect(set.patterns.length).toBeLessThan(200);
    expect(redactWith("路1号路1号", set)).toBe("〔已隐去〕");
  });
});
