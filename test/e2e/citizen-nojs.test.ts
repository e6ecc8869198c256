import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { findInDatabase } from "../helpers/inspect";
import { type RunningServer, startServer } from "../helpers/server";

const hasBrowser = browserAvailable();

/** Picks a value whether the form offers it as radio buttons or as a select. */
async function choose(page: import("playwright-core").Page, name: string, value: string) {
  const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  if ((await radio.count()) > 0) await radio.check();
  else await page.selectOption(`select[name="${name}"]`, value);
}

const REPORTER = { name: "欧阳春华", idNumber: "430102199003071234", phone: "13712345678" };

describe.skipIf(!hasBrowser)("a citizen with JavaScript off, in Chromium", () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("files a real-name report about a 县管 cadre in 望城区, then tracks it", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));

    await page.goto(`${server.origin}/report`);
    await choose(page, "type", "accusation");
    await choose(page, "realName", "true");
    await page.fill('input[name="reporter.name"]', REPORTER.name);
    await page.fill('input[name="reporter.idNumber"]', REPORTER.idNumber);
    await page.fill('input[name="reporter.phone"]', REPORTER.phone);
    await page.fill('input[name="subject.name"]', "李建国");
    await page.fill('input[name="subject.unit"]', "望城区自然资源局");
    await page.fill('input[name="subject.position"]', "副局长");
    await choose(page, "subject.managementLevel", "county");
    await choose(page, "divisionCode", "430112");
    await choose(page, "category", "integrity");
    await page.fill('input[name="title"]', "反映李建国违规审批用地问题");
    await page.fill(
      'textarea[name="body"]',
      `我是${REPORTER.name}，电话${REPORTER.phone}。李建国在审批集体土地时收受好处费，请组织调查。`,
    );
    await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);

    const receiptText = await page.locator("body").innerText();
    const match = receiptText.match(/[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/);
    expect(match, receiptText.slice(0, 500)).not.toBeNull();
    const code = match![0];
    expect(receiptText).toContain("望城区纪委监委");
    expect(page.url()).not.toContain(code);
    expect(page.url()).toBe(`${server.origin}/report`);

    await page.goto(`${server.origin}/track`);
    // Typed the way people type: lower case, spaces instead of dashes.
    await page.fill('input[name="trackingCode"]', code.toLowerCase().replace(/-/g, " "));
    await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);
    const trackText = await page.locator("body").innerText();
    expect(trackText).toContain("已接收");
    expect(trackText).toContain("望城区纪委监委");
    expect(page.url()).not.toContain(code.slice(0, 5));

    // Every request went to the portal itself, and no URL carried the code.
    for (const u of requests) {
      expect(new URL(u).origin).toBe(server.origin);
      expect(u.toUpperCase()).not.toContain(code.slice(0, 5) + code.slice(6, 11));
    }
    await context.close();

    // Stop the server, then search every column of the embedded database and the server's log.
    await server.stop();
    const handle = await openDb({ pgliteDir: path.join(server.dataDir, "pglite") });
    try {
      const found = await findInDatabase(handle.db, [
        ...Object.values(REPORTER),
        code,
        code.replace(/-/g, ""),
      ]);
      expect(found).toEqual([]);
      const cases = await handle.db.query.cases.findMany();
      expect(cases).toHaveLength(1);
      expect(cases[0].officeCode).toBe("430112");
      expect(cases[0].body).toContain("〔已隐去〕");
    } finally {
      await handle.close();
    }
    const log = server.output();
    expect(log).toContain('"status":200');
    for (const s of [...Object.values(REPORTER), code]) expect(log).not.toContain(s);
  });
});
