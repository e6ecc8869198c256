import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { TRACKING_CODE as CODE, innerOf, tagWithId, textOf } from "../helpers/html";
import { REPORT_FORM_FIELDS } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";

// The citizen pages, end to end: the built server (node adapter) on a fresh embedded database,
// driven with plain fetch the way a browser without JavaScript would drive it.

let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startServer({ LOG_LEVEL: "warn" });
  base = server.origin;
});

afterAll(async () => {
  await server?.stop();
});

/** The visible text of the <section> with this id. */
function sectionText(html: string, id: string): string {
  const m = html.match(new RegExp(`<section\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</section>`));
  if (!m) throw new Error(`no section #${id}`);
  return textOf(m[1]);
}

/** The values of a radio group and the text of each option's label. */
function radios(html: string, name: string): { value: string; label: string }[] {
  return [...html.matchAll(new RegExp(`<input\\b[^>]*name="${name}"[^>]*>`, "g"))].map((m) => {
    const id = m[0].match(/\bid="([^"]+)"/)![1];
    const value = m[0].match(/\bvalue="([^"]*)"/)![1];
    const label = html.match(new RegExp(`<label\\b[^>]*for="${id}"[^>]*>([\\s\\S]*?)</label>`))![1];
    return { value, label: textOf(label.replace(/<span class="choice-hint"[\s\S]*?<\/span>/g, "")).trim() };
  });
}

/** Fails naming the first of `items` that `text` lacks. */
function expectAll(text: string, items: string[]) {
  for (const item of items) expect(text).toContain(item);
}

/** The real-name promise (检举控告工作规则 Art. 13, as 纪委 sites word it). */
const REAL_NAME_NOTICE =
  "自收到之日起15个工作日内告知受理情况，办结后15个工作日内反馈处理结果；重复举报的不再告知";

function post(pathname: string, fields: Record<string, string>, origin = base): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return fetch(`${base}${pathname}`, {
    method: "POST",
    body: form,
    headers: { Origin: origin },
    redirect: "manual",
  });
}

const realName: Record<string, string> = {
  type: "accusation",
  realName: "true",
  "reporter.name": "王晓明",
  "reporter.idNumber": "430102199003071234",
  "reporter.phone": "13912345678",
  "reporter.address": "",
  "reporter.email": "",
  "subject.name": "李四",
  "subject.unit": "望城区交通运输局",
  "subject.position": "局长",
  "subject.managementLevel": "county",
  divisionCode: "430112",
  category: "integrity",
  title: "反映李四收受工程款回扣问题",
  body: "李四在2025年修路工程中收受承包商回扣，\r\n请予调查。",
};

/** What a browser without JavaScript posts for an anonymous report: the identity fields, empty. */
const anonymous: Record<string, string> = {
  ...realName,
  realName: "false",
  "reporter.name": "",
  "reporter.idNumber": "",
  "reporter.phone": "",
  "subject.name": "赵六",
  "subject.unit": "长沙市住房和城乡建设局",
  "subject.managementLevel": "city",
  divisionCode: "430100",
};

function expectNoInlineCode(html: string) {
  // The pages must run under a CSP without 'unsafe-inline'.
  expect(html).not.toMatch(/<style[\s>]/i);
  expect(html).not.toMatch(/\sstyle=/i);
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) expect(tag).toMatch(/\ssrc="\/[^"]+"/);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
}

