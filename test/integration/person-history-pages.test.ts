// /staff/person-history (issue 12 §4) in the built portal without JavaScript: the nav link for the
// integrity_reply role only, 403 for anyone else, the form's required purpose and requesting body
// (nothing recorded without them), a search redirecting to its record (a reload does not search
// again), 确认为同一人 from the possible matches, and the printable 回复意见 draft (A4, no script).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cases, personHistoryRequests } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { createStaff } from "../helpers/staff";

const PROVINCE = "430000";
const CITY = "430100";
const COUNTY = "430112";

const row = (office: string, name: string, unit: string, title: string, receivedAt: Date) => ({
  type: "accusation" as const,
  category: "integrity" as const,
  realName: false,
  title,
  body: "请予调查。",
  subjectName: name,
  subjectUnit: unit,
  subjectLevel: "county" as const,
  subjectDivisionCode: COUNTY,
  subjectKey: name.replace(/\s/g, ""),
  routedOfficeCode: office,
  officeCode: office,
  trackingHash: randomBytes(32),
  receivedAt,
  receivedOn: receivedAt.toISOString().slice(0, 10),
});

const rowIds = (html: string, list: string) => {
  const table = html.split(`data-list="${list}"`)[1]?.split("</table>")[0] ?? "";
  return [...table.matchAll(/<tr[^>]*data-case="([0-9a-f-]{36})"/g)].map((m) => m[1]);
};

describe.each(dbKinds())("the person-history pages on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let replier: string;
  let handler: string;
  const ids: Record<string, string> = {};
  const page = (cookie: string | undefined, p: string, form?: Record<string, string>) =>
    fetchPage(site.origin, cookie, p, form);
  const recorded = () =>
    site.withDb(async (rt) => ({
      audit: (await rt.deps.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0].n,
      requests: (await rt.deps.db.select({ n: sql<number>`count(*)::int` }).from(personHistoryRequests))[0].n,
    }));

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "person history pages passphrase" });
    await site.withDb(async (rt) => {
      replier = (
        await createStaff(rt, { username: "sw.reply", office: PROVINCE, roles: ["integrity_reply"] })
      ).cookie;
      handler = (await createStaff(rt, { username: "wc.all", office: COUNTY, roles: ["intake", "handler"] }))
        .cookie;
      const recent = new Date(Date.now() - 90 * 86400_000);
      const inserted = await rt.deps.db
        .insert(cases)
        .values([
          row(CITY, "刘建军", "望城区交通局", "公车私用", recent),
          row(COUNTY, "刘建军", "望城区交通运输局", "违规发放补贴", recent),
          row(COUNTY, "刘建军", "岳麓区教育局", "违规招生", recent),
          row(COUNTY, "刘建国", "望城区交通运输局", "另一人的问题", recent),
        ])
        .returning({ id: cases.id, title: cases.title });
      for (const r of inserted) ids[r.title] = r.id;
    });
  }, 180_000);
  afterAll(async () => site?.close());

  it("links the page in the nav for integrity_reply only, and answers 403 to others", async () => {
    const mine = await page(replier, "/staff/person-history");
    expect(mine.status).toBe(200);
    expect(mine.html).toContain(
      '<a class="staff-nav__link" href="/staff/person-history" aria-current="page">人员信访史</a>',
    );
    expect(mine.html).not.toMatch(/<script|style="/);
    expect(mine.html).toMatch(/<input[^>]*name="requester"[^>]*required/);
    expect(mine.html).toMatch(/<textarea[^>]*name="purpose"[^>]*required/);
    const other = await page(handler, "/staff/person-history");
    expect(other.status).toBe(403);
    expect(other.html).not.toContain('href="/staff/person-history"');
    expect(other.html).toContain("integrity_reply");
  });

  it("refuses a search without purpose or requesting body and records nothing", async () => {
    const before = await recorded();
    const res = await page(replier, "/staff/person-history", {
      op: "search",
      name: "刘建军",
      unit: "望城区交通运输局",
      idNumber: "430122197503101230",
      purpose: "",
      requester: "",
    });
    expect(res.status, site.server.output().slice(-3000)).toBe(422);
    expect(res.html).toContain("本次未查询，也未作记录");
    expect(res.html).toContain('id="ph-purpose-error"');
    expect(res.html).toContain('id="ph-requester-error"');
    // The name is shown again; the ID number is not.
    expect(res.html).toContain('value="刘建军"');
    expect(res.html).not.toContain("430122197503101230");
    expect(await recorded()).toEqual(before);
  });

  it("searches, redirects to the record, confirms a possible match and prints the draft", {
    timeout: 2 * PAGES_TEST_TIMEOUT,
  }, async () => {
    const before = await recorded();
    const res = await page(replier, "/staff/person-history", {
      op: "search",
      name: "刘 建军",
      unit: "望城区交通运输局",
      idNumber: "",
      purpose: "拟提拔考察",
      requester: "省委组织部干部一处",
      reference: "湘组干函〔2026〕158号",
    });
    expect(res.status, site.server.output().slice(-3000)).toBe(303);
    const location = res.location!;
    expect(location).toMatch(/^\/staff\/person-history\?request=[0-9a-f-]{36}$/);

    const shown = await page(replier, location);
    expect(shown.status).toBe(200);
    expect(new Set(rowIds(shown.html, "history"))).toEqual(new Set([ids.公车私用, ids.违规发放补贴]));
    expect(rowIds(shown.html, "possible")).toEqual([ids.违规招生]);
    expect(shown.html).not.toContain("另一人的问题");

    const requestId = location.split("=")[1];
    const linked = await page(replier, "/staff/person-history", {
      op: "link",
      requestId,
      caseId: ids.违规招生,
    });
    expect(linked.status).toBe(303);
    expect(linked.location).toBe(`${location}&done=link`);
    const after = await page(replier, linked.location!);
    expect(after.html).toContain("已确认为同一人，已计入。");
    expect(rowIds(after.html, "history")).toContain(ids.违规招生);
    expect(rowIds(after.html, "possible")).toEqual([]);

    const draftHref = after.html.match(/href="(\/staff\/person-history\/[0-9a-f-]{36}\/draft)"/)![1];
    const draft = await page(replier, draftHref);
    expect(draft.status).toBe(200);
    expect(draft.html).not.toMatch(/<script|style="/);
    expect(draft.html).toContain("关于党风廉政意见的回复");
    expect(draft.html).toContain("省委组织部干部一处：");
    expect(draft.html).toContain("湘组干函〔2026〕158号");
    expect(draft.html).toMatch(/共收到反映该同志问题的信访件3件/);
    expect([...draft.html.matchAll(/<li data-case="([0-9a-f-]{36})"/g)]).toHaveLength(3);
    // Someone else may not read it.
    expect((await page(handler, draftHref)).status).toBe(403);
    // One search recorded (reading it again, the page after the link and the draft record nothing
    // more); the audit log has the search, the person record made from it and the link.
    expect(await recorded()).toEqual({ audit: before.audit + 3, requests: before.requests + 1 });
  });
});
