// Issue 11 §5–§6 in the built portal without JavaScript: the printed forms (A4 print CSS, no
// scripts, the sanitized content only; the reporter's name only from the printer's own identity
// grant, audited), another office's case 404, and 呈批 → 批示 through the case page's forms, with
// the 书记阅批件 ledger page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityRequests } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { fetchPage, openPagesServer, PAGES_TEST_TIMEOUT, type PagesServer } from "../helpers/pages-server";
import { realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { caseIdOf, claimThenAct, postReport, type StaffCalls, staffCalls } from "../helpers/staff-api";

const PASSPHRASE = "leaders pages passphrase";
const REPORTER = "王晓明";
const ID_NUMBER = "430102199003071234";

describe.each(dbKinds())(
  "printed forms and leaders' pages on %s",
  { timeout: PAGES_TEST_TIMEOUT },
  (kind) => {
    let site: PagesServer;
    let api: StaffCalls;
    let county: string;
    let countyPlain: string;
    let countyLeader: string;
    let city: string;
    let otherCounty: string;
    let custodian: string;
    let caseId: string;

    const page = (cookie: string | undefined, p: string, form?: Record<string, string>) =>
      fetchPage(site.origin, cookie, p, form);

    beforeAll(async () => {
      site = await openPagesServer(kind, { passphrase: PASSPHRASE });
      api = staffCalls(
        (p, i) => fetch(`${site.origin}${p}`, i),
        () => site.origin,
      );
      const code = await postReport((p, i) => fetch(`${site.origin}${p}`, i), realNameReport());
      await site.withDb(async (rt) => {
        county = (
          await createStaff(rt, {
            username: "wc.req",
            office: "430112",
            roles: ["intake", "handler", "identity_requester"],
          })
        ).cookie;
        countyPlain = (
          await createStaff(rt, { username: "wc.plain", office: "430112", roles: ["intake", "handler"] })
        ).cookie;
        countyLeader = (await createStaff(rt, { username: "wc.leader", office: "430112", roles: ["leader"] }))
          .cookie;
        city = (
          await createStaff(rt, {
            username: "cs.sup",
            office: "430100",
            roles: ["intake", "handler", "supervisor"],
          })
        ).cookie;
        otherCounty = (
          await createStaff(rt, { username: "yl.all", office: "430111", roles: ["intake", "handler"] })
        ).cookie;
        custodian = (await createStaff(rt, { username: "custodian", office: "430000", roles: ["custodian"] }))
          .cookie;
        caseId = await caseIdOf(rt.deps, code);
      });
      await claimThenAct(
        api,
        county,
        [
          { action: "register" },
          { action: "dispose", disposition: "close" },
          { action: "conclude", finding: "unsubstantiated", result: "经核查不属实" },
        ],
        { id: caseId },
      );
      // 办结 let the case go: take it again to give the 反馈 the 反馈书 prints.
      await claimThenAct(
        api,
        county,
        [
          {
            action: "feedback",
            method: "written",
            body: "经核查，您反映的问题不属实。感谢您的监督。",
            view: "not_stated",
          },
        ],
        { id: caseId },
      );
    }, 180_000);
    afterAll(async () => site?.close());

    it("prints the 登记表, 受理告知书 and 反馈书 on A4 without scripts, the sanitized content only", async () => {
      const casePage = await page(county, `/staff/cases/${caseId}`);
      for (const f of ["register", "notice", "result"])
        expect(casePage.html).toContain(`href="/staff/cases/${caseId}/print/${f}"`);
      expect(casePage.html).not.toContain(`/print/transfer"`);

      const reg = await page(county, `/staff/cases/${caseId}/print/register`);
      expect(reg.status).toBe(200);
      expect(reg.html).toContain("<h1>信访件登记表</h1>");
      expect(reg.html).toMatch(/望城〔\d{4}〕第\d+号/);
      expect(reg.html).toContain("李四");
      expect(reg.html).toContain("望城区交通运输局");
      expect(reg.html).toContain("实名");
      expect(reg.html).not.toMatch(/<script|style="/);
      // The print stylesheet (A4), inlined by Astro or linked.
      const link = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(reg.html)?.[1];
      const css = link ? await (await fetch(`${site.origin}${link}`)).text() : reg.html;
      expect(css).toMatch(/@page\s*\{[^}]*size:\s*A4/);
      // The redacted narrative, never the reporter's own identifiers.
      expect(reg.html).toContain("〔已隐去〕");
      for (const html of [reg.html]) {
        expect(html).not.toContain(REPORTER);
        expect(html).not.toContain(ID_NUMBER);
        expect(html).not.toContain("13912345678");
      }
      const notice = await page(county, `/staff/cases/${caseId}/print/notice`);
      expect(notice.status).toBe(200);
      expect(notice.html).toContain("受理告知书");
      expect(notice.html).toContain("决定予以受理");
      expect(notice.html).toContain('data-addressee="blank"');
      expect(notice.html).not.toContain(REPORTER);
      const result = await page(county, `/staff/cases/${caseId}/print/result`);
      expect(result.html).toContain("处理结果反馈书");
      expect(result.html).toContain("经核查，您反映的问题不属实。感谢您的监督。");
      expect(result.html).not.toContain(REPORTER);
      // No grant: asking for the addressee changes nothing.
      const asked = await page(county, `/staff/cases/${caseId}/print/notice?addressee=1`);
      expect(asked.html).not.toContain(REPORTER);
      expect(asked.html).toContain('data-addressee="blank"');

      // Another office's case, an unknown form: 404 with nothing of the case.
      const foreign = await page(otherCounty, `/staff/cases/${caseId}/print/register`);
      expect(foreign.status).toBe(404);
      expect(foreign.html).not.toContain("李四");
      expect((await page(county, `/staff/cases/${caseId}/print/nonsense`)).status).toBe(404);
      // The supervisor above may print it (as they may read it).
      expect((await page(city, `/staff/cases/${caseId}/print/register`)).status).toBe(200);
    });

    it("shows the reporter's name as the addressee only from the printer's own grant, and records the print", async () => {
      // Dual control: request, a custodian approves with the vault passphrase.
      expect(
        (
          await page(county, `/staff/cases/${caseId}/contact`, {
            op: "request",
            purpose: "打印受理告知书寄送举报人",
          })
        ).status,
      ).toBe(303);
      const [req] = await site.withDb((rt) => rt.deps.db.select().from(identityRequests));
      const ok = await page(custodian, "/staff/identity-requests", {
        requestId: req.id,
        decision: "approve",
        reason: "同意寄送书面告知",
        passphrase: PASSPHRASE,
      });
      expect(ok.status).toBe(303);
      // A colleague without the grant still gets the blank line.
      const colleague = await page(countyPlain, `/staff/cases/${caseId}/print/notice?addressee=1`);
      expect(colleague.html).not.toContain(REPORTER);
      // The grant holder is offered the name, and gets it only when asking.
      const offered = await page(county, `/staff/cases/${caseId}/print/notice`);
      expect(offered.html).not.toContain(REPORTER);
      expect(offered.html).toContain(`/print/notice?addressee=1`);
      const named = await page(county, `/staff/cases/${caseId}/print/notice?addressee=1`);
      expect(named.html).toContain(`${REPORTER}：`);
      expect(named.html).not.toContain(ID_NUMBER);
      const trail = await page(county, `/staff/cases/${caseId}`);
      expect(trail.html).toContain("打印文书（含举报人姓名）");
    });

    it("呈批 and 批示 through the case page's forms; only the leader gets the 批示 form", async () => {
      let view = await page(countyPlain, `/staff/cases/${caseId}`);
      expect(view.html).toContain("领导批示与提级");
      expect(view.html).toContain('name="proposal"');
      expect(view.html).not.toContain('name="signedOn"');
      const empty = await page(countyPlain, `/staff/cases/${caseId}/leader`, {
        action: "submit_instruction",
        proposal: "",
      });
      expect(empty.status).toBe(422);
      expect(empty.html).toContain("此项必填。");
      const sent = await page(countyPlain, `/staff/cases/${caseId}/leader`, {
        action: "submit_instruction",
        proposal: "拟同意办结意见",
      });
      expect(sent.status).toBe(303);
      expect(sent.location).toBe(`/staff/cases/${caseId}?leader=submit_instruction#leader`);
      // A non-leader posting a 批示 is refused.
      const notLeader = await page(countyPlain, `/staff/cases/${caseId}/leader`, {
        action: "instruct",
        instruction: "同意",
        signedOn: "2026-01-05",
      });
      expect(notLeader.status).toBe(403);
      view = await page(countyLeader, `/staff/cases/${caseId}`);
      expect(view.html).toContain("拟同意办结意见");
      expect(view.html).toContain('name="signedOn"');
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const done = await page(countyLeader, `/staff/cases/${caseId}/leader`, {
        action: "instruct",
        instruction: "同意，按期反馈举报人。",
        signedOn: today,
      });
      expect(done.status).toBe(303);
      view = await page(countyPlain, `/staff/cases/${caseId}`);
      expect(view.html).toContain("同意，按期反馈举报人。");
      expect(view.html).toContain("呈领导批示");
      expect(view.html).not.toMatch(/<script|style="/);
      const ledger = await page(countyLeader, "/staff/instructions");
      expect(ledger.status).toBe(200);
      expect(ledger.html).toContain("书记阅批件台账");
      expect(ledger.html).toContain('data-table="month-counts"');
      expect((await page(custodian, "/staff/instructions")).status).toBe(403);
    });
  },
);