describe("home page", () => {
  it("says in Chinese what can and cannot be reported here, how identity is kept, and links to the forms", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    expect(html).toContain('<html lang="zh-CN">');
    expect(text).toContain("湖南省纪委监委网络举报平台 · 清风");
    expect(html).toContain('href="#main"');
    for (const id of ["scope", "not-here", "identity", "modes"]) expect(html).toContain(`id="${id}"`);
    expect(text).toContain("六项纪律");
    expect(text).toContain("职务违法、职务犯罪");
    expect(text).toContain("人民法院");
    expect(text).toContain("行政复议");
    expect(text).toContain("涉法涉诉");
    expect(text).toContain("12345");
    expect(text).toContain("公安机关");
    expect(text).toContain("加密封存");
    expect(text).toContain("〔已隐去〕");
    expect(text).toContain("IP 地址");
    expect(text).toContain(REAL_NAME_NOTICE);
    expect(text).toContain("优先办理");
    expect(html).toContain('href="/report"');
    expect(html).toContain('href="/track"');
    expect(html).toContain('href="/en/"');
    expectNoInlineCode(html);
  });

  it("has an English version with the same sections", async () => {
    const res = await fetch(`${base}/en/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    expect(html).toContain('<html lang="en">');
    expect(text).toContain("湖南省纪委监委 Online Reporting Platform · Qingfeng");
    for (const id of ["scope", "not-here", "identity", "modes"]) expect(html).toContain(`id="${id}"`);
    expect(text).toContain("six disciplines");
    expect(text).toContain("people's court");
    expect(text).toContain("administrative review");
    expect(text).toContain("12345");
    expect(text).toContain("15 working days");
    expect(html).toContain('href="/en/report"');
    expect(html).toContain('href="/en/track"');
    expect(html).toContain('href="/"');
    expectNoInlineCode(html);
  });

  it("serves its stylesheet and favicon from this origin", async () => {
    const html = await (await fetch(`${base}/`)).text();
    const css = html.match(/<link rel="stylesheet" href="(\/[^"]+\.css)"/);
    expect(css).not.toBeNull();
    const res = await fetch(`${base}${css![1]}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/css/);
    expect(await res.text()).toContain(":focus-visible");
    expect((await fetch(`${base}/favicon.svg`)).status).toBe(200);
  });
});

describe("受理范围 and where else to turn", () => {
  it("lists the 受理范围 as local 纪委 sites publish it: the 申诉 item is about 党纪处分 and 监察机关's decisions", async () => {
    const html = await (await fetch(`${base}/`)).text();
    const scope = sectionText(html, "scope");
    expect(scope).toContain("受理范围");
    expectAll(scope, [
      "对党员、党组织违反",
      "违反中央八项规定精神",
      "涉嫌贪污贿赂、滥用职权、玩忽职守",
      "职务违法、职务犯罪行为的检举控告",
      "党员、党组织对党纪处分或者纪律检查机关所作的其他处理不服，提出的申诉",
      "监察对象对监察机关涉及本人的处理决定不服，提出的申诉",
      "对党风廉政建设和反腐败工作的批评建议",
    ]);
    // A 政务处分 by the employing authority is appealed there, not here.
    expect(scope).not.toContain("政务处分");
    expect(scope).not.toContain("纪检监察工作的批评建议");
  });

  it("says where to turn for what is not accepted, and that a report of bare names is not accepted", async () => {
    const html = await (await fetch(`${base}/`)).text();
    const notHere = sectionText(html, "not-here");
    expectAll(notHere, [
      "诉讼、仲裁、行政裁决、行政复议",
      "选人用人",
      "组织部门",
      "12380",
      "劳动争议",
      "劳动人事争议仲裁委员会",
      "信访部门",
      "国家信访局网上信访平台",
      "任免机关",
      "仅列举被反映人姓名、单位或者职务名称而无实质内容的举报",
      "不予受理",
    ]);
    expect(sectionText(html, "modes")).toContain(REAL_NAME_NOTICE);
  });

  it("says the same in English", async () => {
    const html = await (await fetch(`${base}/en/`)).text();
    const scope = sectionText(html, "scope");
    expectAll(scope, [
      "What we accept",
      "against a Party disciplinary sanction",
      "against a supervisory commission's decision about them",
      "criticism of and suggestions about Party conduct, integrity and anti-corruption work",
    ]);
    const notHere = sectionText(html, "not-here");
    expectAll(notHere, [
      "arbitration, an administrative ruling or administrative review",
      "selection and appointment of officials",
      "12380",
      "labour and personnel dispute arbitration commission",
      "petitions office",
      "online petition platform",
      "employing authority (not by a supervisory commission)",
      "only name people, units or posts, with nothing of substance",
    ]);
    const modes = sectionText(html, "modes");
    expect(modes).toContain("within 15 working days of receipt");
    expect(modes).toContain("within 15 working days of its conclusion");
    expect(modes).toContain("not answered again");
  });
});

