import { describe, expect, it } from "vitest";
import { identityWarnings, maskForAudit } from "../../api/domain/identity-warnings";
import { nulPaths } from "../../api/domain/nul";
import {
  parseRedactionPatterns,
  REDACTED,
  redactionPatterns,
  redactOwnIdentifiers,
  redactWith,
} from "../../api/domain/redact";
import { findAll, keyOf, keyView, normalizedText, numeralView } from "../../api/domain/text-view";

const ids = {
  name: "王晓明",
  phone: "13912345678",
  idNumber: "11010519491231002X",
  email: "wxm@example.com",
};

describe("redaction of the reporter's own identifiers", () => {
  it("removes name, phone, ID number and e-mail wherever they appear", () => {
    const text =
      "我是王晓明，电话13912345678，身份证11010519491231002X，邮箱wxm@example.com。王晓明再次反映。";
    const out = redactOwnIdentifiers(text, ids);
    for (const v of Object.values(ids)) expect(out).not.toContain(v);
    expect(out.split(REDACTED).length - 1).toBe(5);
    expect(out).toContain("再次反映");
  });
  it("finds numbers written with spaces, dashes, +86 and a lower-case x", () => {
    const out = redactOwnIdentifiers("手机 +86 139-1234-5678，证件 110105 19491231 002x", ids);
    expect(out).not.toMatch(/1234/);
    expect(out).not.toMatch(/19491231/);
  });
  it("leaves other people's names and numbers alone", () => {
    const text = "李四的电话是13800138000。";
    expect(redactOwnIdentifiers(text, ids)).toBe(text);
  });
  it("removes any e-mail address, even without a name given", () => {
    expect(redactOwnIdentifiers("联系 someone@qq.com", {})).toBe(`联系 ${REDACTED}`);
  });
  it("handles Latin names with any spacing and case, and regex metacharacters", () => {
    expect(redactOwnIdentifiers("I am JOHN  smith.", { name: "John Smith" })).toBe(`I am ${REDACTED}.`);
    expect(redactOwnIdentifiers("a+b (c)", { name: "a+b" })).toBe(`${REDACTED} (c)`);
  });
});

describe("the normalised view and its map back to the original", () => {
  it("folds full-width forms and case, drops separators, and keeps each character's original offsets", () => {
    const text = "王 小·明，１３９-Ｘ";
    const v = keyView(text);
    expect(String.fromCodePoint(...v.cps.subarray(0, v.length))).toBe("王小明139x");
    // 小 is at offset 2, １ at offset 6, Ｘ at offset 10.
    expect(v.start[1]).toBe(2);
    expect(v.start[3]).toBe(6);
    expect([v.start[6], v.end[6]]).toEqual([10, 11]);
    expect(normalizedText("ｗｘｍ＠Example．COM")).toBe("wxmexamplecom");
  });
  it("maps characters outside the BMP to both of their UTF-16 units", () => {
    const v = keyView("𠮷 野");
    expect(v.length).toBe(2);
    expect([v.start[0], v.end[0], v.start[1]]).toEqual([0, 2, 3]);
  });
  it("finds every occurrence, overlapping ones too, in linear time (KMP)", () => {
    const hay = keyView("aaaa");
    expect(findAll(hay.cps, hay.length, keyOf("aa"))).toEqual([0, 1, 2]);
    const hay2 = keyView("abababc");
    expect(findAll(hay2.cps, hay2.length, keyOf("ababc"))).toEqual([2]);
  });
});

