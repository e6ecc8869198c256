// The staff lists' pages in keyset pages, in the built portal without JavaScript: 下一页 is a
// plain link carrying the cursor (and the page size), followed until the list ends, every case
// once; a forged cursor in the address answers 422 with a way back to the first page.
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseClocks, cases } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { caseIdOf, claimThenAct, postReport, type StaffCalls, staffCalls } from "../helpers/staff-api";

const CITY = "430100";
const COUNTY = "430112";
/** This month in Asia/Shanghai (the server's ledger month). */
const shanghaiMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

describe.each(dbKinds())("the staff lists' pages on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let api: StaffCalls;
  let city: string;
  let citySup: string;
  let cityLeader: string;
  let county: string;
  const ids: string[] = [];
  const codes: string[] = [];

  const page = (cookie: string, p: string) => fetchPage(site.origin, cookie, p);
  const request = (p: string, i: RequestInit) => fetch(`${site.origin}${p}`, i);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "list pages passphrase" });
    api = staffCalls(request, () => site.origin);
    for (let i = 1; i <= 3; i++) {
      codes.push(
        await postReport(
          request,
          anonymousReport({
            title: `翻页件${i}`,
            subject: {
              name: "赵六",
              unit: "长沙市住建局",
              position: "副局长",
              managementLevel: "city",
              divisionCode: CITY,
            },
          }),
        ),
      );
    }
    await site.withDb(async (rt) => {
      const make = async (username: string, office: string, roles: string[]) =>
        (await createStaff(rt, { username, office, roles: roles as never })).cookie;
      city = await make("cs.all", CITY, ["intake", "handler"]);
      citySup = await make("cs.sup", CITY, ["supervisor"]);
      cityLeader = await make("cs.lead", CITY, ["leader"]);
      county = await make("wc.all", COUNTY, ["intake", "handler"]);
      for (const code of codes) ids.push(await caseIdOf(rt.deps, code));
    });
    // 转送 to 望城区 (the city's ledger), overdue there (a clock past due), pressed by the city,
    // 签收ed by the county (its 我的信访件), with 补充材料 from each reporter.
    for (const id of ids) await claimThenAct(api, city, [{ action: "forward", office: COUNTY }], { id });
    await site.withDb(async (rt) => {
      for (const caseId of ids)
        await rt.deps.db.insert(caseClocks).values({
          caseId,
          rule: "result_notice",
          officeCode: COUNTY,
          startedOn: "2020-01-02",
          dueOn: "2020-01-23",
        });
      await rt.deps.db.update(cases).set({ nextDueOn: "2020-01-23" }).where(inArray(cases.id, ids));
    });
    for (const id of ids) {
      const r = await api.act(citySup, id, { action: "supervise", method: "letter" });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      await api.claimById(county, id);
    }
    for (const trackingCode of codes) {
      const res = await request("/api/v1/track/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode, body: "补充：相关合同复印件已邮寄。" }),
      });
      expect(res.status).toBe(201);
    }
    await site.withDb(async (rt) => {
      const [row] = await rt.deps.db
        .select({ office: cases.officeCode })
        .from(cases)
        .where(eq(cases.id, ids[0]));
      expect(row.office).toBe(COUNTY);
    });
  }, 180_000);
  afterAll(async () => site?.close());

  const caseLinks = (html: string) =>
    [...html.matchAll(/href="\/staff\/cases\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
  const nextLink = (html: string, after = 0) => {
    const m = /<a href="([^"]+)" rel="next">下一页<\/a>/.exec(html.slice(after));
    return m ? m[1].replaceAll("&amp;", "&") : null;
  };

  /** Follows 下一页 from `first` (a page of one case), collecting the cases each page links. */
  const walk = async (cookie: string, first: string, section?: string) => {
    const seen: string[] = [];
    let href: string | null = first;
    let pages = 0;
    while (href) {
      const r = await page(cookie, href);
      expect(r.status, href).toBe(200);
      expect(r.html).not.toMatch(/<script/);
      const part = section ? r.html.slice(r.html.indexOf(`data-section="${section}"`)) : r.html;
      const end = section ? part.indexOf("</section>") : part.length;
      const mine = part.slice(0, end);
      seen.push(...new Set(caseLinks(mine)));
      if (pages > 0) expect(mine).toContain("回到第一页");
      href = nextLink(mine);
      if (href) expect(href).toMatch(/[?&]limit=1(&|$)/);
      pages++;
      expect(pages).toBeLessThan(10);
    }
    return { seen, pages };
  };

  it("pages each list one case at a time by its 下一页 link, every case once", async () => {
    const lists: [string, string, string?][] = [
      [county, "/staff/overdue?limit=1"],
      [citySup, "/staff/overdue?limit=1"],
      [county, "/staff/mine?limit=1"],
      [county, "/staff/follow-ups?limit=1"],
      // A supervisor may open the county's cases from the city's ledger (links to compare).
      [citySup, "/staff/ledger?limit=1"],
      [citySup, "/staff/ledger?open=1&limit=1"],
      [cityLeader, `/staff/instructions?month=${shanghaiMonth()}&limit=1`],
      [county, "/staff/supervision?limit=1", "received"],
      [citySup, "/staff/supervision?limit=1", "sent"],
    ];
    for (const [cookie, first, section] of lists) {
      const { seen, pages } = await walk(cookie, first, section);
      expect(pages, first).toBe(3);
      expect([...seen].sort(), first).toEqual([...ids].sort());
    }
  });

  it("answers a forged cursor with 422 and a link back to the first page", async () => {
    const forged = Buffer.from("overdue~2026-02-30~x~1").toString("base64url");
    for (const [cookie, p] of [
      [county, `/staff/overdue?cursor=${forged}`],
      [county, "/staff/mine?cursor=not-a-cursor"],
      [county, `/staff/follow-ups?cursor=${forged}`],
      [city, `/staff/ledger?cursor=${forged}`],
      [cityLeader, `/staff/instructions?cursor=${forged}`],
      [county, `/staff/supervision?received=${forged}`],
    ]) {
      const r = await page(cookie, p);
      expect(r.status, p).toBe(422);
      expect(r.html, p).toContain("翻页位置无效或已过期");
      expect(r.html, p).toContain("回到第一页");
      expect(caseLinks(r.html), p).toEqual([]);
    }
  });
});
