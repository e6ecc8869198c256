// The 信访室's pages without JavaScript (issue 11 §2 and §4): /staff/intake registers a letter and
// answers with the 受理回执 carrying the tracking code once (not cached, never in a URL);
// /staff/cases/batch takes the register's selection and says, case by case, what was done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/db";
import { textOf } from "../helpers/html";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { caseIdOf, postReport } from "../helpers/staff-api";

const LETTER = {
  channel: "letter",
  receivedOn: "",
  reference: "",
  wantsTrackingCode: "on",
  type: "accusation",
  realName: "true",
  "reporter.name": "欧阳 明远",
  "reporter.phone": "１３７ ０７３１ ２２４４",
  "subject.name": "钱七",
  "subject.unit": "长沙市自然资源和规划局",
  "subject.position": "处长",
  "subject.managementLevel": "city",
  divisionCode: "430100",
  category: "integrity",
  title: "来信反映钱七违规审批问题",
  body: "来信人欧阳 明远反映：钱七在审批某地块规划调整时收受开发商财物，请予调查。",
};

describe.each(dbKinds())("the 信访室's pages on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let intake: string;
  let handler: string;
  let county: string;
  const ids: string[] = [];

  const page = (cookie: string | undefined, p: string, form?: Record<string, string>, origin?: string) =>
    fetchPage(site.origin, cookie, p, form, origin);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "pages test passphrase" });
    const post = (r: Record<string, unknown>) => postReport((p, i) => fetch(`${site.origin}${p}`, i), r);
    const codes = [
      await post(anonymousReport({ title: "反映赵六违规审批问题之一" })),
      await post(anonymousReport()),
    ];
    await site.withDb(async (rt) => {
      intake = (await createStaff(rt, { username: "cs.intake", office: "430100", roles: ["intake"] })).cookie;
      handler = (await createStaff(rt, { username: "cs.handler", office: "430100", roles: ["handler"] }))
        .cookie;
      county = (await createStaff(rt, { username: "yl.intake", office: "430104", roles: ["intake"] })).cookie;
      for (const c of codes) ids.push(await caseIdOf(rt.deps, c));
    });
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

  it("shows the registration form, without scripts, linked from the intake role's navigation", async () => {
    const view = await page(intake, "/staff/intake");
    expect(view.status).toBe(200);
    expect(view.html).not.toMatch(/<script|style="/);
    expect(view.html).toContain('href="/staff/intake"');
    expect(view.html).toContain('name="receivedOn"');
    expect(view.html).toContain('name="wantsTrackingCode"');
    const other = await page(handler, "/staff/intake");
    expect(other.status).toBe(403);
    expect(other.html).not.toContain('href="/staff/intake"');
  });

  it("answers a registered letter with the printable 受理回执 and its tracking code, once", async () => {
    const res = await page(intake, "/staff/intake", { ...LETTER, receivedOn: today() });
    expect(res.status).toBe(200);
    expect(res.location).toBeNull();
    expect(res.cacheControl).toContain("no-store");
    expect(res.html).not.toMatch(/<script/);
    const text = textOf(res.html);
    expect(text).toContain("受理回执");
    expect(text).toContain("来信");
    expect(text).toMatch(/长沙〔\d{4}〕第\d+号/);
    const code = /[0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){3}/.exec(res.html)?.[0];
    expect(code).toBeDefined();
    expect(res.html.split(code!).length - 1).toBe(1);
    // The code opens the case on /track; nothing of the typed identity reached the page's trail.
    const tracked = await fetch(`${site.origin}/api/v1/track`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: code }),
    });
    expect(tracked.status).toBe(200);
    const again = await page(intake, "/staff/intake");
    expect(again.html).not.toContain(code!);
  });

  it("gives the form back with what is wrong, and registers nothing", async () => {
    const res = await page(intake, "/staff/intake", {
      ...LETTER,
      receivedOn: "2999-01-01",
      wantsTrackingCode: "",
    });
    expect(res.status).toBe(422);
    expect(textOf(res.html)).toContain("日期不能晚于今天");
    expect(res.html).not.toMatch(/<h1>受理回执/);
    expect(res.html).toContain('value="来信反映钱七违规审批问题"');
    const cross = await page(
      intake,
      "/staff/intake",
      { ...LETTER, receivedOn: today() },
      "https://evil.example",
    );
    expect(cross.status).toBe(403);
    expect(cross.html).not.toMatch(/<h1>受理回执/);
  });

  it("shows the batch choice for ?ids= and reports each case's outcome of the register's post", async () => {
    const choice = await page(intake, `/staff/cases/batch?ids=${ids.join(",")}`);
    expect(choice.status).toBe(200);
    expect(choice.html).not.toMatch(/<script/);
    for (const id of ids) expect(choice.html).toContain(`name="ids" value="${id}"`);
    const theirs = "00000000-0000-4000-8000-000000000000";
    const form = new URLSearchParams([...ids, theirs].map((id) => ["ids", id]));
    form.set("action", "sign");
    form.set("toOffice", "");
    form.set("assignee", "");
    const res = await fetch(`${site.origin}/staff/cases/batch`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: intake, origin: site.origin, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/class="batch-ok"/g)?.length).toBe(2);
    expect(html.match(/class="batch-failed"/g)?.length).toBe(1);
    expect(textOf(html)).toMatch(/未完成.*未找到该信访件/s);
    // Another office's member signs none of them.
    const other = await fetch(`${site.origin}/staff/cases/batch`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: county, origin: site.origin, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect((await other.text()).match(/class="batch-ok"/g)).toBeNull();
  });
});
