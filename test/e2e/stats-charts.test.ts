import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchBrowser } from "../helpers/browser";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";
import { apiStaffCookie, demoLogins } from "../helpers/sign-in";
import { postReport } from "../helpers/staff-api";

// Issue 12 §1: 形势分析's charts are drawn on the server as SVG, so Chromium with JavaScript OFF
// shows them: the page as a supervisor sees it (a screenshot that is not blank, bars in the
// charts' colour), every chart an SVG with role="img" and a label beside its table, no
// Content-Security-Policy violation (the SVG carries no inline style); the link in the staff
// navigation for supervisors only, and a handler turned away.

const hasBrowser = browserAvailable();
/** The first series' colour (site/lib/stats-charts.ts PALETTE[0]): 本期's bars. */
const BAR = { r: 0x1f, g: 0x4e, b: 0x8c };

describe.skipIf(!hasBrowser)("形势分析 in Chromium with JavaScript off", () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let logins: Awaited<ReturnType<typeof demoLogins>>;

  beforeAll(async () => {
    server = await startServer({ DEMO: "on" });
    browser = await launchBrowser();
    logins = await demoLogins(server.dataDir);
    // Cases to count: 长沙市 itself and 望城区 below it.
    const post = (p: string, i: RequestInit) => fetch(`${server.origin}${p}`, i);
    await postReport(post, anonymousReport());
    await postReport(post, anonymousReport({ category: "integrity" }));
    await postReport(post, realNameReport());
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A JavaScript-off page signed in as `username`, with the problems a person would not see at once. */
  async function pageAs(username: string): Promise<{ page: Page; problems: string[] }> {
    const account = logins[username];
    const cookie = await apiStaffCookie(server.origin, username, account.password);
    const context = await browser.newContext({
      javaScriptEnabled: false,
      locale: "zh-CN",
      viewport: { width: 1280, height: 900 },
    });
    await context.addCookies([{ name: cookie.name, value: cookie.value, url: server.origin }]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
        problems.push(m.text());
    });
    return { page, problems };
  }

  it("shows every chart as an SVG beside its table, drawn without JavaScript", {
    timeout: 120_000,
  }, async () => {
    const { page, problems } = await pageAs("changsha.supervisor");
    const res = await page.goto(`${server.origin}/staff/stats`);
    expect(res?.status()).toBe(200);
    expect((await page.locator("h1").innerText()).trim()).toBe("形势分析");
    // The navigation leads here, marked as the current page.
    expect(await page.locator('nav a[href="/staff/stats"]').getAttribute("aria-current")).toBe("page");

    const charts = page.locator("figure.stats-chart svg");
    expect(await charts.count()).toBe(9);
    for (const svg of await charts.all()) {
      expect(await svg.getAttribute("role")).toBe("img");
      expect(await svg.getAttribute("aria-label")).toMatch(/柱状图，数据见旁边的表格$/);
      // No inline style survives into the page (style-src 'self' would refuse it).
      expect(await svg.locator("[style], style").count()).toBe(0);
    }
    // Each chart's section has its table, the accessible version of the same numbers.
    const sections = page.locator("section.stats-block");
    expect(await sections.count()).toBe(11);
    for (const s of await sections.all()) expect(await s.locator("table").count()).toBe(1);

    // The channel chart: 3 online reports this year, drawn as a bar of 本期's colour.
    const channel = page.locator('section[data-table="channel"]');
    expect((await channel.locator("tbody tr").first().locator("td").first().innerText()).trim()).toBe("3");
    const bars = channel.locator(`svg path[fill="#1f4e8c"]`);
    expect(await bars.count()).toBeGreaterThan(0);

    // The city chart of a city supervisor: 长沙市 itself and each county below it.
    const city = page.locator('section[data-table="city"]');
    expect(await city.locator("tbody tr").count()).toBeGreaterThan(5);
    expect(await city.locator("svg").count()).toBe(1);

    // What Chromium painted, with no script run: not blank, and the bars in their colour.
    const shot = await page.screenshot({ fullPage: true });
    const { data, info } = await sharp(shot).raw().toBuffer({ resolveWithObject: true });
    let coloured = 0;
    let barPixels = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r < 240 || g < 240 || b < 240) coloured++;
      if (Math.abs(r - BAR.r) < 12 && Math.abs(g - BAR.g) < 12 && Math.abs(b - BAR.b) < 12) barPixels++;
    }
    expect(coloured / (info.width * info.height)).toBeGreaterThan(0.01);
    expect(barPixels).toBeGreaterThan(200);
    const chartShot = await channel.locator("figure").screenshot();
    const chart = await sharp(chartShot).stats();
    // A drawn chart has contrast: some channel spans most of its range.
    expect(Math.max(...chart.channels.map((c) => c.max - c.min))).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it("offers the tables as CSV and XLSX, and leaves handlers out", { timeout: 60_000 }, async () => {
    const { page } = await pageAs("changsha.supervisor");
    await page.goto(`${server.origin}/staff/stats`);
    const csvHref = await page.locator('a[data-export="csv"]').getAttribute("href");
    expect(csvHref).toMatch(
      /^\/api\/v1\/staff\/stats\?from=\d{4}-01-01&to=\d{4}-\d\d-\d\d&office=430100&format=csv$/,
    );
    const cookie = await apiStaffCookie(
      server.origin,
      "changsha.supervisor",
      logins["changsha.supervisor"].password,
    );
    const csv = await fetch(`${server.origin}${csvHref}`, { headers: { cookie: cookie.header } });
    expect(csv.status).toBe(200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    // 望城区's intake officer works cases but reads no statistics: no link, and 403 if typed.
    const handler = await pageAs("wangcheng.intake");
    await handler.page.goto(`${server.origin}/staff`);
    expect(await handler.page.locator('nav a[href="/staff/stats"]').count()).toBe(0);
    const denied = await handler.page.goto(`${server.origin}/staff/stats`);
    expect(denied?.status()).toBe(403);
    expect((await handler.page.locator("[data-forbidden]").innerText()).trim()).toBe(
      "形势分析仅供督办人员和领导查看。",
    );
    expect(await handler.page.locator("svg").count()).toBe(0);
  });
});