describe("report page", () => {
  it("offers the 反映类别 and 被反映人级别 as 纪委 sites name them, and no 其他 type", async () => {
    const html = await (await fetch(`${base}/report`)).text();
    const text = textOf(html);
    expect(text).toContain("反映类别");
    expect(radios(html, "type")).toEqual([
      { value: "accusation", label: "检举控告" },
      { value: "appeal", label: "申诉" },
      { value: "suggestion", label: "批评建议" },
    ]);
    expect(text).toContain("对党风廉政建设和反腐败工作提出批评建议");
    expect(text).toContain("被反映人");
    expect(text).not.toContain("被举报人");
    expect(text).toContain("被反映人级别");
    const levels = radios(html, "subject.managementLevel");
    for (const level of [
      { value: "province", label: "省管干部（厅级）" },
      { value: "city", label: "市管干部（县处级）" },
      { value: "county", label: "县管干部（乡科级）" },
      { value: "other", label: "一般干部及其他人员" },
    ])
      expect(levels).toContainEqual(level);
    expect(text).toContain("仅列举名称而无实质内容的不予受理");
    expect(text).toContain(REAL_NAME_NOTICE);

    const en = await (await fetch(`${base}/en/report`)).text();
    expect(radios(en, "type").map((r) => r.value)).toEqual(["accusation", "appeal", "suggestion"]);
  });

  it("shows every field of the report, with one division list that works without JavaScript", async () => {
    const res = await fetch(`${base}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toMatch(/<form[^>]*method="post"[^>]*enctype="multipart\/form-data"/);
    for (const name of REPORT_FORM_FIELDS) {
      expect(html).toContain(`name="${name}"`);
    }
    // Every visible control has a label tied to it.
    const controls = (html.match(/<(input|select|textarea)\b[^>]*>/g) ?? []).filter(
      (t) => !t.includes('type="hidden"'),
    );
    expect(controls.length).toBeGreaterThan(20);
    for (const tag of controls) {
      const inputId = tag.match(/\bid="([^"]+)"/)?.[1];
      expect(inputId, tag).toBeDefined();
      expect(html).toContain(`for="${inputId}"`);
    }
    const select = innerOf(html, "f-divisionCode");
    expect(select).toMatch(/<option value="430000"[^>]*>湖南省（省本级）<\/option>/);
    expect(select).toMatch(
      /<optgroup label="长沙市"[^>]*><option value="430100"[^>]*>长沙市（市本级）<\/option>/,
    );
    expect(select).toMatch(/<option value="430112"[^>]*>望城区<\/option>/);
    expect((select.match(/<optgroup/g) ?? []).length).toBe(14);
    expect(innerOf(html, "f-category")).toContain('<option value="integrity">违反廉洁纪律</option>');
    expect(textOf(html)).toContain("县管");
    expectNoInlineCode(html);
  });

  it("files a real-name report and answers with the receipt on the same response", async () => {
    const res = await post("/report", realName);
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    const text = textOf(html);
    const code = html.match(/<p class="tracking-code" translate="no">([^<]+)<\/p>/)?.[1];
    expect(code).toMatch(new RegExp(`^${CODE.source}$`));
    expect(text).toContain("望城区纪委监委");
    expect(text).toContain("无法找回");
    expect(text).toContain(REAL_NAME_NOTICE);
    // The received time is Beijing time.
    const iso = html.match(/<time datetime="([^"]+)">([^<]+)<\/time>/);
    expect(iso).not.toBeNull();
    const beijing = new Intl.DateTimeFormat("zh-CN", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(iso![1]));
    expect(iso![2]).toBe(beijing);
    expect(html).toContain('href="/track"');
    // The tracking code is in no link.
    expect(html).not.toMatch(new RegExp(`href="[^"]*${code}`));
  });

  it("files an anonymous report from a form without JavaScript (empty identity fields are not sent)", async () => {
    const res = await post("/report", anonymous);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(CODE);
    expect(textOf(html)).toContain("长沙市纪委监委");
    expect(textOf(html)).not.toContain("15个工作日内告知");
  });

  it("shows the form again with what was entered and the ID number's message beside it", async () => {
    const res = await post("/report", { ...realName, "reporter.idNumber": "430102199003071235" });
    expect(res.status).toBe(422);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).not.toMatch(CODE);
    expect(html).toMatch(/<title>错误：/);
    const input = tagWithId(html, "f-reporter-idNumber");
    expect(input).toContain('value="430102199003071235"');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toMatch(/aria-describedby="[^"]*f-reporter-idNumber-error/);
    expect(textOf(innerOf(html, "f-reporter-idNumber-error"))).toContain("身份证号校验位不正确");
    // What the citizen typed is all still there.
    expect(tagWithId(html, "f-reporter-name")).toContain('value="王晓明"');
    expect(tagWithId(html, "f-subject-unit")).toContain('value="望城区交通运输局"');
    expect(innerOf(html, "f-body")).toBe("李四在2025年修路工程中收受承包商回扣，\n请予调查。");
    expect(tagWithId(html, "f-realName-true")).toContain("checked");
    expect(tagWithId(html, "f-subject-managementLevel-county")).toContain("checked");
    expect(innerOf(html, "f-divisionCode")).toMatch(/<option value="430112" selected>/);
    expect(innerOf(html, "f-category")).toMatch(/<option value="integrity" selected>/);
    // The summary at the top links to the field.
    expect(innerOf(html, "error-summary")).toMatch(
      /<a href="#f-reporter-idNumber">居民身份证号码：身份证号校验位不正确/,
    );
  });

  it("puts every missing field's message beside it and lists them in the summary in form order", async () => {
    const res = await post("/report", { type: "accusation", realName: "true", title: "", body: "" });
    expect(res.status).toBe(422);
    const html = await res.text();
    // The ID number is optional (issue 10 §4): name and contact number are what a real-name report needs.
    for (const id of [
      "f-reporter-name",
      "f-reporter-phone",
      "f-subject-name",
      "f-subject-unit",
      "f-title",
      "f-body",
    ]) {
      expect(textOf(innerOf(html, `${id}-error`))).toContain("此项为必填项");
    }
    expect(textOf(innerOf(html, "f-subject-managementLevel-error"))).toContain("请从列表中选择一项");
    expect(textOf(innerOf(html, "f-divisionCode-error"))).toContain("请选择本省的市、县");
    expect(textOf(innerOf(html, "f-category-error"))).toContain("请从列表中选择一项");
    const links = [...innerOf(html, "error-summary").matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual([
      "f-reporter-name",
      "f-reporter-phone",
      "f-subject-name",
      "f-subject-unit",
      "f-subject-managementLevel",
      "f-divisionCode",
      "f-category",
      "f-title",
      "f-body",
    ]);
  });

  it("refuses identity on an anonymous report, beside the reporter fieldset, in English on /en/report", async () => {
    const res = await post("/en/report", { ...anonymous, "reporter.phone": "13912345678" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(textOf(innerOf(html, "f-reporter-error"))).toContain(
      "An anonymous report must not carry the reporter's identity",
    );
    expect(tagWithId(html, "f-reporter")).toMatch(/aria-describedby="[^"]*f-reporter-error/);
    expect(innerOf(html, "error-summary")).toContain('href="#f-reporter-name"');
    expect(tagWithId(html, "f-reporter-phone")).toContain('value="13912345678"');
  });

  it("files an English report and shows the receipt in English", async () => {
    const res = await post("/en/report", realName);
    expect(res.status).toBe(200);
    const text = textOf(await res.text());
    expect(text).toMatch(CODE);
    expect(text).toContain("Your tracking code");
    expect(text).toContain("望城区纪委监委");
    expect(text).toMatch(/\d{1,2} [A-Z][a-z]+ \d{4}/);
  });

  it("answers a second click on the same form with the first receipt, and files nothing new", async () => {
    const form = await (await fetch(`${base}/report`)).text();
    const key = tagWithId(form, "f-idempotencyKey").match(/value="([^"]+)"/)![1];
    const first = (await (await post("/report", { ...realName, idempotencyKey: key })).text()).match(
      CODE,
    )?.[0];
    const again = (await (await post("/report", { ...realName, idempotencyKey: key })).text()).match(
      CODE,
    )?.[0];
    expect(first).toMatch(CODE);
    expect(again).toBe(first);
    // The same form sent again with other text is not filed under the old key; the form comes back.
    const changed = await post("/report", { ...realName, title: "另一个标题", idempotencyKey: key });
    expect(changed.status).toBe(409);
    const html = await changed.text();
    expect(html).not.toMatch(CODE);
    expect(textOf(innerOf(html, "problem"))).toContain("请核对下方内容后再次提交");
    expect(tagWithId(html, "f-title")).toContain('value="另一个标题"');
    expect(tagWithId(html, "f-idempotencyKey")).not.toContain(key);
  });

  it("refuses a cross-site form post", async () => {
    const res = await post("/report", realName, "https://evil.example");
    expect(res.status).toBe(403);
    expect(await res.text()).not.toMatch(CODE);
  });
});

// Issue 10 §3–§4 on the page a browser without JavaScript sees: every block is on the page, the
// empty ones are dropped when the form is read.
describe("report page: kinds of report, reporters and routing", () => {
  /** What a browser without JavaScript posts: every field of the page, empty unless filled. */
  const EMPTY_FORM: Record<string, string> = {
    "reporter.name": "",
    "reporter.idNumber": "",
    "reporter.phone": "",
    "reporter.address": "",
    "reporter.email": "",
    "subject.name": "",
    "subject.unit": "",
    "subject.position": "",
    divisionCode: "",
    "appeal.decision": "",
    "appeal.decidingBody": "",
    "appeal.decisionDate": "",
    "appeal.officeCode": "",
    title: "",
    body: "",
  };
  const appeal: Record<string, string> = {
    ...EMPTY_FORM,
    type: "appeal",
    realName: "true",
    "reporter.kind": "person",
    "reporter.name": "王晓明",
    "reporter.phone": "（0731）8888 8888",
    "appeal.decision": "给予党内警告处分",
    "appeal.decidingBody": "中共长沙市望城区纪律检查委员会",
    "appeal.decisionDate": "2025-06-30",
    "appeal.officeCode": "430112",
    category: "integrity",
    title: "对党内警告处分不服的申诉",
    body: "本人对2025年6月所受党内警告处分不服，认为事实认定有误，请求复查。",
  };
  const officeOf = (html: string) => textOf(html).match(/接收机关\s*(\S+纪委监委)/)?.[1];

  it("has the new fields, each labelled, and the second-level categories", async () => {
    const html = await (await fetch(`${base}/report`)).text();
    for (const id of [
      "f-reporter-kind",
      "f-reporter-kind-unit",
      "f-subject-managementLevel-unknown",
      "f-subject-isDisciplineStaff",
      "f-subject-isPrincipalLeader",
      "f-appeal-decision",
      "f-appeal-decisionDate",
      "f-appeal-officeCode",
    ]) {
      expect(html).toContain(`for="${id}"`);
    }
    expect(tagWithId(html, "f-reporter-idNumber")).not.toContain("required");
    expect(tagWithId(html, "f-appeal-decisionDate")).toContain('type="date"');
    expect(innerOf(html, "f-appeal-officeCode")).toMatch(
      /<option value="430112"[^>]*>望城区纪委监委<\/option>/,
    );
    const categories = innerOf(html, "f-category");
    expect(categories).toMatch(
      /违反廉洁纪律<\/option><option value="eight_point_rules">　　违反中央八项规定精神<\/option>/,
    );
    expect(categories).toContain('<option value="formalism_bureaucratism">　　形式主义、官僚主义</option>');
    expect(categories).toContain('<option value="duty_crime">涉嫌职务违法、职务犯罪</option>');
    expect(textOf(html)).toContain("不清楚");
  });

  it("opens on 申诉, real-name, from a link (?type=appeal)", async () => {
    const html = await (await fetch(`${base}/report?type=appeal`)).text();
    expect(tagWithId(html, "f-type-appeal")).toContain("checked");
    expect(tagWithId(html, "f-realName-true")).toContain("checked");
    expect(tagWithId(html, "f-type")).not.toContain("checked");
  });

  it("files a 申诉 without JavaScript: no person reported, a landline, no ID number, to the deciding office", async () => {
    const res = await post("/report", appeal);
    const html = await res.text();
    expect(res.status, textOf(html).slice(0, 400)).toBe(200);
    expect(html).toMatch(CODE);
    expect(officeOf(html)).toBe("望城区纪委监委");
    // 受理告知 is owed to a real-name 检举控告, not to an appeal.
    expect(textOf(html)).not.toContain(REAL_NAME_NOTICE);
  });

  it("files a 申诉 to a city office, with the date typed as 2025年6月30日", async () => {
    const res = await post("/report", {
      ...appeal,
      "appeal.decisionDate": "2025年6月30日",
      "appeal.officeCode": "431200",
    });
    expect(res.status).toBe(200);
    expect(officeOf(await res.text())).toBe("怀化市纪委监委");
  });

  const refused: [string, Record<string, string>, string, string][] = [
    [
      "a 申诉 naming a person reported",
      { ...appeal, "subject.name": "李四", "subject.unit": "望城区交通运输局" },
      "f-subject-error",
      "不填写被反映人",
    ],
    [
      "an anonymous 申诉",
      { ...appeal, realName: "false", "reporter.name": "", "reporter.phone": "" },
      "f-realName-error",
      "申诉须实名",
    ],
    [
      "a 申诉 decided in the future",
      { ...appeal, "appeal.decisionDate": "2999-01-01" },
      "f-appeal-decisionDate-error",
      "不能晚于今天",
    ],
    [
      "a 申诉 without its decision",
      { ...appeal, "appeal.decision": "" },
      "f-appeal-decision-error",
      "此项为必填项",
    ],
    [
      "a 申诉 without its office",
      { ...appeal, "appeal.officeCode": "" },
      "f-appeal-officeCode-error",
      "请选择本省",
    ],
    [
      "a 检举控告 with the appeal block filled",
      { ...realName, "appeal.decision": "给予党内警告处分" },
      "f-appeal-error",
      "只有申诉才填写",
    ],
    [
      "a 检举控告 without a person reported",
      { ...realName, "subject.name": "", "subject.unit": "" },
      "f-subject-name-error",
      "此项为必填项",
    ],
    [
      "a phone without its area code",
      { ...realName, "reporter.phone": "8888 8888" },
      "f-reporter-phone-error",
      "带区号的固定电话",
    ],
  ];
  it.each(refused)(
    "shows %s again with the message beside the block",
    async (_label, fields, errorId, message) => {
      const res = await post("/report", fields);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).not.toMatch(CODE);
      expect(textOf(innerOf(html, errorId))).toContain(message);
      expect(innerOf(html, "error-summary")).toMatch(/href="#f-/);
    },
  );

  it("keeps what was typed in the appeal block when the form comes back", async () => {
    const res = await post("/report", { ...appeal, "appeal.decisionDate": "2999-01-01" });
    const html = await res.text();
    expect(innerOf(html, "f-appeal-decision")).toBe("给予党内警告处分");
    expect(tagWithId(html, "f-appeal-decisionDate")).toContain('value="2999-01-01"');
    expect(innerOf(html, "f-appeal-officeCode")).toMatch(/<option value="430112" selected>/);
    expect(tagWithId(html, "f-appeal-decisionDate")).toContain('aria-invalid="true"');
  });

  it("files a 批评建议 about no one in particular, for the province office", async () => {
    const res = await post("/report", {
      ...EMPTY_FORM,
      type: "suggestion",
      realName: "false",
      category: "other",
      title: "对网上举报平台的建议",
      body: "建议在平台上公开各级纪委监委的来访接待地址和时间。",
    });
    expect(res.status).toBe(200);
    expect(officeOf(await res.text())).toBe("湖南省纪委监委");
  });

  const routed: [string, Record<string, string>, string][] = [
    ["不清楚 → the city office", { "subject.managementLevel": "unknown" }, "长沙市纪委监委"],
    [
      "a 纪检监察干部, 县管 → one level up",
      { "subject.managementLevel": "county", "subject.isDisciplineStaff": "true" },
      "长沙市纪委监委",
    ],
    [
      "a 纪委监委主要负责人, 市管 → one level up",
      { "subject.managementLevel": "city", "subject.isPrincipalLeader": "true" },
      "湖南省纪委监委",
    ],
  ];
  it.each(routed)("routes %s", async (_label, fields, office) => {
    const res = await post("/report", { ...anonymous, divisionCode: "430112", ...fields });
    expect(res.status).toBe(200);
    expect(officeOf(await res.text())).toBe(office);
  });

  it("lets a unit report under its name with a landline and no ID number", async () => {
    const res = await post("/report", {
      ...realName,
      "reporter.kind": "unit",
      "reporter.name": "长沙市望城区某某建筑工程有限公司",
      "reporter.idNumber": "",
      "reporter.phone": "０７３１－８７６５４３２１",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(CODE);
    expect(textOf(html)).toContain(REAL_NAME_NOTICE);
  });

  it("says it in English on /en/report", async () => {
    const form = await (await fetch(`${base}/en/report?type=appeal`)).text();
    expect(textOf(form)).toContain("Your appeal");
    expect(textOf(form)).toContain("Not sure");
    const res = await post("/en/report", {
      ...appeal,
      realName: "false",
      "reporter.name": "",
      "reporter.phone": "",
    });
    expect(res.status).toBe(422);
    expect(textOf(innerOf(await res.text(), "f-realName-error"))).toContain(
      "An appeal must be made under your real name",
    );
  });
});

describe("track page", () => {
  let code: string;
  beforeAll(async () => {
    const html = await (await post("/report", realName)).text();
    code = html.match(CODE)![0];
  });

  it("shows the lookup form, never cached", async () => {
    const res = await fetch(`${base}/track`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(tagWithId(html, "f-trackingCode")).toContain('name="trackingCode"');
    expect(tagWithId(html, "f-trackingCode")).toContain('autocomplete="off"');
    expect(html).toMatch(/<input type="hidden" name="intent" value="lookup"/);
    expectNoInlineCode(html);
  });

  it("finds the case from a code typed in lower case with spaces", async () => {
    const typed = code.toLowerCase().replace(/-/g, " ");
    const res = await post("/track", { intent: "lookup", trackingCode: typed });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("已接收");
    expect(text).toContain("望城区纪委监委");
    expect(text).toContain("举报已接收");
    // The add-message form carries the code in the POST body, never in a URL.
    expect(html).toContain(`<input type="hidden" name="trackingCode" value="${code}">`);
    expect(html).toContain('<input type="hidden" name="intent" value="message">');
    expect(html).not.toMatch(new RegExp(`(href|action)="[^"]*${code}`));
  });

  it("adds the reporter's information and shows the case again on the same response", async () => {
    const res = await post("/track", {
      intent: "message",
      trackingCode: code,
      body: "补充：2025年3月的付款凭证在财务室。",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    const text = textOf(await res.text());
    expect(text).toContain("已收到您补充的内容");
    expect(text).toContain("补充：2025年3月的付款凭证在财务室。");
    expect(text).toContain("举报人补充材料");
    expect(text).toContain("已接收");
  });

  it("keeps the case on screen when an empty message is sent, with the message beside the field", async () => {
    const res = await post("/track", { intent: "message", trackingCode: code, body: "   " });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(textOf(html)).toContain("望城区纪委监委");
    expect(textOf(innerOf(html, "f-body-error"))).toContain("此项为必填项");
  });

  it("answers an unknown code calmly, the same way as a malformed one", async () => {
    const unknown = await post("/track", { intent: "lookup", trackingCode: "ABCDE-12345-FGHJK-67890" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    const html = await unknown.text();
    const text = textOf(innerOf(html, "not-found"));
    expect(text).toContain("没有查到结果");
    expect(text).toContain("20 位");
    const malformed = await post("/track", { intent: "lookup", trackingCode: "not a code" });
    expect(malformed.status).toBe(404);
    expect(textOf(innerOf(await malformed.text(), "not-found"))).toBe(text);
  });

  it("shows the case in English on /en/track", async () => {
    const res = await post("/en/track", { intent: "lookup", trackingCode: code });
    expect(res.status).toBe(200);
    const text = textOf(await res.text());
    expect(text).toContain("Received");
    expect(text).toContain("Report received");
    expect(text).toContain("望城区纪委监委");
  });

  it("refuses a cross-site post", async () => {
    const res = await post("/track", { intent: "lookup", trackingCode: code }, "https://evil.example");
    expect(res.status).toBe(403);
  });
});

// What fetch cannot see: the Origin header a real browser sends (a referrer policy of
// no-referrer turns it into `null`, and every form post gets 403), the page's CSP blocking the
// enhancement script, and the enhanced division picker.
describe.skipIf(!browserAvailable())("in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  async function open(javaScriptEnabled: boolean): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    return { page, problems };
  }

  it("files a real-name report with JavaScript on: identity fields appear, city then county", async () => {
    const { page, problems } = await open(true);
    await page.goto(`${base}/report`);
    // The enhancement ran (its script was allowed by the CSP): two selects, identity hidden.
    await expect.poll(() => page.locator("#f-divisionCode-county").count()).toBe(1);
    expect(await page.isVisible("#f-reporter-name")).toBe(false);
    await page.check("#f-realName-true");
    expect(await page.isVisible("#f-reporter-name")).toBe(true);
    await page.fill("#f-reporter-name", "王晓明");
    await page.fill("#f-reporter-idNumber", "430102199003071234");
    await page.fill("#f-reporter-phone", "13912345678");
    await page.fill("#f-subject-name", "李四");
    await page.fill("#f-subject-unit", "望城区交通运输局");
    await page.check("#f-subject-managementLevel-county");
    await page.selectOption("#f-divisionCode", "430100");
    await page.selectOption("#f-divisionCode-county", "430112");
    await page.selectOption("#f-category", "integrity");
    await page.fill("#f-title", "反映李四收受工程款回扣问题");
    await page.fill("#f-body", "李四在2025年修路工程中收受承包商回扣，请予调查。");
    await Promise.all([
      page.waitForURL(`${base}/report`),
      page.click("form[data-report-form] button[type=submit]"),
    ]);
    const code = (await page.textContent(".tracking-code"))?.trim();
    expect(code).toMatch(CODE);
    expect(await page.textContent("main")).toContain("望城区纪委监委");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("shows the 申诉 block instead of the person reported when 申诉 is chosen, and makes it real-name", async () => {
    const { page, problems } = await open(true);
    await page.goto(`${base}/report`);
    await expect.poll(() => page.locator("#f-divisionCode-county").count()).toBe(1);
    expect(await page.isVisible("#f-subject-name")).toBe(true);
    expect(await page.isVisible("#f-appeal-decision")).toBe(false);
    await page.check("#f-type-appeal");
    expect(await page.isVisible("#f-subject-name")).toBe(false);
    expect(await page.isVisible("#f-appeal-decision")).toBe(true);
    expect(await page.isChecked("#f-realName-true")).toBe(true);
    expect(await page.isDisabled("#f-realName")).toBe(true);
    expect(await page.isVisible("#f-reporter-name")).toBe(true);
    await page.fill("#f-reporter-name", "王晓明");
    await page.fill("#f-reporter-phone", "0731-88888888");
    await page.fill("#f-appeal-decision", "给予党内警告处分");
    await page.fill("#f-appeal-decidingBody", "中共长沙市望城区纪律检查委员会");
    await page.fill("#f-appeal-decisionDate", "2025-06-30");
    await page.selectOption("#f-appeal-officeCode", "430112");
    await page.selectOption("#f-category", "integrity");
    await page.fill("#f-title", "对党内警告处分不服的申诉");
    await page.fill("#f-body", "本人对所受党内警告处分不服，请求复查。");
    await Promise.all([
      page.waitForURL(`${base}/report`),
      page.click("form[data-report-form] button[type=submit]"),
    ]);
    expect((await page.textContent(".tracking-code"))?.trim()).toMatch(CODE);
    expect(await page.textContent("main")).toContain("望城区纪委监委");
    // Back to 检举控告: the person reported returns, the appeal block goes, anonymous is allowed again.
    await page.goto(`${base}/report?type=appeal`);
    await page.check("#f-type");
    expect(await page.isVisible("#f-subject-name")).toBe(true);
    expect(await page.isVisible("#f-appeal-decision")).toBe(false);
    expect(await page.isDisabled("#f-realName")).toBe(false);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("files an anonymous report with JavaScript off and tracks it with a loosely typed code", async () => {
    const { page } = await open(false);
    await page.goto(`${base}/report`);
    expect(await page.isVisible("#f-reporter-name")).toBe(true);
    await page.check("#f-realName"); // anonymous: the group's first option carries its id
    await page.fill("#f-subject-name", "赵六");
    await page.fill("#f-subject-unit", "长沙市住房和城乡建设局");
    await page.check("#f-subject-managementLevel-city");
    await page.selectOption("#f-divisionCode", "430100");
    await page.selectOption("#f-category", "work");
    await page.fill("#f-title", "反映赵六违规审批问题");
    await page.fill("#f-body", "赵六在审批某楼盘预售许可时违规放行，请予调查。");
    await Promise.all([
      page.waitForURL(`${base}/report`),
      page.click("form[data-report-form] button[type=submit]"),
    ]);
    const code = (await page.textContent(".tracking-code"))?.trim() ?? "";
    expect(code).toMatch(CODE);
    expect(await page.textContent("main")).toContain("长沙市纪委监委");

    await page.goto(`${base}/track`);
    await page.fill("#f-trackingCode", code.toLowerCase().replace(/-/g, " "));
    await Promise.all([page.waitForURL(`${base}/track`), page.click("main form button[type=submit]")]);
    expect(await page.textContent(".status-word")).toBe("已接收");
    await page.fill("#f-body", "补充一条线索。");
    await Promise.all([
      page.waitForURL(`${base}/track`),
      page.click("form:has(#f-body) button[type=submit]"),
    ]);
    expect(await page.textContent("main")).toContain("补充一条线索。");
    await page.context().close();
  });
});