describe("each form of each identifier", () => {
  const me = {
    name: "王小明",
    phone: "13912345678",
    idNumber: "430102199003071234",
    email: "wxm@example.com",
    address: "长沙市岳麓区麓山南路932号5栋2单元301室",
  };
  const r = (text: string, ids: Record<string, string> = me) => redactOwnIdentifiers(text, ids);
  const gone = (out: string, value: string) =>
    expect(normalizedText(out)).not.toContain(normalizedText(value));

  it.each([["王 小明"], ["王·小明"], ["王-小明"], ["王　小　明"], ["王_小.明"], ["王，小明"]])(
    "the name written %s",
    (form) => {
      expect(r(`举报人${form}反映`)).toBe(`举报人${REDACTED}反映`);
    },
  );
  it("keeps the layout around a match: only the matched span is replaced", () => {
    expect(r("第一行\n  我是王 小明。\n第三行")).toBe(`第一行\n  我是${REDACTED}。\n第三行`);
  });
  it("Latin names: any case and spacing, but not inside another word", () => {
    const ids = { name: "Li Na" };
    expect(redactOwnIdentifiers("LI NA and li-na", ids)).toBe(`${REDACTED} and ${REDACTED}`);
    expect(redactOwnIdentifiers("Carolina in the police", ids)).toBe("Carolina in the police");
  });
  it("a one-character name is not used (it would remove that character everywhere)", () => {
    expect(redactOwnIdentifiers("王说", { name: "王" })).toBe("王说");
  });

  it.each([
    ["full-width", "１３９１２３４５６７８"],
    ["dots", "139.1234.5678"],
    ["slashes", "139/1234/5678"],
    ["dashes and spaces", "139 - 1234 - 5678"],
    ["ideographic spaces", "139　1234　5678"],
    ["full-width with separators", "１３９－１２３４－５６７８"],
  ])("the mobile number with %s", (_l, form) => {
    expect(r(`电话${form}。`)).toBe(`电话${REDACTED}。`);
  });
  it.each([["+86 "], ["+86-"], ["＋８６"], ["0086 "], ["86"]])(
    "the mobile with the country prefix %s",
    (p) => {
      expect(r(`电话${p}13912345678。`)).toBe(`电话${REDACTED}。`);
    },
  );
  it("the mobile glued to letters and digits on both sides", () => {
    gone(r("abc13912345678xyz"), "13912345678");
    gone(r("913912345678"), "13912345678");
  });
  it("the last four digits of the mobile after a cue", () => {
    expect(r("手机尾号5678的那位")).toBe(`手机尾号${REDACTED}的那位`);
    // Without a cue a four-digit number is left alone: it is most often something else.
    expect(r("共5678元")).toBe("共5678元");
  });
  it("a landline with and without its area code, and with +86", () => {
    const ids = { phone: "0731-88886666" };
    expect(redactOwnIdentifiers("座机0731-88886666", ids)).toBe(`座机${REDACTED}`);
    expect(redactOwnIdentifiers("座机 8888 6666。", ids)).toBe(`座机 ${REDACTED}。`);
    expect(redactOwnIdentifiers("座机+86 731 8888 6666", ids)).toBe(`座机${REDACTED}`);
    expect(redactOwnIdentifiers("编号188886666", ids)).toBe("编号188886666");
  });

  it.each([
    ["plain", "430102199003071234"],
    ["full-width", "４３０１０２１９９００３０７１２３４"],
    ["grouped", "430102 19900307 1234"],
    ["dashes", "430102-1990-0307-1234"],
    ["dots", "4301.0219.9003.0712.34"],
  ])("the 18-digit ID number, %s", (_l, form) => {
    expect(r(`身份证：${form}。`)).toBe(`身份证：${REDACTED}。`);
  });
  it("an ID number ending in X, either case, full-width too", () => {
    const ids = { idNumber: "11010519491231002X" };
    for (const form of [
      "11010519491231002x",
      "110105 19491231 002X",
      "１１０１０５１９４９１２３１００２Ｘ",
    ]) {
      expect(redactOwnIdentifiers(`号码${form}完`, ids)).toBe(`号码${REDACTED}完`);
    }
  });
  it("the 15-digit legacy form (no century digits, no check digit)", () => {
    expect(r("老身份证430102900307123。")).toBe(`老身份证${REDACTED}。`);
    expect(r("老证 430102 900307 123")).toBe(`老证 ${REDACTED}`);
  });
  it("the last four and six digits after a cue, and not standing alone (a year, an amount)", () => {
    expect(r("身份证后四位1234")).toBe(`身份证后四位${REDACTED}`);
    expect(r("身份证号后六位是071234")).toBe(`身份证号后六位是${REDACTED}`);
    expect(r("尾号为１２３４。")).toBe(`尾号为${REDACTED}。`);
    expect(r("证件末4位：1234")).toBe(`证件末4位：${REDACTED}`);
    // Alone they are a year or an amount far more often (red team: 2019年 and 2019元 went).
    expect(r("编号 1234 的文件")).toBe("编号 1234 的文件");
    // Part of a longer number: left alone.
    expect(r("合同号98761234")).toBe("合同号98761234");
    expect(r("金额12345元")).toBe("金额12345元");
  });

  it("the given e-mail however written, and any e-mail-like string", () => {
    expect(r("邮箱 WXM@Example.com")).toBe(`邮箱 ${REDACTED}`);
    expect(r("邮箱ｗｘｍ＠ｅｘａｍｐｌｅ．ｃｏｍ")).toBe(`邮箱${REDACTED}`);
    expect(r("邮箱 wxm @ example . com")).toBe(`邮箱 ${REDACTED}`);
    expect(r("另一个 a.b-c+d@mail.example.org.cn。")).toBe(`另一个 ${REDACTED}。`);
    expect(r("全角 ｓｏｍｅｏｎｅ＠ｑｑ．ｃｏｍ")).toBe(`全角 ${REDACTED}`);
    expect(r("not mail: a@b, x@y.z1, @qq.com")).toBe("not mail: a@b, x@y.z1, @qq.com");
  });

  it("the address as given, normalised", () => {
    expect(r("住长沙市 岳麓区 麓山南路 932号 5栋 2单元 301室。")).toBe(`住${REDACTED}。`);
  });
  it("the address's most specific part wherever it appears, also without the city", () => {
    // The street with the house number is as identifying as the flat: together they go.
    expect(r("我家在麓山南路932号5栋2单元301室")).toBe(`我家在${REDACTED}`);
    expect(r("住932号5栋2单元301室")).toBe(`住${REDACTED}`);
    expect(r("住５栋２单元３０１室")).toBe(`住${REDACTED}`);
    expect(r("住5栋2单元301，")).toBe(`住${REDACTED}，`);
    expect(r("门口是麓山南路932号")).toBe(`门口是${REDACTED}`);
  });
  it("a place name alone is a fact of the case, not an identifier", () => {
    const text = "岳麓区麓山南路的工地，长沙市岳麓区，某某村，麓山南路100号的工地，5栋楼。";
    expect(r(text)).toBe(text);
  });
  it("a village address: the group level with its village", () => {
    const ids = { address: "长沙县金井镇某某村3组" };
    expect(redactOwnIdentifiers("家住某某村3组，某某村的村干部", ids)).toBe(
      `家住${REDACTED}，某某村的村干部`,
    );
    expect(redactOwnIdentifiers("另一个村3组", ids)).toBe("另一个村3组");
  });

  it("returns text without identifiers unchanged, character for character", () => {
    const text = "李四在２０２５年修路工程中收受回扣，电话 138-0013-8000 是他的。";
    expect(r(text)).toBe(text);
  });
  it("patterns survive a trip through JSON (the redaction box) and redact the same", () => {
    const patterns = redactionPatterns(me);
    const again = parseRedactionPatterns(JSON.parse(JSON.stringify(patterns)));
    const text = "我是王 小明，１３９ １２３４ ５６７８，身份证后四位1234，住5栋2单元301室";
    expect(redactWith(text, again)).toBe(redactWith(text, patterns));
    expect(parseRedactionPatterns({ v: 2 })).toEqual({ v: 1, patterns: [] });
  });
});

