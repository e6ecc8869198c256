// The 可能的重复件 panel of the staff case page (site/components/staff/RepeatsPanel.astro), without
// JavaScript: a higher office sees that a lower office holds the earlier report (office and
// similarity, not its content), keeps its own report for reference with one plain form, and the
// lower office finds the step on its case's trail; the reporter sees 已留存备查 on /track.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLabelledSet } from "../fixtures/repeats/labelled";
import { dbKinds } from "../helpers/db";
import { textOf } from "../helpers/html";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { createStaff } from "../helpers/staff";
import { caseIdOf, postReport } from "../helpers/staff-api";

const { reports } = loadLabelledSet();
const reportOf = (id: string, level: "city" | "county") => {
  const r = reports.get(id)!;
  return {
    type: "accusation",
    realName: false,
    subject: { name: r.name, unit: r.unit, position: "", managementLevel: level, divisionCode: r.division },
    category: "integrity",
    title: r.title,
    body: r.body,
  };
};

describe.each(dbKinds())("the repeats panel on %s", { timeout: PAGES_TEST_TIMEOUT }, (kind) => {
  let site: PagesServer;
  let city: string;
  let county: string;
  let first: string;
  let second: string;
  let secondCode: string;

  const page = (cookie: string | undefined, p: string, form?: Record<string, string>) =>
    fetchPage(site.origin, cookie, p, form);

  beforeAll(async () => {
    site = await openPagesServer(kind, { passphrase: "pages test passphrase" });
    const post = (r: Record<string, unknown>) => postReport((p, i) => fetch(`${site.origin}${p}`, i), r);
    // 刘建军 of 岳麓区住建局: first at 岳麓区 (县管), then the same matter retold at 长沙市 (市管).
    const firstCode = await post(reportOf("r001", "county"));
    secondCode = await post(reportOf("r002", "city"));
    await site.withDb(async (rt) => {
      city = (await createStaff(rt, { username: "cs.all", office: "430100", roles: ["intake", "handler"] }))
        .cookie;
      county = (await createStaff(rt, { username: "yl.all", office: "430104", roles: ["intake", "handler"] }))
        .cookie;
      first = await caseIdOf(rt.deps, firstCode);
      second = await caseIdOf(rt.deps, secondCode);
    });
  }, 180_000);

  afterAll(async () => {
    await site?.close();
  });

  it("lists the lower office's earlier report as office and similarity, and keeps this one for reference", async () => {
    const claim = await page(city, `/staff/cases/${second}`, { op: "claim" });
    expect(claim.status).toBe(303);
    const view = await page(city, claim.location!);
    expect(view.status).toBe(200);
    expect(view.html).not.toMatch(/<script|style="/);
    const panel = /<section class="card repeats-panel"[\s\S]*?<\/section>/.exec(view.html)?.[0] ?? "";
    const text = textOf(panel);
    expect(text).toContain("可能的重复件");
    expect(text).toContain("无权查看");
    expect(text).toContain("岳麓区纪委监委");
    expect(text).toContain("在先");
    expect(text).toMatch(/\d+%/);
    // Nothing of the earlier report: not its id, title or text.
    expect(view.html).not.toContain(first);
    expect(view.html).not.toContain(reports.get("r001")!.title);
    expect(view.html).not.toContain("140平方米");
    // One plain form per step, naming the match (not the hidden case's id).
    expect(panel).toContain(">合并到该件</button>");
    expect(panel).toContain(">作为该件的重复件留存备查</button>");
    const match = /name="action" value="keep"[\s\S]*?name="caseId" value="([0-9a-f-]{36})"/.exec(panel)?.[1];
    const token = /name="leaseToken" value="([0-9a-f-]{36})"/.exec(panel)?.[1];
    expect(match).toBeDefined();
    expect(match).not.toBe(first);

    const kept = await page(city, `/staff/cases/${second}`, {
      action: "keep",
      leaseToken: token!,
      caseId: match!,
    });
    expect(kept.status, kept.html.slice(0, 500)).toBe(303);
    expect(kept.location).toBe(`/staff/cases/${second}?done=keep`);
    const after = await page(city, kept.location!);
    expect(textOf(after.html)).toContain("留存备查");
    // The step is done: no more merge or keep buttons.
    expect(after.html).not.toContain(">合并到该件</button>");
  });

  it("shows the lower office the repeat kept at the higher office, on its panel and its trail", async () => {
    const view = await page(county, `/staff/cases/${first}`);
    expect(view.status).toBe(200);
    const text = textOf(view.html);
    expect(text).toContain("可能的重复件");
    expect(text).toContain("长沙市纪委监委");
    expect(text).toContain("在后");
    expect(text).toContain("本件的重复件留存备查");
    expect(view.html).not.toContain(second);
    expect(view.html).not.toContain(reports.get("r002")!.title);
  });

  it("tells the reporter of the kept report 已留存备查 on /track", async () => {
    const r = await page(undefined, "/track", { intent: "lookup", trackingCode: secondCode });
    expect(r.status).toBe(200);
    const text = textOf(r.html);
    expect(text).toContain("已留存备查");
    expect(text).toContain("本件留存备查，不再另行办理和告知");
  });
});
