import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db/client";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { fillReport, type ReportInput, receiptCode, submitAndWait } from "../helpers/e2e-portal";
import { type RunningServer, startServer } from "../helpers/server";

// Attachments in Chromium: with JavaScript the form is sent with XMLHttpRequest and shows its
// progress, then the answer replaces the page; without JavaScript the plain form post carries
// the files. Both end on the receipt.

const hasBrowser = browserAvailable();

const REPORT: ReportInput = {
  realName: true,
  reporter: { name: "欧阳春华", idNumber: "430102199003071234", phone: "13712345678" },
  subject: { name: "李建国", unit: "望城区自然资源局", position: "副局长", managementLevel: "county" },
  divisionCode: "430112",
  city: "430100",
  category: "integrity",
  title: "反映李建国违规审批用地问题",
  body: "李建国在审批集体土地时收受好处费，附现场照片，请组织调查。",
};

const SUBMIT = 'form[data-report-form] button[type="submit"]';

let pngBytes: Buffer;
let tmp: string;

async function makePng(): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 90, channels: 3, background: { r: 20, g: 120, b: 60 } } })
    .png()
    .toBuffer();
}

const photo = () => ({ name: "现场照片.png", mimeType: "image/png", buffer: pngBytes });

/**
 * Records, from before the click, what the citizen would see of the upload: whether the progress
 * bar was shown, its values, and what the live region said. The window outlives the page the
 * answer replaces, so the record can be read on the receipt.
 */
async function watchUpload(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __upload: { shown: boolean; values: number[]; said: string[] } };
    w.__upload = { shown: false, values: [], said: [] };
    const bar = document.querySelector<HTMLProgressElement>("[data-upload-progress]")!;
    const live = document.querySelector<HTMLElement>("[data-upload-text]")!;
    new MutationObserver(() => {
      if (!bar.hidden) w.__upload.shown = true;
      if (bar.hasAttribute("value")) w.__upload.values.push(bar.value);
    }).observe(bar, { attributes: true });
    new MutationObserver(() => w.__upload.said.push(live.textContent ?? "")).observe(live, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}

async function uploadRecord(page: Page) {
  return page.evaluate(
    () => (window as unknown as { __upload: { shown: boolean; values: number[]; said: string[] } }).__upload,
  );
}

/**
 * Script errors and Content-Security-Policy refusals: the page that replaces the form runs under
 * the form's policy, and its scripts must neither fail nor be refused.
 */
function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  return problems;
}

/** The report-page posts a page made, with the kind of request that carried each. */
function recordPosts(page: Page): { kind: string }[] {
  const posts: { kind: string }[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/report")
      posts.push({ kind: r.resourceType() });
  });
  return posts;
}

