// The 对账 and 省管干部月报 pages (issue 12 §2–3) in the built portal without JavaScript: the nav
// links for who may use them, the GET form, the figures and the mismatch by 编号, the A4 print
// sheet (print CSS, no scripts), the CSV link, 403 for anyone else, and the audit rows.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { postReport, staffCalls } from "../helpers/staff-api";

const PROVINCE = "430000";
const CITY = "430100";
const unescapeAmp = (s: string) => s.replace(/&amp;/g, "&");

describe.each(dbKinds())("the monthly report pages on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let provinceAll: string;
  let provinceSup: string;
  let cadre: string;
  let cityIntake: string;
  let citySup: string;
  let month: string;
  let number: string;

  const page = (cookie: string | undefined, p: string) => fetchPage(site.origin, cookie, p);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "monthly report pages passphrase" });
    await site.withDb(async (rt) => {
      const mk = async (
        username: string,
        office: string,
        roles: ("intake" | "handler" | "supervisor" | "cadre_report")[],
      ) => (await createStaff(rt, { username, office, roles })).cookie;
      provinceAll = await mk("hn.all", PROVINCE, ["intake", "handler"]);
      provinceSup = await mk("hn.sup", PROVINCE, ["supervisor"]);
      cadre = await mk("hn.cadre", PROVINCE, ["cadre_report"]);
      cityIntake = await mk("cs.intake", CITY, ["intake"]);
      citySup = await mk("cs.sup", CITY, ["supervisor"]);
      month = new Date(rt.deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    });
    // A report about a 省管干部, 转送 by the province to 长沙, never 签收ed there.
    const request = (p: string, i: RequestInit) => fetch(`${site.origin}${p}`, i);
    await postReport(
      request,
      anonymousReport({
        title: "反映某厅长违规问题",
        subject: {
          name: "吴厅",
          unit: "湖南省水利厅",
          position: "厅长",
          managementLevel: "province",
          divisionCode: PROVINCE,
        },
      }),
    );
    const api = staffCalls(request, site.origin);
    const claimed = await api.claimNext(provinceAll);
    expect(claimed.status).toBe(200);
    number = claimed.body.case.number;
    const sent = await api.act(provinceAll, claimed.body.case.id, {
      action: "forward",
      leaseToken: claimed.body.leaseToken,
      office: CITY,
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  }, 600_000);
  afterAll(async () => site?.close());

  it("shows a supervisor the 对账 with its mismatch by 编号, a print sheet on A4 and a CSV link", async () => {
    const empty = await page(provinceSup, "/staff/reconciliation");
    expect(empty.status).toBe(200);
    expect(empty.html).toContain(
      '<a class="staff-nav__link" href="/staff/reconciliation" aria-current="page">上下级对账</a>',
    );
    expect(empty.html).toMatch(
      /<form class="register-filters" method="get" action="\/staff\/reconciliation"/,
    );
    expect(empty.html).toContain(`value="${month}"`);
    expect(empty.html).not.toMatch(/<script|style="/);

    const shown = await page(provinceSup, `/staff/reconciliation?month=${month}`);
    expect(shown.status).toBe(200);
    const cityRow = shown.html.match(/<tr data-office="430100">([\s\S]*?)<\/tr>/)![1];
    const cells = [...cityRow.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    // sent, forwarded, assigned, signed, registered, concluded, otherwise, pending, not signed, overdue, mismatches
    expect(cells).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 1]);
    expect(shown.html).toMatch(/<tr data-mismatch="never_received"[^>]*>\s*<td>已转送未签收<\/td>/);
    expect(shown.html).toContain(`<td>${number}</td>`);
    expect(shown.html).not.toMatch(/<script|style="/);

    const printHref = unescapeAmp(shown.html.match(/<a href="(\/staff\/reconciliation\/print\?[^"]+)">/)![1]);
    const sheet = await page(provinceSup, printHref);
    expect(sheet.status).toBe(200);
    expect(sheet.html).toContain('<body class="print">');
    expect(sheet.html).toContain('class="report-sheet"');
    expect(sheet.html).toContain(`湖南省纪委监委${month}转送交办对账表`);
    expect(sheet.html).toContain("对账人（签字）");
    expect(sheet.html).not.toMatch(/<script|style="|staff-nav/);
    const css = [...sheet.html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]);
    const sheets = await Promise.all(css.map(async (href) => (await fetch(`${site.origin}${href}`)).text()));
    // Small stylesheets may be inlined by the build.
    sheets.push(...[...sheet.html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]));
    expect(sheets.join("\n")).toMatch(/@page\s*\{\s*size:\s*A4/);
    expect(sheets.join("\n")).toContain(".report-table");

    const csvHref = unescapeAmp(shown.html.match(/<a href="(\/api\/v1\/staff\/reconciliation\?[^"]+)">/)![1]);
    expect(csvHref).toContain("format=csv");
    const csv = await fetch(`${site.origin}${csvHref}`, { headers: { cookie: provinceSup } });
    expect(csv.status).toBe(200);
    expect(new Uint8Array(await csv.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it("refuses staff who are not supervisors or leaders, with no nav link for them", async () => {
    const intake = await page(cityIntake, `/staff/reconciliation?month=${month}`);
    expect(intake.status).toBe(403);
    expect(intake.html).toContain('role="alert"');
    expect(intake.html).not.toContain('data-office="430112"');
    expect((await page(cityIntake, "/staff/queue")).html).not.toContain('href="/staff/reconciliation"');
    expect((await page(cityIntake, `/staff/reconciliation/print?month=${month}`)).status).toBe(403);
    const above = await page(citySup, `/staff/reconciliation?month=${month}&office=${PROVINCE}`);
    expect(above.status).toBe(403);
    const bad = await page(citySup, "/staff/reconciliation?month=2026-13");
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('data-field="month"');
  });

  it("shows the 省管干部月报 to cadre_report at the province, and to nobody else", async () => {
    const shown = await page(cadre, `/staff/cadre-summary?month=${month}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(
      '<a class="staff-nav__link" href="/staff/cadre-summary" aria-current="page">省管干部月报</a>',
    );
    expect(shown.html).toContain('data-group="湖南省水利厅|work"');
    expect(shown.html).toContain(`<td>${number}</td>`);
    expect(shown.html).not.toMatch(/<script|style="/);
    const sheet = await page(cadre, `/staff/cadre-summary/print?month=${month}`);
    expect(sheet.status).toBe(200);
    expect(sheet.html).toContain('<body class="print">');
    expect(sheet.html).toContain(`${month}省管干部信访件月报`);
    expect(sheet.html).not.toMatch(/<script|style="/);
    for (const who of [provinceSup, citySup, cityIntake]) {
      expect((await page(who, `/staff/cadre-summary?month=${month}`)).status).toBe(403);
    }
    expect((await page(provinceSup, "/staff/queue")).html).not.toContain('href="/staff/cadre-summary"');
  });

  it("audits what the pages produced", async () => {
    const rows = await site.withDb((rt) =>
      rt.deps.db.select().from(auditLog).where(eq(auditLog.action, "reconciliation.produce")),
    );
    // The screen, the print sheet and the CSV; nothing for the refused ones.
    expect(rows.map((r) => (r.data as { format: string }).format).sort()).toEqual(["csv", "json", "json"]);
    const cadreRows = await site.withDb((rt) =>
      rt.deps.db.select().from(auditLog).where(eq(auditLog.action, "cadre_summary.produce")),
    );
    expect(cadreRows.map((r) => r.actor)).toEqual(["staff:hn.cadre", "staff:hn.cadre"]);
  });
});
