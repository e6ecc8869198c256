import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initKeys, loadKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { reportRoute } from "../../api/routes/public";
import { cases, identityRequests } from "../../db/schema/index";
import { expectResponse } from "../helpers/contract";
import { createRig, type TestRig } from "../helpers/deps";
import { realNameReport } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";
import { createStaff } from "../helpers/staff";

const PASSPHRASE = "pages test passphrase";
const PURPOSE = "电话联系实名举报人核实情况";

// The dual-control pages in the built portal, without JavaScript: a handler asks on the case's
// contact page, the custodian decides on /staff/identity-requests, the handler then sees the
// details once per POST. The server shares a PostgreSQL database with a rig.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("the dual-control pages", () => {
  let rig: TestRig;
  let tmp: string;
  let server: RunningServer;
  let requester: string;
  let colleague: string;
  let custodian: string;
  let caseId: string;

  const page = async (cookie: string, p: string, form?: Record<string, string>, origin?: string) => {
    const res = await fetch(`${server.origin}${p}`, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie,
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

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qf-dual-pages-"));
    rig = await createRig("postgres");
    const config = parseConfig({ DATA_DIR: tmp, DATABASE_URL: rig.db.url });
    await initKeys(config, { custodian: "custodian", passphrase: PASSPHRASE });
    rig.deps.keys = await loadKeys(config);
    requester = (
      await createStaff(rig, {
        username: "wc.req",
        office: "430112",
        roles: ["handler", "identity_requester"],
      })
    ).cookie;
    colleague = (await createStaff(rig, { username: "wc.plain", office: "430112", roles: ["handler"] }))
      .cookie;
    custodian = (await createStaff(rig, { username: "custodian", office: "430000", roles: ["custodian"] }))
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

  it("links the contact page from the case for a requester only, and the list in the custodian's nav", async () => {
    const mine = await page(requester, `/staff/cases/${caseId}`);
    expect(mine.html).toContain(`href="/staff/cases/${caseId}/contact"`);
    const other = await page(colleague, `/staff/cases/${caseId}`);
    expect(other.html).not.toContain(`/contact"`);
    expect(other.html).not.toContain('href="/staff/identity-requests"');
    const cust = await page(custodian, "/staff/identity-requests");
    expect(cust.status).toBe(200);
    expect(cust.html).toContain('href="/staff/identity-requests" aria-current="page"');
    const refused = await page(colleague, "/staff/identity-requests");
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("只有身份保管员才能审批");
  });

  it("request → approve → the requester sees name and phone once per POST, never the ID number", async () => {
    const contactPage = `/staff/cases/${caseId}/contact`;
    const noRole = await page(colleague, contactPage);
    expect(noRole.html).toContain("您没有申请查看举报人联系方式的权限");
    expect(noRole.html).not.toContain('name="purpose"');

    const short = await page(requester, contactPage, { op: "request", purpose: "核实" });
    expect(short.status).toBe(422);
    expect(short.html).toContain("请至少写 4 个字。");
    const asked = await page(requester, contactPage, { op: "request", purpose: PURPOSE });
    expect(asked.status).toBe(303);
    expect(asked.location).toBe(`${contactPage}?done=request`);
    const after = await page(requester, asked.location!);
    expect(after.html).toContain("申请已提交");
    expect(after.html).toContain("待审批");
    expect(after.html).not.toContain('name="purpose"');

    const list = await page(custodian, "/staff/identity-requests");
    expect(list.html).toContain(PURPOSE);
    expect(list.html).toContain("wc.req");
    expect(list.html).toContain("望城区纪委监委");
    expect(list.html).not.toContain("王晓明");
    expect(list.html).not.toMatch(/<script|style="/);
    const [req] = await rig.deps.db.select().from(identityRequests);
    expect(list.html).toContain(`value="${req.id}"`);

    const wrong = await page(custodian, "/staff/identity-requests", {
      requestId: req.id,
      decision: "approve",
      reason: "同意电话核实",
      passphrase: "not the passphrase at all",
    });
    expect(wrong.status).toBe(403);
    expect(wrong.html).toContain("保管口令不正确");
    expect(wrong.html).toContain("同意电话核实"); // the reason is kept in the form
    const foreign = await page(
      custodian,
      "/staff/identity-requests",
      { requestId: req.id, decision: "deny", reason: "跨站提交" },
      "https://evil.example",
    );
    expect(foreign.status).toBe(403);
    const ok = await page(custodian, "/staff/identity-requests", {
      requestId: req.id,
      decision: "approve",
      reason: "同意电话核实",
      passphrase: PASSPHRASE,
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe("/staff/identity-requests?done=approve");

    const before = await page(requester, contactPage);
    expect(before.html).toContain("已批准");
    expect(before.html).not.toContain("13912345678");
    const shown = await page(requester, contactPage, { op: "view", requestId: req.id });
    expect(shown.status).toBe(200);
    expect(shown.cacheControl).toBe("no-store");
    expect(shown.html).toContain("王晓明");
    expect(shown.html).toContain("13912345678");
    expect(shown.html).not.toContain("430102199003071234");
    // The colleague posting the same request id sees nothing.
    const stolen = await page(colleague, contactPage, { op: "view", requestId: req.id });
    expect(stolen.status).toBe(404);
    expect(stolen.html).not.toContain("13912345678");
    // The case trail names the steps.
    const trail = await page(requester, `/staff/cases/${caseId}`);
    for (const label of ["申请查看举报人联系方式", "批准查看举报人联系方式", "查看举报人联系方式"])
      expect(trail.html).toContain(label);
    expect(trail.html).not.toContain("13912345678");
  });
});
