// The register page (/staff/cases, issue 11 §1) in the built portal without JavaScript: the GET
// filter form, the table, paging by the next-page link, the CSV link of the current filter, the
// batch form's checkboxes (own office only), a bad filter's 422, and the navigation link.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { createStaff } from "../helpers/staff";

const CITY = "430100";
const COUNTY = "430112";

const row = (i: number, office: string, name: string) => ({
  type: "accusation" as const,
  category: "integrity" as const,
  realName: i % 2 === 0,
  title: `反映${name}问题第${i}件`,
  body: "请予调查。",
  subjectName: name,
  subjectUnit: "望城区交通运输局",
  subjectLevel: "county" as const,
  subjectDivisionCode: COUNTY,
  routedOfficeCode: office,
  officeCode: office,
  trackingHash: randomBytes(32),
  channel: i % 2 === 0 ? ("letter" as const) : ("online" as const),
  receivedOn: `2026-01-${String(1 + (i % 28)).padStart(2, "0")}`,
});

/** The case ids of the table's rows, in order. */
const rowIds = (html: string) => [...html.matchAll(/<tr[^>]*data-case="([0-9a-f-]{36})"/g)].map((m) => m[1]);
const unescapeAmp = (s: string) => s.replace(/&amp;/g, "&");

describe.each(dbKinds())("the register page on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let city: string;
  let citySup: string;

  const page = (cookie: string | undefined, p: string) => fetchPage(site.origin, cookie, p);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "register pages passphrase" });
    await site.withDb(async (rt) => {
      city = (await createStaff(rt, { username: "cs.reg", office: CITY, roles: ["intake", "handler"] }))
        .cookie;
      citySup = (await createStaff(rt, { username: "cs.sup", office: CITY, roles: ["supervisor"] })).cookie;
      await rt.deps.db
        .insert(cases)
        .values([
          ...Array.from({ length: 60 }, (_, i) => row(i, CITY, i % 3 === 0 ? "张三" : "欧阳明")),
          ...Array.from({ length: 5 }, (_, i) => row(i, COUNTY, "李四")),
        ]);
    });
  }, 180_000);
  afterAll(async () => site?.close());

  it("lists, filters with the GET form and pages by the next link, without JavaScript", async () => {
    const first = await page(city, "/staff/cases");
    expect(first.status).toBe(200);
    expect(first.html).toContain(
      '<a class="staff-nav__link" href="/staff/cases" aria-current="page">信访件台账</a>',
    );
    expect(first.html).toMatch(/<form class="register-filters" method="get" action="\/staff\/cases"/);
    expect(first.html).not.toMatch(/<script|style="/);
    expect(rowIds(first.html)).toHaveLength(50);
    expect(first.html).not.toContain("李四"); // the county's cases are not the city handler's

    // Follow the next-page links: every city case once.
    const seen: string[] = [];
    let html = first.html;
    for (let n = 0; n < 5; n++) {
      seen.push(...rowIds(html));
      const next = html.match(/<a href="([^"]+)" rel="next">/);
      if (!next) break;
      html = (await page(city, unescapeAmp(next[1]))).html;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);

    // The form's fields as a browser sends them (empty ones included): a two-character name.
    const form = new URLSearchParams({
      q: "",
      subject: "张三",
      stage: "",
      channel: "letter",
      sort: "oldest",
    });
    const filtered = await page(city, `/staff/cases?${form}`);
    expect(filtered.status).toBe(200);
    const ids = rowIds(filtered.html);
    expect(ids).toHaveLength(10); // i % 3 === 0 and i even, of 60
    expect(filtered.html).toContain('value="张三"');
    expect(filtered.html).not.toContain("欧阳明");
    // The CSV link carries the filter.
    const csv = filtered.html.match(/<a href="([^"]+)" class="register-csv"/);
    expect(unescapeAmp(csv![1])).toBe(
      `/api/v1/staff/cases?${new URLSearchParams({ subject: "张三", channel: "letter", sort: "oldest", format: "csv" })}`,
    );
    const res = await fetch(`${site.origin}${unescapeAmp(csv![1])}`, { headers: { cookie: city } });
    expect(res.status).toBe(200);
    expect((await res.text()).split("\r\n").filter(Boolean)).toHaveLength(11);

    // Each row of the caller's office has its checkbox in the batch form.
    expect(filtered.html).toMatch(/<form method="post" action="\/staff\/cases\/batch"/);
    for (const id of ids) expect(filtered.html).toContain(`name="ids" value="${id}"`);
    expect(filtered.html).toMatch(/<select id="b-action" name="action">/);
    for (const a of ["sign", "forward", "keep", "assign"])
      expect(filtered.html).toContain(`<option value="${a}">`);
    expect(filtered.html).toContain('<option value="430112">');
  });

  it("shows a supervisor the offices below without checkboxes for them, and a bad filter as 422", async () => {
    const sup = await page(citySup, `/staff/cases?office=${COUNTY}`);
    expect(sup.status).toBe(200);
    expect(rowIds(sup.html)).toHaveLength(5);
    expect(sup.html).toContain("李四");
    expect(sup.html).not.toContain('name="ids"');
    const bad = await page(city, "/staff/cases?from=2026-02-30&stage=bogus");
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('role="alert"');
    expect(bad.html).toContain('data-field="from"');
    expect(bad.html).toContain('data-field="stage"');
    expect(rowIds(bad.html)).toHaveLength(0);
    expect((await page(undefined, "/staff/cases")).status).toBe(303);
  });
});
