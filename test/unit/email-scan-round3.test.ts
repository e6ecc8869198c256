import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findEmails } from "../../api/domain/email-scan";
import { redactOwnIdentifiers } from "../../api/domain/redact";
import { FILLER } from "../helpers/identities";

const REDACTED = "〔已隐去〕";
const runs = Number(process.env.REDACT_PROPERTY_RUNS ?? 500);

/** The text with each span findEmails returns shown as 〔已隐去〕, as redaction shows it. */
function covered(text: string): string {
  let out = "";
  let last = 0;
  for (const [a, b] of findEmails(text)) {
    out += text.slice(last, a) + REDACTED;
    last = b;
  }
  return out + text.slice(last);
}

/** Characters that show as nothing (or, the combining acute, as part of the letter before). */
const INVISIBLES = [
  "\u200B", // zero-width space
  "\u200C", // zero-width non-joiner
  "\u200D", // zero-width joiner
  "\u2060", // word joiner
  "\uFEFF", // zero-width no-break space
  "\u00AD", // soft hyphen
  "\uFE0F", // variation selector 16
  "\uFE00", // variation selector 1
  "\u{E0101}", // variation selector 18 (outside the BMP)
  "\u200E", // left-to-right mark
  "\u2063", // invisible separator
  "\u034F", // combining grapheme joiner
  "\u0301", // combining acute accent
  "\u3164", // Hangul filler
];

describe("red team round 3: e-mails with invisible characters and spaces inside", () => {
  it.each([
    ["另一邮箱", "admin@q\u200Bq.com", ""],
    ["另一邮箱", "ad\u200Bmin@qq.com", ""],
    ["另一邮箱 ", "admin @ qq.com", ""],
    ["或者 ", "admin@qq. com", ""],
    ["联系", "admin@qq。com", "，谢谢。"],
    ["邮箱", "admin＠qq．com", ""],
    ["邮箱：", "admin\u3000＠\u3000qq．com", "。"],
    ["邮箱", "wang . xiao @ mail . hn . gov . cn", "。"],
    ["（", "ａｄｍｉｎ　＠　ｑｑ。　ｃｏｍ", "）"],
  ])("%s[%s]%s is covered whole", (before, email, after) => {
    const text = `${before}${email}${after}`;
    expect(findEmails(text)).toEqual([[before.length, before.length + email.length]]);
    expect(redactOwnIdentifiers(text, {})).toBe(`${before}${REDACTED}${after}`);
  });

  it.each(INVISIBLES.map((c) => [c.codePointAt(0)!.toString(16), c]))(
    "U+%s inside the local part, the domain and the top-level domain",
    (_, c) => {
      for (const email of [
        `ad${c}min@qq.com`,
        `admin@q${c}q.com`,
        `admin@qq.c${c}om`,
        `admin${c}@${c}qq${c}.${c}com`,
      ]) {
        expect(covered(`另一邮箱${email}，谢谢`)).toBe(`另一邮箱${REDACTED}，谢谢`);
      }
    },
  );

  it("with a right-to-left override, an address stored backwards (shown forwards) is found", () => {
    expect(covered("邮箱\u202Emoc.qq@nimda\u202C。")).toBe(`邮箱\u202E${REDACTED}\u202C。`);
    // Without one, a backwards address is just text.
    expect(covered("moc.qq@nimda")).toBe("moc.qq@nimda");
  });

  it("letters folded by NFKD: mathematical, circled, accented", () => {
    expect(covered("邮箱𝐚𝐝𝐦𝐢𝐧@𝐪𝐪.𝐜𝐨𝐦。")).toBe(`邮箱${REDACTED}。`);
    expect(covered("邮箱ⓐⓓⓜⓘⓝ@ⓠⓠ.ⓒⓞⓜ")).toBe(`邮箱${REDACTED}`);
    expect(covered("邮箱josé@qq.com")).toBe(`邮箱${REDACTED}`);
  });

  it("two addresses sharing characters are one span, so no caller leaves half of one", () => {
    expect(findEmails("a@b.com@c.com")).toEqual([[0, 13]]);
  });
});

describe("what is not an e-mail stays", () => {
  it.each([
    "@张三 你好",
    "我 @ 你",
    "@张三 @李四 请于10.30前回复",
    "价格 ¥12.50，时间 10.30",
    "见附件 报告.docx 和 合同.pdf",
    "https://www.gov.cn/xxgk/index.html",
    "not mail: a@b, x@y.z1, @qq.com",
    // A space after a full stop ends a sentence: with a space in it, an address needs a known
    // top-level domain.
    "meet me @ home. Then we talk",
    "ping @wang.li",
    "x @ y.li",
    "admin@qq\ncom",
  ])("%s", (text) => {
    expect(findEmails(text)).toEqual([]);
    expect(redactOwnIdentifiers(text, {})).toBe(text);
  });

  it("a full stop or a list's number before an address stays", () => {
    expect(covered("好的。wxm@qq.com")).toBe(`好的。${REDACTED}`);
    expect(covered("1. wxm@qq.com；2. abc@163.com")).toBe(`1. ${REDACTED}；2. ${REDACTED}`);
    expect(covered("请回复。 wxm@qq.com")).toBe(`请回复。 ${REDACTED}`);
  });

  it("a sentence after an address keeps its words unless they glue onto it", () => {
    expect(covered("邮箱a@qq.com。 Ok")).toBe(`邮箱${REDACTED}。 Ok`);
    expect(covered("邮箱 a @ qq.com. Then")).toBe(`邮箱 ${REDACTED}. Then`);
  });

  it("Chinese text with @ mentions, times, prices, file names and URLs", () => {
    const piece = fc.constantFrom(
      ...FILLER,
      "@张三",
      "@李四 你好",
      "我 @ 你",
      "@王五：",
      "某某@某单位",
      "10.30",
      "¥12.50",
      "下午3:30",
      "3.5%",
      "v1.2",
      "报告.docx",
      "合同.pdf",
      "https://www.gov.cn/xxgk/index.html",
      "www.12388.gov.cn",
    );
    const text = fc
      .array(fc.tuple(piece, fc.constantFrom("", " ", "，", "。", "　", "\n", "、")), { maxLength: 10 })
      .map((parts) => parts.map(([p, s]) => p + s).join(""));
    fc.assert(
      fc.property(text, (t) => {
        expect(findEmails(t)).toEqual([]);
        expect(redactOwnIdentifiers(t, {})).toBe(t);
      }),
      { numRuns: runs },
    );
  });
});

