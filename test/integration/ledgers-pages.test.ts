// The ledgers in the staff console (issue 10 §5), in the built portal without JavaScript: numbers
// on the case page, the sending office's 转送/交办 ledger, 督办 with its type and reply (inside one
// office), and the reporter's 补充材料 unread until marked read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { caseIdOf, claimThenAct, postReport, type StaffCalls, staffCalls } from "../helpers/staff-api";

const NUMBER = (short: string) => new RegExp(`${short}〔\\d{4}〕第\\d+号`);

describe.each(dbKinds())("the ledgers' pages on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let api: StaffCalls;
  let city: string;
  let county: string;
  let custodian: string;
  let caseId: string;
  let code: string;

  const page = (cookie: string | undefined, p: string, form?: Record<string, string>) =>
    fetchPage(site.origin, cookie, p, form);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "ledgers pages passphrase" });
    api = staffCalls(
      (p, i) => fetch(`${site.origin}${p}`, i),
      () => site.origin,
    );
    code = await postReport(
      (p, i) => fetch(`${site.origin}${p}`, i),
      anonymousReport({
        subject: {
          name: "赵六",
          unit: "长沙市住建局",
          position: "副局长",
          managementLevel: "city",
          divisionCode: "430100",
        },
      }),
    );
    await site.withDb(async (rt) => {
      city = (await createStaff(rt, { username: "cs.all", office: "430100", roles: ["intake", "handler"] }))
        .cookie;
      county = (await createStaff(rt, { username: "wc.all", office: "430112", roles: ["intake", "handler"] }))
        .cookie;
      custodian = (await createStaff(rt, { username: "cs.cust", office: "430100", roles: ["custodian"] }))
        .cookie;
      caseId = await caseIdOf(rt.deps, code);
    });
  }, 180_000);
  afterAll(async () => site?.close());

  it("shows the 信访件编号 on the case page, and the city's 转送 in its ledger with the county's 签收", async () => {
    let view = await page(city, `/staff/cases/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.html).toMatch(new RegExp(`<h1 class="page-title">${NUMBER("长沙").source} · `));
    expect(view.html).not.toContain(`<code class="case-id">${caseId}</code>`);
    await claimThenAct(api, city, [{ action: "forward", office: "430112" }], { id: caseId });

    let ledger = await page(city, "/staff/ledger");
    expect(ledger.status).toBe(200);
    expect(ledger.html).toContain("转送交办台账");
    expect(ledger.html).toMatch(NUMBER("长沙"));
    expect(ledger.html).toMatch(NUMBER("望城"));
    expect(ledger.html).toContain("待签收");
    expect(ledger.html).not.toMatch(/<script|style="/);
    await api.claimById(county, caseId);
    ledger = await page(city, "/staff/ledger");
    expect(ledger.html).toContain("已签收");
    expect((await page(custodian, "/staff/ledger")).status).toBe(403);

    view = await page(county, `/staff/cases/${caseId}`);
    expect(view.html).toMatch(new RegExp(`<h1 class="page-title">${NUMBER("望城").source} · `));
    expect(view.html).toContain("长沙市纪委监委：<strong>");
  });

  it("presses the 承办部门 inside one office with a type, and takes the reply through the case page", async () => {
    await claimThenAct(
      api,
      county,
      [
        { action: "register" },
        { action: "transfer", department: "第一纪检监察室" },
        { action: "dispose", disposition: "preliminary_verification" },
        { action: "release" },
      ],
      { id: caseId },
    );
    let view = await page(county, `/staff/cases/${caseId}`);
    expect(view.html).toContain('name="method"');
    expect(view.html).toContain(">电话督办</option>");
    const pressed = await page(county, `/staff/cases/${caseId}`, {
      action: "supervise",
      method: "onsite",
      note: "请本周内报告核查进展",
    });
    expect(pressed.status).toBe(303);
    let list = await page(county, "/staff/supervision");
    expect(list.html).toContain("实地督办");
    expect(list.html).toContain("待回复");
    expect(list.html).toContain("第一纪检监察室");
    expect((await page(county, "/staff")).html).toContain("督办（1）");

    const token = await api.claimById(county, caseId);
    view = await page(county, `/staff/cases/${caseId}`);
    expect(view.html).toContain(">回复督办</button>");
    const reply = await page(county, `/staff/cases/${caseId}`, {
      action: "respond",
      leaseToken: token,
      answer: "已约谈相关人员，正在核实",
    });
    expect(reply.status).toBe(303);
    list = await page(county, "/staff/supervision");
    expect(list.html).toContain("已约谈相关人员，正在核实");
    expect(list.html).not.toContain("待回复</strong>");
  });

  it("lists the reporter's 补充材料 as unread until a staff member marks them read", async () => {
    const res = await fetch(`${site.origin}/api/v1/track/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: code, body: "补充：审批材料复印件已寄出。" }),
    });
    expect(res.status).toBe(201);
    let list = await page(county, "/staff/follow-ups");
    expect(list.status).toBe(200);
    expect(list.html).toContain(`data-follow-up="${caseId}"`);
    expect(list.html).toContain("1 条未读");
    let view = await page(county, `/staff/cases/${caseId}`);
    expect(view.html).toContain("举报人补充材料 1 条未读");
    // The form carries the time of the latest message shown: what arrives later stays unread.
    const upTo = /name="upTo" value="([^"]+)"/.exec(view.html)?.[1];
    expect(upTo).toBeDefined();
    const read = await page(county, `/staff/cases/${caseId}`, { op: "read", upTo: upTo! });
    expect(read.status).toBe(303);
    expect(read.location).toBe(`/staff/cases/${caseId}?done=read`);
    view = await page(county, read.location!);
    expect(view.html).toContain("已标为已读。");
    expect(view.html).not.toContain("条未读");
    list = await page(county, "/staff/follow-ups");
    expect(list.html).not.toContain(`data-follow-up="${caseId}"`);
    expect(list.html).toContain("没有未读的补充材料。");
  });
});