describe("可能含身份信息: what still looks like an ID or mobile number is flagged", () => {
  it.each([
    ["18 digits, wrong checksum too", "他的身份证430102199003071235", ["id_number"]],
    ["17 digits and X", "证件 11010519491231002x 号", ["id_number"]],
    ["15 digits", "老证430102900307123", ["id_number"]],
    ["full-width with separators", "４３０１０２－１９９００３０７－１２３４", ["id_number"]],
    ["a mobile", "局长电话13800138000", ["mobile"]],
    ["a mobile with +86 and dots", "+86 138.0013.8000", ["mobile"]],
    ["a mobile, full-width spaced", "１３８ ００１３ ８０００", ["mobile"]],
    ["both, one after the other", "430102199003071234，13800138000", ["id_number", "mobile"]],
    ["nothing", "2025年3月收受12000元，编号12345678901234567890", []],
    ["a 12-digit number", "138001380001", []],
    ["a landline", "0731-88886666", []],
  ])("%s", (_l, text, codes) => {
    expect(identityWarnings(text)).toEqual(codes);
  });
  it("reads every text it is given", () => {
    expect(identityWarnings("标题", "正文13800138000")).toEqual(["mobile"]);
  });
});

describe("NUL in a report", () => {
  it("names the path of every string that holds one", () => {
    expect(nulPaths({ body: "a\u0000b", reporter: { name: "x\u0000" }, subject: { unit: "ok" } })).toEqual([
      "body",
      "reporter.name",
    ]);
    expect(nulPaths({ title: "fine" })).toEqual([]);
  });
});

