// Red team, round 3: the reporter's own ID number masked (4301021990****1234, 430102****1234),
// mobiles masked with Chinese placeholders (139○○○○5678, 139□□□□5678), two numbers joined by a
// separator (13912345678/13812345678) and a grouped mobile followed by another number
// (139 1234 5678 2次) for the identity warnings, and masked or spelled-out mobiles for the audit mask.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskIdentityNumbers } from "../../api/domain/identity-mask";
import { identityNumberSpans, identityWarnings, maskForAudit } from "../../api/domain/identity-warnings";
import { findMaskedIdNumbers } from "../../api/domain/masked-id";
import { findMaskedMobiles } from "../../api/domain/masked-mobile";
import { REDACTED, redactOwnIdentifiers } from "../../api/domain/redact";
import { idNumberArb, mobileArb } from "../helpers/identities";

const runs = Number(process.env.REDACT_PROPERTY_RUNS ?? 300);

const OWN_ID = "430102199003071234";
/** The text the spans cover, in order. */
const found = (text: string, id = OWN_ID) => findMaskedIdNumbers(text, id).map(([a, b]) => text.slice(a, b));

const FULL = "０１２３４５６７８９";
const CN = "零一二三四五六七八九";
/** A digit (or x) as typed: ASCII, full-width or a Chinese numeral (`how` 0, 1, 2). */
const writeChar = (c: string, how: number) => {
  if (!/\d/.test(c)) return how === 1 ? "Ｘ" : how === 2 ? "X" : c;
  return how === 0 ? c : how === 1 ? FULL[Number(c)] : CN[Number(c)];
};
/** Masks that are only masks, and those that are also a character (x, and 〇 ○ ◯ for a zero). */
const PURE_MASKS = [..."*＊✱●□■★☆◆◇△▲#＃?？~～·"];
const ANY_MASKS = [...PURE_MASKS, ..."×xX○〇◯"];
const BEFORE = ["", "身份证号", "证件：", "（", "我的身份证是 ", "ID："];
const AFTER = ["", "。", "号", "）", "，请核实"];

/**
 * A masked form of `target` (an 18-digit ID, lowercase x, or its 15-digit form): which positions
 * are masked, with which characters, how revealed digits are written, and separators between
 * characters (a space or a dash). Returns the form and where each character of the target went.
 */
function maskedForm(target: string, shortened: boolean) {
  const n = target.length;
  return fc
    .record({
      masked: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      // One of each for every character of a shortened form too (up to 12 + 14 + 12).
      chars: fc.array(fc.nat(ANY_MASKS.length - 1), { minLength: 40, maxLength: 40 }),
      how: fc.array(fc.nat(2), { minLength: 40, maxLength: 40 }),
      seps: fc.array(fc.constantFrom("", "", "", "", " ", "-"), { minLength: 40, maxLength: 40 }),
      p: fc.integer({ min: 1, max: 12 }),
      q: fc.integer({ min: 1, max: 12 }),
      k: fc.integer({ min: 2, max: 14 }),
      before: fc.constantFrom(...BEFORE),
      after: fc.constantFrom(...AFTER),
    })
    .filter((f) => (shortened ? f.p + f.q >= 7 && f.p + f.q <= n - 2 : true))
    .map((f) => {
      // Which characters are revealed (true) or masked (false), in order.
      let shape: boolean[];
      if (shortened) shape = [...Array(f.p).fill(true), ...Array(f.k).fill(false), ...Array(f.q).fill(true)];
      else {
        shape = f.masked.map((m) => !m);
        // At least one mask and at least four revealed.
        const revealed = shape.filter(Boolean).length;
        if (revealed === n) shape[(f.p * 7) % n] = false;
        for (let i = 0; shape.filter(Boolean).length < 4; i++) shape[i] = true;
      }
      const source = shortened
        ? [...target.slice(0, f.p), ...Array(f.k).fill("?"), ...target.slice(n - f.q)]
        : [...target];
      let firstMask = true;
      const revealedAt: number[] = [];
      let text = f.before;
      shape.forEach((shown, i) => {
        if (i > 0) text += f.seps[i];
        if (shown) {
          revealedAt.push(text.length);
          text += writeChar(source[i], f.how[i]);
        } else {
          // One of them a mask that cannot be a digit: all-〇 over the ID's zeros is the ID itself.
          text += firstMask ? PURE_MASKS[f.chars[i] % PURE_MASKS.length] : ANY_MASKS[f.chars[i]];
          firstMask = false;
        }
      });
      const start = f.before.length;
      const end = text.length;
      return { text: text + f.after, start, end, revealedAt };
    });
}

