import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initKeys, loadKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { reportRoute } from "../../api/routes/public";
import { caseClocks, cases } from "../../db/schema/index";
import { expectResponse } from "../helpers/contract";
import { createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";
import { createStaff } from "../helpers/staff";

// The console pages run in the built portal (the global setup builds it), on a PostgreSQL
// database this test shares with a rig, so staff and cases can be set up directly.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("the staff console pages", () => {
  let rig: TestRig;
  let tmp: string;
  let server: RunningServer;
  let county: string;
  let citySup: string;
  let caseId: string;

  const page = async (
    cookie: string | undefined,
    p: string,
    form?: Record<string, string>,
    origin?: string,
  ) => {
    const res = await fetch(`${server.origin}${p}`, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form
          ? { "content-type": "application/x-www-form-urlencoded", origin: origin ?? server.origin }
          : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    return {
      status: res.status,
      location: res.headers.get("location"),
      cacheControl: res.headers.get("cache-control"),
      html: await res.text(),
    };
  };
  const hiddenToken = (html: string) => /name="leaseToken" value="([0-9a-f-]{36})"/.exec(html)?.[1];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qf-pages-"));
    rig = await createRig("postgres");
    const config = parseConfig({ DATA_DIR: tmp, DATABASE_URL: rig.db.url });
    await initKeys(config, { custodian: "custodian", passphrase: "pages test passphrase" });
    rig.deps.keys = await loadKeys(config);
    county = (await createStaff(rig, { username: "wc.all", office: "430112", roles: ["intake", "handler"] }))
      .cookie;
    citySup = (await createStaff(rig, { username: "cs.sup", office: "430100", roles: ["supervisor"] }))
      .cookie;
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(realNameReport()),
    });
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
    [{ id: caseId }] = await rig.deps.db
      .select({ id: cases.id })
      .from(cases)
      .where(eq(cases.trackingHash, hash));
    server = await startServer({ DATABASE_URL: rig.db.url!, DATA_DIR: tmp, DEMO: "off" });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await rig?.destroy();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("sends a visitor without a session to the login page", async () => {
    for (const p of ["/staff", "/staff/queue", "/staff/mine", "/staff/overdue", `/staff/cases/${caseId}`]) {
      const r = await page(undefined, p);
      expect(r.status, p).toBe(303);
      expect(r.location).toBe("/staff/login");
    }
  });

  it("shows the dashboard with live counts, never cached, without scripts or inline styles", async () => {
    const r = await page(county, "/staff");
    expect(r.status).toBe(200);
    expect(r.cacheControl).toBe("no-store");
    expect(r.html).toContain("望城区纪委监委");
    expect(r.html).toMatch(/<th scope="row">望城区纪委监委<\/th>\s*<td class="num">1<\/td>/);
    expect(r.html).not.toMatch(/<script|style="/);
  });

  it("claims the next case from the queue and works it through forms, without JavaScript", async () => {
    const claim = await page(county, "/staff/queue", {});
    expect(claim.status).toBe(303);
    expect(claim.location).toBe(`/staff/cases/${caseId}?done=claim`);
    let view = await page(county, claim.location!);
    expect(view.status).toBe(200);
    expect(view.cacheControl).toBe("no-store");
    expect(view.html).toContain("您已领办此案");
    expect(view.html).toContain("〔已隐去〕");
    expect(view.html).not.toContain("王晓明");
    expect(view.html).toContain("告知实名举报人受理情况"); // the accept clock
    expect(view.html).not.toMatch(/<script|style="/);
    const token = hiddenToken(view.html);
    expect(token).toBeDefined();
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(token).toBe(row.leaseToken);
    for (const label of ["受理", "不予受理", "报送上级机关", "给举报人留言", "放回队列"])
      expect(view.html).toContain(`>${label}</button>`);

    const reg = await page(county, `/staff/cases/${caseId}`, { action: "register", leaseToken: token! });
    expect(reg.status).toBe(303);
    expect(reg.location).toBe(`/staff/cases/${caseId}?done=register`);
    view = await page(county, reg.location!);
    expect(view.html).toContain("已完成：受理");
    expect(view.html).toContain('class="stage stage--registered"');

    // A field left empty comes back with its message and the other input kept.
    const bad = await page(county, `/staff/cases/${caseId}`, {
      action: "transfer",
      leaseToken: token!,
      department: "",
    });
    expect(bad.status).toBe(422);
    expect(bad.html).toMatch(/<title>错误：/);
    expect(bad.html).toContain("此项为必填项。");

    // A step the stage does not allow: 409 with what is possible now.
    const illegal = await page(county, `/staff/cases/${caseId}`, { action: "register", leaseToken: token! });
    expect(illegal.status).toBe(409);
    expect(illegal.html).toContain("当前可执行：");

    const msg = await page(county, `/staff/cases/${caseId}`, {
      action: "message",
      leaseToken: token!,
      body: "请补充票据照片。",
    });
    expect(msg.status).toBe(303);
    view = await page(county, `/staff/cases/${caseId}`);
    expect(view.html).toContain("请补充票据照片。");
    expect((await page(county, "/staff/mine")).html).toContain(`/staff/cases/${caseId}`);
  });

  it("refuses a cross-site form post", async () => {
    const [before] = await rig.deps.db.select().from(cases).where(eq(cases.id, caseId));
    const r = await page(
      county,
      `/staff/cases/${caseId}`,
      { action: "release", leaseToken: before.leaseToken! },
      "https://evil.example",
    );
    expect(r.status).toBe(403);
    const [after] = await rig.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(after.leaseToken).toBe(before.leaseToken);
  });

  it("answers 404 for a case outside the caller's scope", async () => {
    const other = (await createStaff(rig, { username: "fr.all", office: "430102", roles: ["intake"] }))
      .cookie;
    const r = await page(other, `/staff/cases/${caseId}`);
    expect(r.status).toBe(404);
    expect(r.html).not.toContain("李四");
  });

  it("lets a city supervisor press an overdue county case from the overdue page", async () => {
    await rig.deps.db.insert(caseClocks).values({
      caseId,
      rule: "result_notice",
      officeCode: "430112",
      startedOn: "2020-01-02",
      dueOn: "2020-01-23",
    });
    await rig.deps.db.update(cases).set({ nextDueOn: "2020-01-23" }).where(eq(cases.id, caseId));
    let r = await page(citySup, "/staff/overdue");
    expect(r.status).toBe(200);
    expect(r.html).toContain(`/staff/cases/${caseId}`);
    expect(r.html).toContain("未督办");
    const post = await page(citySup, "/staff/overdue", { caseId, action: "supervise", note: "请尽快办结" });
    expect(post.status).toBe(303);
    r = await page(citySup, post.location!);
    expect(r.html).toContain("已督办");
    expect(r.html).toContain("长沙市纪委监委 · ");
    const own = await page(county, "/staff/overdue");
    expect(own.html).toContain("长沙市纪委监委 · ");
    expect(own.html).not.toContain(">督办</button>");
    const caseView = await page(citySup, `/staff/cases/${caseId}`);
    expect(caseView.html).toContain("本案属下级单位，您只能查看和督办。");
    expect(caseView.html).toContain("请尽快办结");
    expect(hiddenToken(caseView.html)).toBeUndefined();
  });

  it("does not exist in a public-role process", async () => {
    const pub = await startServer({
      DATABASE_URL: rig.db.url!,
      DATA_DIR: tmp,
      DEMO: "off",
      APP_ROLE: "public",
    });
    try {
      for (const p of ["/staff", "/staff/queue", "/staff/mine", "/staff/overdue", `/staff/cases/${caseId}`]) {
        const res = await fetch(`${pub.origin}${p}`, { redirect: "manual", headers: { cookie: county } });
        expect(res.status, p).toBe(404);
      }
    } finally {
      await pub.stop();
    }
  });
});