describe("red-team forms: cue words, masked mobiles, e-mail with 。", () => {
  const me = {
    name: "王小明",
    idNumber: "430102199003071234",
    phone: "13912345678",
    address: "长沙市岳麓区麓山南路932号5栋2单元301室",
    email: "wxm2024@example.com",
  };
  it.each([
    "手机尾数5678",
    "末尾是5678",
    "最后四个数字是5678",
    "手机最后四位：5678",
    "号码后四个数字为 5678",
    "尾4位5678",
  ])("the mobile's last four after a cue: %s", (text) => {
    const out = redactOwnIdentifiers(text, me);
    expect(out).not.toContain("5678");
    expect(out).toContain(REDACTED);
  });
  it("a bare 5678 without a cue stays (it may be anything)", () => {
    expect(redactOwnIdentifiers("共计5678元", me)).toBe("共计5678元");
  });
  it.each([
    "139****5678",
    "139＊＊＊＊5678",
    "139xxxx5678",
    "139XXXX5678",
    "１３９－＊＊＊＊－５６７８",
    "139 **** 5678",
  ])("the reporter's own masked mobile: %s", (masked) => {
    const out = redactOwnIdentifiers(`我的手机${masked}，请回电`, me);
    expect(out).toBe(`我的手机${REDACTED}，请回电`);
    expect(identityWarnings(out)).toEqual([]);
  });
  it("someone else's masked mobile stays, and is flagged as a mobile", () => {
    for (const text of ["赵六手机138****8000", "赵六手机139****0000", "赵六手机 137xxxx5678 。"]) {
      expect(redactOwnIdentifiers(text, me)).toBe(text);
      expect(identityWarnings(text)).toEqual(["mobile"]);
    }
  });
  it("not a masked mobile: wrong prefix, two or six masks, more digits around", () => {
    for (const text of ["编号129****5678", "139**5678", "139******5678", "2139****5678", "139****56789"]) {
      expect(identityWarnings(text)).toEqual([]);
    }
  });
  it("a masked mobile survives the trip through the redaction box", () => {
    const set = parseRedactionPatterns(JSON.parse(JSON.stringify(redactionPatterns(me))));
    expect(redactWith("电话139****5678", set)).toBe(`电话${REDACTED}`);
  });
  it.each(["foo.bar@qq。com", "12345678＠qq。com", "a_b@mail。hn。gov。cn", "x@163｡com"])(
    "an e-mail written with 。 or a full-width @: %s",
    (email) => {
      expect(redactOwnIdentifiers(`联系${email}，谢谢。`, {})).toBe(`联系${REDACTED}，谢谢。`);
    },
  );
  it("a sentence ending in 。 after an e-mail keeps its full stop", () => {
    expect(redactOwnIdentifiers("邮箱a@qq.com。请查", {})).toBe(`邮箱${REDACTED}。请查`);
  });
});

describe("red-team forms: the address's 栋/单元/室 written otherwise", () => {
  const me = { name: "王小明", address: "长沙市岳麓区麓山南路932号5栋2单元301室" };
  const r = (text: string) => redactOwnIdentifiers(text, me);
  it.each([
    ["我家住5栋301室", `我家住${REDACTED}`],
    ["住在932号301室。", `住在${REDACTED}。`],
    ["就是5-2-301那户", `就是${REDACTED}那户`],
    ["就是５—２—３０１那户", `就是${REDACTED}那户`],
    ["5—301", REDACTED],
    ["门牌932-5-2-301。", `门牌${REDACTED}。`],
    ["住932号院5栋", `住${REDACTED}`],
    ["住932号5栋，", `住${REDACTED}，`],
    ["我住301室", `我住${REDACTED}`],
    ["我家住五栋二单元三零一室", `我家住${REDACTED}`],
    ["我家住五栋二单元三〇一室", `我家住${REDACTED}`],
    ["二单元三零一室", REDACTED],
  ])("%s", (text, expected) => {
    expect(r(text)).toBe(expected);
  });
  it.each([
    "15栋2单元的邻居",
    "1301室",
    "5-2-3015",
    "6-2-301",
    "301-2-5",
    "2025-5-2",
    "5栋楼",
    "共5-2人",
    "六栋二单元三零二室",
    "302室",
  ])("other numbers stay: %s", (text) => {
    expect(r(text)).toBe(text);
  });
  it("a dashed form survives the trip through the redaction box", () => {
    const set = parseRedactionPatterns(JSON.parse(JSON.stringify(redactionPatterns(me))));
    expect(redactWith("住5-2-301，我家住5栋301室", set)).toBe(`住${REDACTED}，我家住${REDACTED}`);
  });
  it("reads dashed numbers in linear time: a long chain of dashes and digits", () => {
    const text = "5-2-".repeat(50_000);
    expect(r(text)).toBe(text);
  });
});