/** How an address may be typed to slip past a regex: each character, @ and dot in some form. */
const fullWidth = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);
const charForm = (c: string) => fc.constantFrom(c, c, c, fullWidth(c));
const atForm = fc.constantFrom("@", "＠", "﹫");
const dotForm = fc.constantFrom(".", "．", "。", "｡");
const invisible = fc.option(fc.constantFrom(...INVISIBLES), { nil: "", freq: 2 });
const gap = fc.constantFrom("", "", " ", "　", "  ", " \u200B", "\u3000 ");

const label = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const localPart = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9_-]{1,7}$/), fc.option(label, { nil: undefined }))
  .map(([a, b]) => (b ? [a, b] : [a]));

/**
 * An address typed with each character in some form, an invisible character or none between any
 * two, and (spaced) spaces around the @ and the dots. Never starts or ends with an invisible.
 */
function typed(local: string[], domain: string[], spaced: boolean): fc.Arbitrary<string> {
  const word = (w: string) =>
    fc
      .tuple(
        fc.tuple(...[...w].map(charForm)),
        fc.array(invisible, { minLength: w.length, maxLength: w.length }),
      )
      .map(([cs, inv]) => cs.map((c, k) => (k === 0 ? c : inv[k] + c)).join(""));
  const sep = (mark: fc.Arbitrary<string>) =>
    fc
      .tuple(spaced ? gap : fc.constant(""), invisible, mark, invisible, spaced ? gap : fc.constant(""))
      .map((parts) => parts.join(""));
  const joined = (words: string[], mark: fc.Arbitrary<string>) =>
    fc
      .tuple(
        fc.tuple(...words.map(word)),
        fc.array(sep(mark), { minLength: words.length, maxLength: words.length }),
      )
      .map(([ws, seps]) => ws.map((w, k) => (k === 0 ? w : seps[k] + w)).join(""));
  return fc
    .tuple(joined(local, dotForm), sep(atForm), joined(domain, dotForm))
    .map(([l, at, d]) => l + at + d);
}

const before = fc.constantFrom(
  "",
  "另一邮箱",
  "我的邮箱是",
  "联系",
  "（",
  "，",
  "邮箱：",
  "或者 ",
  "举报人邮箱　",
);
const after = fc.constantFrom("", "。", "，谢谢。", "）", " 请回复", "。请查", "\n此致");

describe("property: an address typed with invisible characters and spaces is covered whole", () => {
  it("spaces around the @ and the dots, invisible characters anywhere inside, any width", () => {
    const address = fc
      .tuple(
        localPart,
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("com", "cn", "net", "org", "edu", "gov"),
      )
      .chain(([local, labels, tld]) => typed(local, [...labels, tld], true));
    fc.assert(
      fc.property(before, address, after, (b, email, a) => {
        const text = `${b}${email}${a}`;
        expect(findEmails(text), JSON.stringify(text)).toEqual([[b.length, b.length + email.length]]);
        expect(redactOwnIdentifiers(text, {})).toBe(`${b}${REDACTED}${a}`);
      }),
      { numRuns: runs },
    );
  });

  it("written tight, any top-level domain of two letters or more", () => {
    const address = fc
      .tuple(localPart, fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
      .chain(([local, labels, tld]) => typed(local, [...labels, tld], false));
    fc.assert(
      fc.property(before, address, after, (b, email, a) => {
        const text = `${b}${email}${a}`;
        expect(findEmails(text), JSON.stringify(text)).toEqual([[b.length, b.length + email.length]]);
      }),
      { numRuns: runs },
    );
  });
});

describe("linear in the length of the text: a megabyte of what a regex chokes on", () => {
  it.each([
    ["a@", 500_000],
    ["a @ ", 250_000],
    [".", 1_000_000],
    [" . ", 333_333],
    ["a . @ ", 166_666],
    ["a@a.", 250_000],
    ["\u200B@", 500_000],
    ["＠。", 500_000],
  ])("%j repeated", (unit, times) => {
    expect(findEmails(unit.repeat(times))).toEqual([]);
  });
  it("a long local part, a long spaced domain, many addresses", () => {
    const local = `${"a.".repeat(500_000)}@x.com`;
    expect(findEmails(local)).toEqual([[0, local.length]]);
    const domain = `x@${"a . ".repeat(250_000)}com`;
    expect(findEmails(domain)).toEqual([[0, domain.length]]);
    expect(findEmails("a@b.cc ".repeat(140_000))).toHaveLength(140_000);
  });
});