beforeAll(async () => {
  pngBytes = await makePng();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qf-upload-"));
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasBrowser)("attachments in Chromium (captcha off)", () => {
  let server: RunningServer;
  let browser: Browser;
  let receipts = 0;
  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: "warn" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openForm(
    js = true,
  ): Promise<{ context: BrowserContext; page: Page; posts: { kind: string }[]; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled: js, locale: "zh-CN" });
    const page = await context.newPage();
    const posts = recordPosts(page);
    const problems = recordProblems(page);
    await page.goto(`${server.origin}/report`);
    await fillReport(page, REPORT);
    return { context, page, posts, problems };
  }

  it("with JavaScript, uploads the photo with a progress bar and shows the receipt in place", async () => {
    const { context, page, posts, problems } = await openForm();
    await page.setInputFiles("#f-files", photo());
    expect(await page.locator("[data-upload-progress]").isHidden()).toBe(true);
    await watchUpload(page);
    await page.click(SUBMIT);
    await page.waitForSelector(".tracking-code", { timeout: 60_000 });
    const code = await receiptCode(page);
    receipts++;
    expect(await page.locator("body").innerText()).toContain("望城区纪委监委");
    expect(page.url()).toBe(`${server.origin}/report`);
    expect(page.url()).not.toContain(code);

    const seen = await uploadRecord(page);
    expect(seen.shown).toBe(true);
    expect(Math.max(...seen.values)).toBe(100);
    expect(seen.said.some((s) => s.startsWith("正在上传："))).toBe(true);
    expect(seen.said).toContain("上传完成，正在处理，请稍候……");
    // One post, by XMLHttpRequest: the page never navigated.
    expect(posts).toEqual([{ kind: "xhr" }]);
    // The receipt's heading has the focus, as after a page load.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a refused file beside the field on the page that comes back, which still works", async () => {
    const { context, page, posts, problems } = await openForm();
    await page.setInputFiles("#f-files", {
      name: "photo.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from("这不是图片"),
    });
    await page.click(SUBMIT);
    await page.waitForSelector("#f-files-error", { timeout: 60_000 });
    expect(await page.locator("#f-files-error").innerText()).toContain("“photo.jpg”：只能上传 JPEG、PNG");
    expect(await page.locator("#f-files-again").innerText()).toContain("请重新选择附件");
    expect(await page.locator("#error-summary").innerText()).toContain("附件：");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("error-summary");
    // The new page is enhanced once: the division list is again two selects, the choice kept.
    expect(await page.locator(".division-pair").count()).toBe(1);
    expect(await page.inputValue("#f-divisionCode-county")).toBe("430112");
    expect(await page.inputValue('input[name="title"]')).toBe(REPORT.title);

    // Choosing files again clears the request to do so, and the report goes through.
    await page.setInputFiles("#f-files", photo());
    expect(await page.locator("#f-files-again").isHidden()).toBe(true);
    await watchUpload(page);
    await page.click(SUBMIT);
    await page.waitForSelector(".tracking-code", { timeout: 60_000 });
    await receiptCode(page);
    receipts++;
    expect((await uploadRecord(page)).shown).toBe(true);
    expect(posts).toEqual([{ kind: "xhr" }, { kind: "xhr" }]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("checks the number and size of files before sending anything", async () => {
    const { context, page, posts } = await openForm();
    const six = Array.from({ length: 6 }, (_, i) => ({ ...photo(), name: `照片${i + 1}.png` }));
    await page.setInputFiles("#f-files", six);
    expect(await page.locator("#f-files-error").innerText()).toContain(
      "最多只能上传 5 个附件，您选择了 6 个",
    );
    await page.click(SUBMIT);
    expect(await page.locator("#f-files-error").innerText()).toContain("您选择了 6 个");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-files");
    expect(await page.locator("#f-files").getAttribute("aria-invalid")).toBe("true");

    const big = path.join(tmp, "大录像.mp4");
    fs.writeFileSync(big, Buffer.alloc(10 * 1024 * 1024 + 1));
    const small = path.join(tmp, "小.png");
    fs.writeFileSync(small, pngBytes);
    await page.setInputFiles("#f-files", [big, small]);
    const message = await page.locator("#f-files-error").innerText();
    expect(message).toContain("“大录像.mp4”超过 10 MB");
    expect(message).not.toContain("小.png");
    await page.click(SUBMIT);
    // The check runs inside the click's submit event, so by now a form that had started to send
    // would be busy (and its post under way): no waiting needed to know that nothing was sent.
    expect(await page.locator("form[data-report-form]").getAttribute("aria-busy")).toBeNull();
    expect(posts).toEqual([]);

    // Fixed: the message goes away.
    await page.setInputFiles("#f-files", photo());
    expect(await page.locator("#f-files-error").count()).toBe(0);
    expect(await page.locator("#f-files").getAttribute("aria-invalid")).toBeNull();
    await context.close();
  });

  it("says when the connection fails, keeps the form and lets the citizen send again", async () => {
    const { context, page } = await openForm();
    await page.route(`${server.origin}/report`, (route) =>
      route.request().method() === "POST" ? route.abort("connectionreset") : route.continue(),
    );
    await page.setInputFiles("#f-files", photo());
    await page.click(SUBMIT);
    await expect
      .poll(() => page.locator("[data-upload-text]").innerText(), { timeout: 30_000 })
      .toContain("网络连接中断");
    expect(await page.locator(SUBMIT).isEnabled()).toBe(true);
    expect(await page.locator("[data-upload-progress]").isHidden()).toBe(true);
    expect(
      await page.evaluate(() => document.querySelector<HTMLInputElement>("#f-files")?.files?.length),
    ).toBe(1);

    await page.unroute(`${server.origin}/report`);
    await page.click(SUBMIT);
    await page.waitForSelector(".tracking-code", { timeout: 60_000 });
    await receiptCode(page);
    receipts++;
    await context.close();
  });

  it("disables the submit button while the upload runs", async () => {
    const { context, page, posts } = await openForm();
    // Hold the answer back so the upload is still running when the page is looked at.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route(`${server.origin}/report`, async (route) => {
      if (route.request().method() === "POST") await held;
      await route.continue();
    });
    await page.setInputFiles("#f-files", photo());
    await page.click(SUBMIT);
    await expect.poll(() => page.locator(SUBMIT).isDisabled()).toBe(true);
    expect(await page.locator("[data-upload-progress]").isVisible()).toBe(true);
    // A second click does not send the report twice.
    await page
      .locator(SUBMIT)
      .click({ force: true, timeout: 2000 })
      .catch(() => {});
    release();
    await page.waitForSelector(".tracking-code", { timeout: 60_000 });
    receipts++;
    expect(posts).toEqual([{ kind: "xhr" }]);
    await context.close();
  });

  it("without JavaScript, the plain form post carries the photo to the receipt", async () => {
    const { context, page, posts } = await openForm(false);
    await page.setInputFiles("#f-files", photo());
    await submitAndWait(page);
    await receiptCode(page);
    receipts++;
    expect(posts).toEqual([{ kind: "document" }]);
    await context.close();
  });

  it("stored one cleaned photo with each report that was filed", async () => {
    await server.stop();
    const handle = await openDb({ pgliteDir: path.join(server.dataDir, "pglite") });
    try {
      const cases = await handle.db.query.cases.findMany();
      expect(cases).toHaveLength(receipts);
      expect(cases.every((c) => c.attachmentCount === 1)).toBe(true);
      const files = await handle.db.query.attachments.findMany();
      expect(files).toHaveLength(receipts);
      expect(files.every((f) => f.mediaType === "image/png")).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

describe.skipIf(!hasBrowser)("attachments in Chromium with the ALTCHA captcha", () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ CAPTCHA: "altcha", LOG_LEVEL: "warn" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets the widget solve first, then uploads with its answer only and shows the receipt", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const posts = recordPosts(page);
    const problems = recordProblems(page);
    await page.goto(`${server.origin}/report`);
    await fillReport(page, REPORT);
    await page.setInputFiles("#f-files", photo());
    await watchUpload(page);
    // What the upload sends as `captcha`, read from the FormData handed to XMLHttpRequest.
    await page.evaluate(() => {
      const w = window as unknown as { __captcha: string[][] };
      w.__captcha = [];
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
        if (body instanceof FormData) w.__captcha.push(body.getAll("captcha").map(String));
        return send.call(this, body);
      };
    });
    await page.click(SUBMIT);
    await page.waitForSelector(".tracking-code", { timeout: 90_000 });
    await receiptCode(page);
    expect((await uploadRecord(page)).shown).toBe(true);
    expect(posts).toEqual([{ kind: "xhr" }]);
    const sent = await page.evaluate(() => (window as unknown as { __captcha: string[][] }).__captcha);
    expect(sent).toHaveLength(1);
    // The solved proof of work (ALTCHA's base64 JSON), not the no-JavaScript token.
    expect(sent[0]).toHaveLength(1);
    expect(JSON.parse(Buffer.from(sent[0][0], "base64").toString("utf8"))).toHaveProperty("challenge");
    expect(problems).toEqual([]);
    await context.close();
  });
});
