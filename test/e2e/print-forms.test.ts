// Issue 11 §5 in Chromium: a 转办单 with its 文号 prints to one A4 PDF page and shows as a sheet on
// screen; the print views carry no script.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { caseIdOf, claimThenAct, postReport, staffCalls } from "../helpers/staff-api";

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)("printed forms in Chromium", { timeout: PAGES_TEST_TIMEOUT }, () => {
  let site: PagesServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let city: string;
  let caseId: string;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "qf-print-"));

  beforeAll(async () => {
    site = await openPagesServer("pglite", { passphrase: "print forms passphrase" });
    const code = await postReport((p, i) => fetch(`${site.origin}${p}`, i), anonymousReport());
    await site.withDb(async (rt) => {
      city = (await createStaff(rt, { username: "cs.desk", office: "430100", roles: ["intake", "handler"] }))
        .cookie;
      caseId = await caseIdOf(rt.deps, code);
    });
    const api = staffCalls(
      (p, i) => fetch(`${site.origin}${p}`, i),
      () => site.origin,
    );
    await claimThenAct(api, city, [{ action: "forward", office: "430112", note: "请依规办理" }], {
      id: caseId,
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("prints the sending office's 转办单 (文号 长沙纪转〔year〕1号) to one A4 page", async () => {
    const context = await browser.newContext({
      extraHTTPHeaders: { cookie: city },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const res = await page.goto(`${site.origin}/staff/cases/${caseId}/print/transfer`);
    expect(res?.status()).toBe(200);
    const text = await page.locator("main").innerText();
    expect(text).toContain("转办单");
    expect(text).toMatch(/文号：长沙纪转〔\d{4}〕1号/);
    expect(text).toContain("望城区纪委监委：");
    expect(text).toContain("请依规办理");
    expect(await page.locator("script").count()).toBe(0);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // One page, A4 (595 × 842 pt): the MediaBox of every page object.
    const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
    expect(boxes.length).toBe(1);
    expect(Math.round(Number(boxes[0][1]))).toBe(595);
    expect(Math.round(Number(boxes[0][2]))).toBe(842);
    fs.writeFileSync(path.join(out, "transfer.pdf"), pdf);

    // The 转办单 as a person sees it on screen: the sheet with its table.
    await page.setViewportSize({ width: 900, height: 1200 });
    const shot = await page.screenshot({ path: path.join(out, "transfer.png"), fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    expect(await page.locator("table.form-table tr").count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator("h1").innerText()).toBe("转办单");
    // The case itself has left the city's view: its 登记表 is the county's to print now.
    expect((await page.goto(`${site.origin}/staff/cases/${caseId}/print/register`))?.status()).toBe(404);
    if (process.env.QF_KEEP_PRINTS) fs.cpSync(out, process.env.QF_KEEP_PRINTS, { recursive: true });
    await context.close();
  });
});
