import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { fillReport, openTrackedCase, receiptCode, submitAndWait } from "../helpers/e2e-portal";
import { type RunningServer, startServer } from "../helpers/server";
import { demoLogins } from "../helpers/sign-in";

// Issue 3: a report goes all the way through, in Chromium with JavaScript on. A citizen files a
// real-name report about a 县管 cadre in 望城区 (430112); 望城区's demo account (intake and
// handler: api/services/demo/seed.ts) signs in at /staff/login, claims it from the queue,
// registers it (受理, intake), chooses 初步核实 (dispose, handler), concludes it with a finding
// and a result (conclude, handler) and tells the reporter (feedback, handler) —
// api/domain/workflow.ts; the citizen's /track shows 已办结 and the reply. Every step is
// asserted on what the person at the screen reads.

const hasBrowser = browserAvailable();

const REPORTER = { name: "欧阳春华", idNumber: "430102199003071234", phone: "13712345678" };
const TITLE = "反映李建国违规审批集体土地问题";
const REPLY =
  "经初步核实，您反映的李建国违规审批集体土地问题部分属实，已责成望城区自然资源局整改并对相关人员作出处理。感谢您的监督。";
const RESULT = "问题部分属实，给予李建国诫勉处理，责令整改。";

describe.skipIf(!hasBrowser)("a report through the staff console, in Chromium with JavaScript", () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    server = await startServer({ DEMO: "on" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * What went wrong on a page that a person would not see at once: a script that threw, a
   * Content-Security-Policy violation, an answer with an error status (the browser's own
   * /favicon.ico probe aside).
   */
  const watch = (page: Page) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`script error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname !== "/favicon.ico")
        errors.push(`${r.status()} ${r.url()}`);
    });
    return errors;
  };
  const text = (page: Page) => page.locator("body").innerText();

  /** Clicks a button by its visible name and waits for the page the form post leads to. */
  async function press(page: Page, name: string) {
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.getByRole("button", { name, exact: true }).click(),
    ]);
  }

  // Staff form posts must carry their Origin (Astro's origin check and the staff CSRF rule): the
  // staff pages' referrer policy is same-origin, as the citizen pages' is (commit f5c77f4). Under
  // no-referrer Chromium sends `Origin: null` and the login form answers 403.
  it("files, claims, registers, disposes, concludes a report and gives feedback; the citizen reads 已办结 and the reply", {
    timeout: 120_000,
  }, async () => {
    const logins = await demoLogins(server.dataDir);
    const account = logins["wangcheng.intake"];
    expect(account?.roles).toEqual(expect.arrayContaining(["intake", "handler"]));

    // 1. The citizen files the report (JavaScript on: the division picker is two selects).
    const citizen: BrowserContext = await browser.newContext({ locale: "zh-CN" });
    const cpage = await citizen.newPage();
    const citizenErrors = watch(cpage);
    await cpage.goto(`${server.origin}/report`);
    await fillReport(cpage, {
      realName: true,
      reporter: REPORTER,
      subject: { name: "李建国", unit: "望城区自然资源局", position: "副局长", managementLevel: "county" },
      city: "430100",
      divisionCode: "430112",
      category: "integrity",
      title: TITLE,
      body: `我是${REPORTER.name}，电话${REPORTER.phone}。李建国在审批集体土地时收受好处费，请组织调查。`,
    });
    await submitAndWait(cpage);
    const code = await receiptCode(cpage);
    expect(await text(cpage)).toContain("望城区纪委监委");

    // 2. The staff member signs in with the form, as a person does.
    const staff = await browser.newContext({ locale: "zh-CN" });
    const spage = await staff.newPage();
    const staffErrors = watch(spage);
    await spage.goto(`${server.origin}/staff/login`);
    await spage.getByLabel("用户名").fill("wangcheng.intake");
    await spage.getByLabel("密码", { exact: true }).fill(account.password);
    await press(spage, "登录");
    expect(await text(spage), "the login form did not lead to the console").not.toContain(
      "Cross-site POST form submissions are forbidden",
    );
    expect(new URL(spage.url()).pathname).toBe("/staff");
    expect(await text(spage)).toContain("望城区纪委监委 · wangcheng.intake");

    // 3. Claims the next case of the queue: the citizen's report opens, held by them.
    await spage.getByRole("link", { name: "待签收", exact: true }).click();
    await spage.waitForURL(`${server.origin}/staff/queue`);
    await press(spage, "签收下一件");
    expect(new URL(spage.url()).pathname).toMatch(/^\/staff\/cases\/[0-9a-f-]{36}$/);
    let page = await text(spage);
    expect(page).toContain("您已签收本件。");
    expect(page).toContain(TITLE);
    expect(page).toContain("待受理");
    expect(page).toContain("已由您签收");
    // The sanitized case: the reporter's own name and phone are hidden from staff.
    expect(page).toContain("〔已隐去〕");
    for (const secret of Object.values(REPORTER)) expect(page).not.toContain(secret);

    // 4. Registers it (受理).
    await press(spage, "受理");
    page = await text(spage);
    expect(page).toContain("已完成：受理");
    expect(await spage.locator(".stage").innerText()).toBe("已受理");

    // 5. Chooses the disposition 初步核实.
    await spage.getByLabel("处置方式").selectOption({ label: "初步核实" });
    await press(spage, "确定处置方式");
    page = await text(spage);
    expect(page).toContain("已完成：确定处置方式");
    expect(await spage.locator(".stage").innerText()).toBe("办理中");
    expect(page).toContain("初步核实");

    // 6. Concludes it (办结): the finding and the result, which stay inside.
    await spage.getByLabel("核查结论").selectOption({ label: "部分属实" });
    await spage.getByLabel("处理结果（内部）").fill(RESULT);
    await press(spage, "办结");
    page = await text(spage);
    expect(page).toContain("已完成：办结");
    // A real-name 检举控告: the reporter is owed feedback within 15 working days of 办结.
    expect(await spage.locator(".stage").innerText()).toBe("已办结，待反馈");
    expect(page).toContain("办结后向实名举报人反馈处理结果");

    // 7. Tells the reporter (反馈): how, the reply /track shows, and what they said.
    await press(spage, "签收");
    await spage.getByLabel("反馈方式").selectOption({ label: "电话" });
    await spage.getByLabel("反馈内容（举报人可见）").fill(REPLY);
    await spage.getByLabel("举报人意见", { exact: true }).selectOption({ label: "基本满意" });
    await press(spage, "反馈处理结果");
    page = await text(spage);
    expect(page).toContain("已完成：反馈处理结果");
    expect(await spage.locator(".stage").innerText()).toBe("已办结");
    // The trail shows every step, and no action is left to take but writing or giving feedback again.
    for (const step of ["收到举报", "受理", "确定处置方式", "办结", "反馈处理结果"])
      expect(page).toContain(step);
    expect(await spage.getByRole("button", { name: "受理", exact: true }).count()).toBe(0);
    expect(staffErrors).toEqual([]);
    await staff.close();

    // 8. The citizen looks the case up: 已办结, with the reply.
    await openTrackedCase(cpage, server.origin, code);
    const track = await text(cpage);
    expect(await cpage.locator(".status-word").innerText()).toBe("已办结");
    expect(track).toContain("望城区纪委监委");
    expect(track).toContain(REPLY);
    // The internal result is not the reporter's to read.
    expect(track).not.toContain(RESULT);
    for (const step of ["举报已接收", "已受理", "正在办理", "已办结", "已反馈处理结果"])
      expect(track).toContain(step);
    expect(citizenErrors).toEqual([]);
    await citizen.close();
  });
});
