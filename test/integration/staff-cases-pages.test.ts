import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseClocks, cases } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { textOf } from "../helpers/html";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { caseIdOf, postReport } from "../helpers/staff-api";

// The console pages run in the built portal (the global setup builds it), on a database this
// test reaches too, so staff and cases can be set up directly.
describe.each(dbKinds())("the staff console pages on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let county: string;
  let citySup: string;
  let otherOffice: string;
  let caseId: string;

  const page = (cookie: string | undefined, p: string, form?: Record<string, string>, origin?: string) =>
    fetchPage(site.origin, cookie, p, form, origin);
  const hiddenToken = (html: string) => /name="leaseToken" value="([0-9a-f-]{36})"/.exec(html)?.[1];
  const caseRow = () =>
    site.withDb(async (rt) => (await rt.deps.db.select().from(cases).where(eq(cases.id, caseId)))[0]);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "pages test passphrase" });
    const code = await postReport((p, i) => fetch(`${site.origin}${p}`, i), realNameReport());
    await site.withDb(async (rt) => {
      county = (await createStaff(rt, { username: "wc.all", office: "430112", roles: ["intake", "handler"] }))
        .cookie;
      citySup = (await createStaff(rt, { username: "cs.sup", office: "430100", roles: ["supervisor"] }))
        .cookie;
      otherOffice = (await createStaff(rt, { username: "fr.all", office: "430102", roles: ["intake"] }))
        .cookie;
      caseId = await caseIdOf(rt.deps, code);
    });
  }, 180_000);

  afterAll(async () => {
    await site?.close();
  });

  it("sends a visitor without a session to the login page", async () => {
    for (const p of ["/staff", "/staff/queue", "/staff/mine", "/staff/overdue", `/staff/cases/${caseId}`]) {
      const r = await page(undefined, p);
      expect(r.status, p).toBe(303);
      expect(r.location).toBe("/staff/login");
    }
  });

  it("shows the dashboard with live counts, never cached, without scripts or inline styles", async () => {
    const r = await page(county, "/staff");
    expect(r.status).toBe(200);
    expect(r.cacheControl).toBe("no-store");
    expect(r.html).toContain("望城区纪委监委");
    expect(r.html).toMatch(/<th scope="row">望城区纪委监委<\/th>\s*<td class="num">1<\/td>/);
    expect(r.html).not.toMatch(/<script|style="/);
  });

  it("claims the next case from the queue and works it through forms, without JavaScript", async () => {
    const claim = await page(county, "/staff/queue", {});
    expect(claim.status).toBe(303);
    expect(claim.location).toBe(`/staff/cases/${caseId}?done=claim`);
    let view = await page(county, claim.location!);
    expect(view.status).toBe(200);
    expect(view.cacheControl).toBe("no-store");
    expect(view.html).toContain("您已签收本件");
    expect(view.html).toContain("〔已隐去〕");
    expect(view.html).not.toContain("王晓明");
    expect(view.html).toContain("告知实名举报人受理情况"); // the accept clock
    expect(view.html).not.toMatch(/<script|style="/);
    const token = hiddenToken(view.html);
    expect(token).toBeDefined();
    const row = await caseRow();
    expect(token).toBe(row.leaseToken);
    for (const label of ["受理", "不予受理", "报送上级机关", "给举报人留言", "取消签收"])
      expect(view.html).toContain(`>${label}</button>`);

    const reg = await page(county, `/staff/cases/${caseId}`, { action: "register", leaseToken: token! });
    expect(reg.status).toBe(303);
    expect(reg.location).toBe(`/staff/cases/${caseId}?done=register`);
    view = await page(county, reg.location!);
    expect(view.html).toContain("已完成：受理");
    expect(view.html).toContain('class="stage stage--registered"');

    // A field left empty comes back with its message and the other input kept.
    const bad = await page(county, `/staff/cases/${caseId}`, {
      action: "transfer",
      leaseToken: token!,
      department: "",
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toMatch(/<title>错误：/);
    expect(bad.html).toContain("此项为必填项。");

    // A step the stage does not allow: 409 with what is possible now.
    const illegal = await page(county, `/staff/cases/${caseId}`, { action: "register", leaseToken: token! });
    expect(illegal.status).toBe(409);
    expect(illegal.html).toContain("当前可执行：");

    const msg = await page(county, `/staff/cases/${caseId}`, {
      action: "message",
      leaseToken: token!,
      body: "请补充票据照片。",
    });
    expect(msg.status).toBe(303);
    view = await page(county, `/staff/cases/${caseId}`);
    expect(view.html).toContain("请补充票据照片。");
    expect((await page(county, "/staff/mine")).html).toContain(`/staff/cases/${caseId}`);
  });

  it("refuses a cross-site form post", async () => {
    const before = await caseRow();
    const r = await page(
      county,
      `/staff/cases/${caseId}`,
      { action: "release", leaseToken: before.leaseToken! },
      "https://evil.example",
    );
    expect(r.status).toBe(403);
    const after = await caseRow();
    expect(after.leaseToken).toBe(before.leaseToken);
  });

  it("answers 404 for a case outside the caller's scope", async () => {
    const r = await page(otherOffice, `/staff/cases/${caseId}`);
    expect(r.status).toBe(404);
    expect(r.html).not.toContain("李四");
  });

  it("lets a city supervisor press an overdue county case from the overdue page", async () => {
    await site.withDb(async (rt) => {
      await rt.deps.db.insert(caseClocks).values({
        caseId,
        rule: "result_notice",
        officeCode: "430112",
        startedOn: "2020-01-02",
        dueOn: "2020-01-23",
      });
      await rt.deps.db.update(cases).set({ nextDueOn: "2020-01-23" }).where(eq(cases.id, caseId));
    });
    let r = await page(citySup, "/staff/overdue");
    expect(r.status).toBe(200);
    expect(r.html).toContain(`/staff/cases/${caseId}`);
    expect(r.html).toContain("未督办");
    const post = await page(citySup, "/staff/overdue", {
      caseId,
      action: "supervise",
      method: "letter",
      note: "请尽快办结",
    });
    expect(post.status).toBe(303);
    r = await page(citySup, post.location!);
    expect(r.html).toContain("已督办");
    expect(r.html).toContain("长沙市纪委监委 · ");
    const own = await page(county, "/staff/overdue");
    expect(own.html).toContain("长沙市纪委监委 · ");
    expect(own.html).not.toContain(">督办</button>");
    const caseView = await page(citySup, `/staff/cases/${caseId}`);
    expect(caseView.html).toContain("本件由下级机关办理，您只能查看和督办。");
    expect(caseView.html).toContain("请尽快办结");
    expect(hiddenToken(caseView.html)).toBeUndefined();
  });

  it("does not exist in a public-role process", async () => {
    await site.withOtherServer({ APP_ROLE: "public" }, async (pub) => {
      for (const p of ["/staff", "/staff/queue", "/staff/mine", "/staff/overdue", `/staff/cases/${caseId}`]) {
        const res = await fetch(`${pub.origin}${p}`, { redirect: "manual", headers: { cookie: county } });
        expect(res.status, p).toBe(404);
      }
    });
  });

  it("shows a 申诉 without a person reported and without a 处置方式 form, and the 报中央 flag", async () => {
    const file = async (body: Record<string, unknown>) => {
      const code = await postReport((p, i) => fetch(`${site.origin}${p}`, i), body);
      return site.withDb((rt) => caseIdOf(rt.deps, code));
    };
    const { subject: _none, ...base } = realNameReport();
    const appealId = await file({
      ...base,
      type: "appeal",
      appeal: {
        decision: "给予王晓明党内警告处分",
        decidingBody: "望城区纪委监委",
        decisionDate: "2025-06-30",
        officeCode: "430112",
      },
    });
    const claimed = await page(county, `/staff/cases/${appealId}`, { op: "claim" });
    expect(claimed.status).toBe(303);
    let token = hiddenToken((await page(county, `/staff/cases/${appealId}`)).html);
    expect(
      (await page(county, `/staff/cases/${appealId}`, { action: "register", leaseToken: token! })).status,
    ).toBe(303);
    const view = await page(county, `/staff/cases/${appealId}`);
    token = hiddenToken(view.html);
    expect(token).toBeDefined();
    expect(view.html).toContain("申诉事项");
    expect(view.html).toContain("给予〔已隐去〕党内警告处分");
    expect(view.html).not.toContain("王晓明");
    expect(view.html).toContain("本件未反映具体的被反映人。");
    expect(view.html).toContain('name="action" value="conclude"');
    expect(view.html).not.toContain('name="action" value="dispose"');

    const province = await site.withDb(
      async (rt) =>
        (await createStaff(rt, { username: "hn.intake", office: "430000", roles: ["intake"] })).cookie,
    );
    const centralId = await file(
      realNameReport({
        subject: { ...realNameReport().subject, managementLevel: "province", isDisciplineStaff: true },
      }),
    );
    const central = await page(province, `/staff/cases/${centralId}`);
    expect(central.status).toBe(200);
    expect(central.html).toMatch(/id="report-to-central"[^>]*><strong>报中央纪委国家监委<\/strong>/);
    expect(central.html).toContain("纪检监察机关或纪检监察干部（上一级受理）");
    const plain = await page(county, `/staff/cases/${caseId}`);
    expect(plain.html).not.toContain("report-to-central");
  });

  it("concludes (办结) and gives feedback (反馈) through their forms; /track shows the feedback as the reply", async () => {
    const trackingCode = await postReport(
      (p, i) => fetch(`${site.origin}${p}`, i),
      realNameReport({ title: "反映李四违规发放补贴问题" }),
    );
    const id = await site.withDb((rt) => caseIdOf(rt.deps, trackingCode));
    const self = `/staff/cases/${id}`;
    const claim = async () =>
      hiddenToken((await page(county, (await page(county, self, { op: "claim" })).location!)).html)!;
    let token = await claim();
    expect((await page(county, self, { action: "register", leaseToken: token })).status).toBe(303);
    const disposed = await page(county, self, {
      action: "dispose",
      leaseToken: token,
      disposition: "preliminary_verification",
    });
    expect(disposed.status).toBe(303);

    let view = await page(county, self);
    // 办结: the finding is chosen, never preselected; the date is optional, up to today.
    expect(view.html).toMatch(
      /<select class="input" id="conclude-finding" name="finding" required[^>]*>\s*<option value="">请选择<\/option>/,
    );
    for (const finding of ["属实", "部分属实", "不属实"]) expect(view.html).toContain(`>${finding}</option>`);
    expect(view.html).toMatch(
      /<input class="input input--date" id="conclude-concludedOn" name="concludedOn" type="date" max="\d{4}-\d{2}-\d{2}"/,
    );
    expect(view.html).not.toContain('id="conclude-body"');
    const concluded = await page(county, self, {
      action: "conclude",
      leaseToken: token,
      finding: "partly",
      result: "经初步核实，部分属实，已责令整改（内部）。",
      concludedOn: "",
    });
    expect(concluded.status).toBe(303);
    view = await page(county, concluded.location!);
    expect(view.html).toContain("已完成：办结");
    expect(view.html).toContain('class="stage stage--awaiting_feedback"');
    // The 反馈 clock, with its source and the day it counts from.
    expect(view.html).toContain("办结后向实名举报人反馈处理结果");
    expect(view.html).toContain("第三十三条");
    expect(view.html).toContain("自登记的办结之日起计算");
    expect(view.html).toContain("部分属实"); // the trail shows the finding by its label

    token = await claim();
    view = await page(county, self);
    for (const field of ["method", "givenOn", "body", "view", "viewNote"])
      expect(view.html).toContain(`id="feedback-${field}"`);
    expect(view.html).toContain("反馈内容（举报人可见）");
    for (const label of ["网上答复", "电话", "书面", "当面", "满意", "基本满意", "不满意", "未表态"])
      expect(view.html).toContain(`>${label}</option>`);
    const told = await page(county, self, {
      action: "feedback",
      leaseToken: token,
      method: "written",
      givenOn: "",
      body: "经核实，您反映的问题部分属实，已责令整改。感谢您的监督。",
      view: "satisfied",
      viewNote: "",
    });
    expect(told.status).toBe(303);
    view = await page(county, told.location!);
    expect(view.html).toContain('class="stage stage--concluded"');
    expect(view.html).toContain("书面");

    const tracked = await fetch(`${site.origin}/api/v1/track`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode }),
    });
    const seen = (await tracked.json()) as { status: string; reply: { body: string } | null };
    expect(seen.status).toBe("concluded");
    expect(seen.reply?.body).toBe("经核实，您反映的问题部分属实，已责令整改。感谢您的监督。");
    expect(JSON.stringify(seen)).not.toContain("内部");
    // The /track page (no JavaScript) shows the 反馈 as the office's reply, and nothing internal.
    const trackPage = await page(undefined, "/track", { intent: "lookup", trackingCode });
    expect(trackPage.status).toBe(200);
    expect(textOf(trackPage.html)).toContain("经核实，您反映的问题部分属实，已责令整改。感谢您的监督。");
    expect(trackPage.html).not.toContain("内部");
  });
});