describe("red-team forms: numbers written in Chinese numerals", () => {
  const own = { name: "王一", phone: "13912345678", idNumber: "430112198501010029" };
  it("the reporter's own phone and ID in Chinese numerals go, and nothing is left to flag", () => {
    const body = "电话一三九一二三四五六七八，身份证四三零一一二一九八五零一零一零零二九";
    const out = redactOwnIdentifiers(body, own);
    expect(out).toBe("电话〔已隐去〕，身份证〔已隐去〕");
    expect(identityWarnings(out)).toEqual([]);
    // Before redaction (a third party's numbers written so), both are flagged.
    expect(identityWarnings(body)).toEqual(["id_number", "mobile"]);
  });
  it.each([
    ["幺, 两 and capitals, spaced", "幺叁玖 壹两叁肆 伍陆柒捌"],
    ["digits, Chinese and full-width mixed", "1三9-一２3四-5六七８"],
    ["glued to a name's numeral", "我叫王一13912345678"],
    ["followed by a word starting with 一", "一三九一二三四五六七八一直打不通"],
  ])("own phone: %s", (_l, text) => {
    const out = redactOwnIdentifiers(text, own);
    expect(normalizedText(out)).not.toContain("王一");
    expect(out).toContain(REDACTED);
    expect(identityWarnings(out)).toEqual([]);
  });
  it("digits mixed with Chinese numerals and the letter O", () => {
    expect(redactOwnIdentifiers("电话1三8OO138OOO。", { phone: "13800138000" })).toBe("电话〔已隐去〕。");
    expect(identityWarnings("电话1三8OO138OOO。")).toEqual(["mobile"]);
    expect(identityWarnings("1三8oo138ooo")).toEqual(["mobile"]);
  });
  it("a third party's mobile next to a name's numeral, or before 一直, is flagged", () => {
    expect(identityWarnings("联系人王五一三八〇〇一三八〇〇〇")).toEqual(["mobile"]);
    expect(identityWarnings("局长一三八〇〇一三八〇〇〇一直不接")).toEqual(["mobile"]);
    expect(identityWarnings("王五31010119871231304X")).toEqual(["id_number"]);
  });
  it("a reporter named 王一 is still redacted as a name; words with numerals stay", () => {
    const text = "王一反映：三十一日上午，一二九运动纪念馆旁，五一大道，二〇二四年一月";
    expect(redactOwnIdentifiers(text, own)).toBe(
      "〔已隐去〕反映：三十一日上午，一二九运动纪念馆旁，五一大道，二〇二四年一月",
    );
    expect(identityWarnings(text)).toEqual([]);
  });
  it("short runs are not read as numbers; the letter o next to a letter is not a zero", () => {
    const v = keyView("一二九运动 foo1234567 王一");
    expect(numeralView(v)).toBe(v);
    const w = keyView("号码一三九 一二三四 五六七八");
    expect(String.fromCodePoint(...numeralView(w).cps.subarray(0, w.length))).toBe("号码13912345678");
  });
  it("a search for a number in Chinese numerals is masked for the audit trail", () => {
    expect(maskForAudit("王五 一三九一二三四五六七八")).toBe("王五 ＊＊＊＊＊＊＊＊＊＊＊");
    // The ends of an ID a trimmed reading leaves out go too (red team, round 2).
    const id = maskForAudit("身份证一一〇一〇一一九九〇〇一〇一一二三X");
    expect(id).toBe(`身份证${"＊".repeat(17)}X`);
  });
  it("radio digits (洞 拐 勾, 幺 两) and traditional capitals (兩 貳 參 陸) are digits too", () => {
    const me = { phone: "13900001234", idNumber: "430112198501010029" };
    expect(redactOwnIdentifiers("电话幺三九洞洞洞洞幺两三四。", me)).toBe(`电话${REDACTED}。`);
    expect(redactOwnIdentifiers("电话壹叁玖零零零零壹貳參肆", me)).toBe(`电话${REDACTED}`);
    expect(redactOwnIdentifiers("身份证肆叁零壹壹贰壹玖捌伍零壹零壹零零贰玖", me)).toBe(`身份证${REDACTED}`);
    expect(identityWarnings("赵六手机幺三八拐拐拐拐勾勾勾勾")).toEqual(["mobile"]);
    // A short run with them is still a word.
    expect(identityWarnings("拐两个弯到洞口")).toEqual([]);
  });
  it("reads a long run of numerals and o's in linear time", () => {
    // Quadratic reading would not finish: 300 000 characters of runs and a 200 000-long o-block.
    const long = `${"一o".repeat(100_000)}a${"o".repeat(200_000)}`;
    expect(identityWarnings(long)).toEqual([]);
    expect(redactOwnIdentifiers(long, own)).toBe(long);
  });
});