/**
 * The rule, written out for short strings (by trying every split): whether `span` is a masked
 * form of `id` or of its 15-digit form. Units: digits (ASCII, full-width, Chinese), x's and 〇's
 * (a character or a mask), other masks; spaces and dashes skipped.
 */
function isMaskedFormOf(span: string, id: string): boolean {
  const units = [...span]
    .filter((c) => c !== " " && c !== "-")
    .map((c) => {
      if (/\d/.test(c)) return { v: c, mask: false };
      if (FULL.includes(c)) return { v: String(FULL.indexOf(c)), mask: false };
      if (CN.includes(c)) return { v: String(CN.indexOf(c)), mask: false };
      if ("xXＸ×".includes(c)) return { v: "x", mask: true };
      if ("〇○◯".includes(c)) return { v: "0", mask: true };
      return { v: "", mask: true };
    });
  const targets = id.slice(6, 8) === "19" ? [id, id.slice(0, 6) + id.slice(8, 17)] : [id];
  const n = units.length;
  for (const t of targets) {
    const fits = (k: number, at: number) => units[k].v === t[at];
    // Full length: every unit the target's at its place or a mask, four revealed, one masked.
    if (n === t.length) {
      const ok = units.every((u, k) => fits(k, k) || u.mask);
      const revealed = units.filter((u, k) => fits(k, k) && (!u.mask || u.v === "x")).length;
      const hidden = units.filter((_, k) => !fits(k, k)).length;
      if (ok && revealed >= 4 && hidden >= 1) return true;
    }
    // Shortened: a prefix, 2–14 masks, a suffix.
    for (let p = 0; p < t.length; p++)
      for (let q = 0; q < t.length && p + q <= n - 2; q++) {
        const k = n - p - q;
        if (k > 14 || p + q < 7 || ((p === 0 || q === 0) && p + q < 10)) continue;
        const prefix = units.slice(0, p).every((_, i) => fits(i, i));
        const suffix = units.slice(n - q).every((_, i) => fits(n - q + i, t.length - q + i));
        const middle = units.slice(p, n - q).every((u) => u.mask);
        if (prefix && suffix && middle) return true;
      }
  }
  return false;
}

describe("findMaskedIdNumbers: the reporter's own ID number, masked", () => {
  it.each([
    ["身份证号4301021990****1234", "4301021990****1234"],
    ["身份证：4301021990030712**", "4301021990030712**"],
    ["身份证号43010219900307****", "43010219900307****"],
    ["证件：430***********1234", "430***********1234"],
    ["身份证430102****1234号", "430102****1234"],
    ["430102 1990 **** 1234。", "430102 1990 **** 1234"],
    ["430102-****-****-1234", "430102-****-****-1234"],
    ["４３０１０２＊＊＊＊＊＊＊＊１２３４", "４３０１０２＊＊＊＊＊＊＊＊１２３４"],
    ["四三零一零二********一二三四", "四三零一零二********一二三四"],
    ["430102××××××××1234", "430102××××××××1234"],
    ["430102○○○○○○○○1234", "430102○○○○○○○○1234"],
    ["430102________1234", "430102________1234"],
    ["430102★★★★★★★★1234", "430102★★★★★★★★1234"],
    ["老证号430102******123", "430102******123"],
    ["身份证4301021990******。", "4301021990******"],
    ["电话13912345678 身份证430102****1234", "430102****1234"],
    ["**************1234", "**************1234"],
  ])("%s", (text, span) => {
    expect(found(text)).toEqual([span]);
  });

  it("an ID ending in x: the x revealed or masked", () => {
    const id = "11010519491231002x";
    expect(found("身份证110105**********002X", id)).toEqual(["110105**********002X"]);
    expect(found("身份证11010519491231002*", id)).toEqual(["11010519491231002*"]);
    expect(found("身份证110105****002x", id)).toEqual(["110105****002x"]);
  });

  it.each([
    ["a revealed digit that is not the reporter's", "4301021991****1234"],
    ["the last digit differs", "430102****1235"],
    ["a digit glued after it", "4301021990****12345"],
    ["a digit glued before it", "94301021990****1234"],
    ["no mask: the number itself (redact.ts finds it)", "430102199003071234"],
    ["three revealed", "430***************"],
    ["the last four alone (a cue word's job)", "****1234"],
    ["too few revealed around a shortened mask", "43****1234"],
    ["one mask only in a shortened form", "430102*1234"],
    ["fifteen masks in a shortened form", "430102***************1234"],
    ["a masked mobile", "139****5678"],
    ["someone else's masked ID", "110105**********0024"],
  ])("not the reporter's masked ID: %s", (_l, text) => {
    expect(findMaskedIdNumbers(text, OWN_ID)).toEqual([]);
  });

  it("refuses an ID that is not normalised", () => {
    expect(findMaskedIdNumbers("4301021990****1234", "4301021990")).toEqual([]);
    expect(findMaskedIdNumbers("4301021990****123X", "43010219900307123X")).toEqual([]);
  });

  it("finds every masked full-length form, however masked, written and grouped", () => {
    fc.assert(
      fc.property(
        idNumberArb
          .map((id) => id.toLowerCase())
          .chain((id) => {
            const legacy = id.slice(6, 8) === "19" ? id.slice(0, 6) + id.slice(8, 17) : id;
            return fc.tuple(
              fc.constant(id),
              fc.constantFrom(id, legacy).chain((t) => maskedForm(t, false)),
            );
          }),
        ([id, form]) => {
          const spans = findMaskedIdNumbers(form.text, id);
          expect(spans, form.text).toContainEqual([form.start, form.end]);
        },
      ),
      { numRuns: runs },
    );
  });

  it("finds every shortened form (a prefix, 2–14 masks, a suffix, seven revealed or more)", () => {
    fc.assert(
      fc.property(
        idNumberArb
          .map((id) => id.toLowerCase())
          .chain((id) => fc.tuple(fc.constant(id), maskedForm(id, true))),
        ([id, form]) => {
          expect(findMaskedIdNumbers(form.text, id), form.text).toContainEqual([form.start, form.end]);
        },
      ),
      { numRuns: runs },
    );
  });

  it("never covers a revealed digit that is not the reporter's at its place", () => {
    // Every span found, checked against the rule as written (the ID or its 15-digit form, in full
    // length or shortened); a form with one revealed digit changed may still hold a shorter true
    // form (a prefix of the 15-digit form), so the spans are checked, not counted.
    fc.assert(
      fc.property(
        idNumberArb
          .map((id) => id.toLowerCase())
          .chain((id) =>
            fc.tuple(
              fc.constant(id),
              fc.boolean().chain((short) => maskedForm(id, short)),
              fc.nat(),
              fc.integer({ min: 1, max: 9 }),
            ),
          ),
        ([id, form, pick, shift]) => {
          const at = form.revealedAt[pick % form.revealedAt.length];
          const ch = form.text[at];
          const d = FULL.includes(ch) ? FULL.indexOf(ch) : CN.includes(ch) ? CN.indexOf(ch) : Number(ch);
          if (Number.isNaN(d)) return; // an x
          const text = form.text.slice(0, at) + String((d + shift) % 10) + form.text.slice(at + 1);
          for (const [a, b] of findMaskedIdNumbers(text, id)) {
            expect(isMaskedFormOf(text.slice(a, b), id), `${text}: ${text.slice(a, b)}`).toBe(true);
          }
          // The changed digit may by chance be the ID's at another place (31010**55 for …9255).
          if (!isMaskedFormOf(text.slice(form.start, form.end), id)) {
            expect(findMaskedIdNumbers(text, id)).not.toContainEqual([form.start, form.end]);
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it("reads a megabyte of pathological input in one pass", () => {
    // Each of these is quadratic or worse for a naive window search; linear, they finish at once.
    for (const text of [
      "*".repeat(1_000_000),
      "1*".repeat(500_000),
      "x".repeat(1_000_000),
      "xx1".repeat(333_333),
      "〇".repeat(1_000_000),
      "4301021990****1234".repeat(55_000),
      "4 3 0 1 0 2 ** ".repeat(66_000),
      "430102 ".repeat(140_000),
    ]) {
      expect(() => findMaskedIdNumbers(text, OWN_ID)).not.toThrow();
    }
    // …and a megabyte of true forms is found form by form.
    expect(findMaskedIdNumbers("430102****1234 ".repeat(70_000), OWN_ID)).toHaveLength(70_000);
  });
});

describe("findMaskedMobiles: Chinese placeholders for the masked digits", () => {
  it.each([
    "139○○○○5678",
    "139〇〇〇〇5678",
    "139◯◯◯◯5678",
    "139□□□□5678",
    "139★★★★5678",
    "139＿＿＿＿5678",
    "139～～～～5678",
    "139■■■■5678",
    "139☆☆☆☆5678",
    "139●●●●5678",
    "139◆◆◆◆5678",
    "139◇◇◇◇5678",
    "139△△△△5678",
    "139▲▲▲▲5678",
    "139~~~~5678",
    "139口口口口5678",
    "139 ○○○○ 5678",
    "一三九□□□□五六七八",
  ])("%s", (masked) => {
    const text = `赵六手机${masked}。`;
    expect(findMaskedMobiles(text)).toContainEqual({ start: 4, end: 4 + masked.length, digits: "1395678" });
    expect(identityWarnings(text)).toEqual(["mobile"]);
    const own = redactOwnIdentifiers(`我的手机${masked}，请回电`, { phone: "13912345678" });
    expect(own).toBe(`我的手机${REDACTED}，请回电`);
  });

  it("〇 as a mask counts only in the shape 1[3-9]x, three to five masks, four digits", () => {
    for (const text of [
      "二〇〇〇年",
      "139〇〇5678",
      "139〇〇〇〇〇〇5678",
      "2139〇〇〇〇5678",
      "139〇〇〇〇56789",
      "〇〇〇〇〇〇〇",
    ]) {
      expect(findMaskedMobiles(text), text).toEqual([]);
    }
    expect(identityWarnings("二〇二四年十月，一百〇八元")).toEqual([]);
    // A zero of a number in Chinese numerals is still a digit: 一三九〇〇〇〇五六七八 is 13900005678.
    expect(identityWarnings("一三九〇〇〇〇五六七八")).toEqual(["mobile"]);
    expect(redactOwnIdentifiers("电话一三九〇〇〇〇五六七八", { phone: "13900005678" })).toBe(
      `电话${REDACTED}`,
    );
    // 〇 among the last four digits: a digit there.
    expect(findMaskedMobiles("一三九****五〇六七").map((m) => m.digits)).toEqual(["1395067"]);
  });

  it("finds a mobile masked with any of the placeholders, in any grouping and width", () => {
    const placeholders = fc.constantFrom(..."○〇◯□■★☆●◆◇△▲～~＿");
    fc.assert(
      fc.property(
        mobileArb,
        fc.integer({ min: 3, max: 5 }),
        placeholders,
        fc.constantFrom("", " ", "-"),
        fc.boolean(),
        fc.constantFrom("", "手机", "电话：", "（"),
        fc.constantFrom("", "。", "）", "打不通"),
        (mobile, count, mask, sep, full, before, after) => {
          const write = (s: string) => (full ? [...s].map((c) => FULL[Number(c)]).join("") : s);
          const masked = `${write(mobile.slice(0, 3))}${sep}${mask.repeat(count)}${sep}${write(mobile.slice(7))}`;
          const text = `${before}${masked}${after}`;
          expect(findMaskedMobiles(text), text).toContainEqual({
            start: before.length,
            end: before.length + masked.length,
            digits: mobile.slice(0, 3) + mobile.slice(7),
          });
          expect(identityWarnings(text)).toContain("mobile");
        },
      ),
      { numRuns: runs },
    );
  });
});

describe("identityWarnings: two numbers joined by a separator, a grouped mobile and another number", () => {
  it.each([
    ["电话：13912345678/13812345678", ["mobile"]],
    ["１３９１２３４５６７８／１３８１２３４５６７８", ["mobile"]],
    ["13912345678.13812345678", ["mobile"]],
    ["张科长电话13912345678-13812345678", ["mobile"]],
    ["身份证430102199003071234/13912345678", ["id_number", "mobile"]],
    ["电话：139 1234 5678 / 138 1234 5678", ["mobile"]],
    ["电话139 1234 5678 2次打不通", ["mobile"]],
    ["+86 139 1234 5678/0731-8888 6666", ["mobile"]],
    ["86 139 1234 5678 5", ["mobile"]],
    ["身份证 430102 19900307 123X 3次", ["id_number"]],
    ["430102 1990 0307 1234 / 13912345678", ["id_number", "mobile"]],
  ])("%s", (text, codes) => {
    expect(identityWarnings(text)).toEqual(codes);
    // What is flagged has a span: the masking of identity-mask.ts leaves nothing to flag.
    expect(identityWarnings(maskIdentityNumbers(text))).toEqual([]);
    expect(maskForAudit(text)).not.toMatch(/\p{N}/u);
  });

  it.each([
    "2024-01-02 2024-01-03 2024-01-04",
    "1 2 3 4 5 6 7 8 9 10 11 12 13",
    "0731-88886666",
    "电话0731-8888 6666",
    "IP 192.168.100.200",
    "6222 0212 3456 7890 123",
    "6222 0212 1391 2345 678",
    "邮编410000 123456789012 5",
    "138001380001",
    "2025年3月收受12000元，编号12345678901234567890",
    "13.5/120.5/3000/45",
  ])("numbers that are not a mobile or an ID stay unflagged: %s", (text) => {
    expect(identityWarnings(text)).toEqual([]);
    expect(identityNumberSpans(text)).toEqual([]);
  });

  /** A mobile or an ID as written in groups (or not), ASCII or full-width. */
  const numberArb = fc.oneof(
    mobileArb.chain((m) =>
      fc.tuple(
        fc.constant("mobile" as const),
        fc.constantFrom(
          m,
          `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`,
          `${m.slice(0, 3)}-${m.slice(3, 7)}-${m.slice(7)}`,
        ),
      ),
    ),
    idNumberArb.chain((id) =>
      fc.tuple(
        fc.constant("id_number" as const),
        fc.constantFrom(id, `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`),
      ),
    ),
  );
  const widthArb = fc
    .boolean()
    .map((full) => (s: string) => (full ? s.replace(/\d/g, (c) => FULL[Number(c)]) : s));

  it("two numbers joined by a slash, dash, dot or space are both flagged", () => {
    fc.assert(
      fc.property(
        numberArb,
        numberArb,
        fc.constantFrom("/", "／", "-", ".", " / ", "、", " "),
        widthArb,
        fc.constantFrom("", "电话", "张科长：", "（"),
        ([c1, n1], [c2, n2], sep, width, before) => {
          const text = `${before}${width(n1)}${sep}${width(n2)}`;
          const codes = identityWarnings(text);
          expect(codes, text).toContain(c1);
          expect(codes, text).toContain(c2);
          expect(identityWarnings(maskIdentityNumbers(text)), text).toEqual([]);
        },
      ),
      { numRuns: runs },
    );
  });

  it("a grouped mobile followed by a short number is flagged", () => {
    fc.assert(
      fc.property(
        mobileArb,
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom(" ", "-", " - "),
        fc.constantFrom("次打不通", "号楼", "", "。"),
        (m, k, sep, after) => {
          const text = `电话${m.slice(0, 3)}${sep}${m.slice(3, 7)}${sep}${m.slice(7)} ${k}${after}`;
          expect(identityWarnings(text), text).toContain("mobile");
        },
      ),
      { numRuns: runs },
    );
  });

  it("reads long runs of groups in linear time", () => {
    for (const text of ["1 ".repeat(200_000), "139 1234 5678 ".repeat(20_000), "一 ".repeat(200_000)]) {
      expect(() => identityWarnings(text)).not.toThrow();
    }
  });
});

describe("maskForAudit: masked and spelled-out mobiles", () => {
  it.each([
    ["手机一三九****五六七八", "手机＊＊＊****＊＊＊＊"],
    ["一三九 一二三四 五六七八 一二", "＊＊＊ ＊＊＊＊ ＊＊＊＊ 一二"],
    // ○ is also a zero (13900005678): masked as a digit.
    ["查139○○○○5678", "查＊＊＊＊＊＊＊＊＊＊＊"],
    ["查 一三九□□□□五六七八 的件", "查 ＊＊＊□□□□＊＊＊＊ 的件"],
  ])("%s", (text, masked) => {
    expect(maskForAudit(text)).toBe(masked);
  });

  it("no digit of a masked mobile in Chinese numerals survives", () => {
    const CN_DIGITS = /[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]/u;
    fc.assert(
      fc.property(
        mobileArb,
        fc.array(fc.nat(2), { minLength: 7, maxLength: 7 }),
        fc.constantFrom("****", "＊＊＊＊", "xxxx", "□□□□", "★★★"),
        fc.constantFrom("", "查", "手机 ", "电话："),
        fc.constantFrom("", " 的件", "，谢谢"),
        (m, how, mask, before, after) => {
          const head = [...m.slice(0, 3)].map((c, i) => writeChar(c, how[i])).join("");
          const tail = [...m.slice(7)].map((c, i) => writeChar(c, how[i + 3])).join("");
          const out = maskForAudit(`${before}${head}${mask}${tail}${after}`);
          expect(out, out).not.toMatch(/\p{N}/u);
          expect(out.slice(before.length), out).not.toMatch(CN_DIGITS);
        },
      ),
      { numRuns: runs },
    );
  });
});
