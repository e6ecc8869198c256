// Issue 10 §3–§4 through the public API: routing (不清楚, one level up, 报中央), real-name with a
// landline or a unit's name and no ID number, 申诉 and 批评建议 without a person reported. Every
// refusal stores nothing.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { openSealedJson } from "../../api/crypto/seal";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { unlockVault } from "../../api/crypto/vault";
import { reportRoute } from "../../api/routes/public";
import { caseRoute } from "../../api/routes/staff-cases";
import { caseEvents, cases, sealedIdentities } from "../../db/schema/index";
import { expectDeclared, expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { findInDatabase, rowCounts } from "../helpers/inspect";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

/** Today in the rig is 2025-10-10 (Asia/Shanghai). */
const NOW = new Date("2025-10-10T10:00:00+08:00");

/** A real-name 申诉 against a 望城区纪委监委 decision, the reporter named in the decision too. */
function appealReport(overrides: Record<string, unknown> = {}) {
  const { subject: _none, ...base } = realNameReport();
  return {
    ...base,
    type: "appeal",
    appeal: {
      decision: "给予王晓明党内警告处分",
      decidingBody: "中共长沙市望城区纪律检查委员会",
      decisionDate: "2025-06-30",
      officeCode: "430112",
    },
    category: "integrity",
    title: "对党内警告处分不服的申诉",
    body: "本人王晓明对2025年6月所受党内警告处分不服，认为事实认定有误，特提出申诉，请求复查。",
    ...overrides,
  };
}

const subjectWith = (over: Record<string, unknown>) => ({ ...realNameReport().subject, ...over });

describe.each(dbKinds())("intake rules on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind, { now: () => NOW });
  });
  afterAll(async () => rig?.destroy());

  const post = (body: unknown) =>
    rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  /** Files a report that must be accepted; answers the receipt and the stored case. */
  async function file(body: unknown) {
    const receipt = await expectResponse(await post(body), reportRoute, 201);
    const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(receipt.trackingCode)!);
    const [row] = await rig.deps.db.select().from(cases).where(eq(cases.trackingHash, hash));
    const [received] = await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, row.id));
    return { receipt, row, received: received.data as Record<string, unknown> };
  }

  async function sealedOf(caseId: string) {
    const [s] = await rig.deps.db.select().from(sealedIdentities).where(eq(sealedIdentities.caseId, caseId));
    const priv = await unlockVault(rig.vault, CUSTODIAN.name, CUSTODIAN.passphrase);
    return openSealedJson<{
      reporter: Record<string, string> | null;
      appeal?: Record<string, string>;
      body: string;
    }>(rig.deps.keys.vaultPublicKey, priv, s.sealed);
  }

  describe("routing (分级受理)", () => {
    const routes: [string, Record<string, unknown>, string, string | null, boolean][] = [
      ["不清楚, county code → its city", { managementLevel: "unknown" }, "430100", null, false],
      [
        "不清楚, province → the province",
        { managementLevel: "unknown", divisionCode: "430000" },
        "430000",
        null,
        false,
      ],
      ["一般干部, county code → the county", { managementLevel: "other" }, "430112", null, false],
      ["纪检监察干部, 县管 → the city", { isDisciplineStaff: true }, "430100", "discipline_staff", false],
      [
        "主要负责人, 市管 → the province",
        { managementLevel: "city", isPrincipalLeader: true },
        "430000",
        "principal_leader",
        false,
      ],
      [
        "纪检监察干部, 省管 → the province, 报中央纪委国家监委",
        { managementLevel: "province", isDisciplineStaff: true },
        "430000",
        "discipline_staff",
        true,
      ],
    ];
    it.each(routes)("%s", async (_label, over, office, upBecause, toCentral) => {
      const { receipt, row, received } = await file(anonymousReport({ subject: subjectWith(over) }));
      expect(receipt.office.code).toBe(office);
      expect(row.officeCode).toBe(office);
      expect(row.routedOfficeCode).toBe(office);
      expect(row.reportToCentral).toBe(toCentral);
      expect(row.subjectIsDisciplineStaff).toBe(over.isDisciplineStaff === true);
      expect(row.subjectIsPrincipalLeader).toBe(over.isPrincipalLeader === true);
      expect(received.routedTo).toBe(office);
      expect(received.oneLevelUp ?? null).toBe(upBecause);
      expect(received.reportToCentral ?? false).toBe(toCentral);
    });

    it("shows the 报中央 flag and the one-level-up facts on the staff case", async () => {
      const { row } = await file(
        anonymousReport({ subject: subjectWith({ managementLevel: "province", isPrincipalLeader: true }) }),
      );
      const { cookie } = await createStaff(rig, {
        username: "province-intake",
        office: "430000",
        roles: ["intake"],
      });
      const res = await rig.app.request(`/api/v1/staff/cases/${row.id}`, { headers: staffHeaders(cookie) });
      const view = await expectResponse(res, caseRoute, 200);
      expect(view.reportToCentral).toBe(true);
      expect(view.subject).toMatchObject({
        level: "province",
        isPrincipalLeader: true,
        isDisciplineStaff: false,
      });
      expect(view.appeal).toBeNull();
    });
  });

  describe("real name: a person or a unit, a mobile or a landline, the ID number optional", () => {
    it("takes a landline typed in full-width digits, keeps it only sealed (normalised) and redacts it", async () => {
      const { receipt, row } = await file(
        realNameReport({
          reporter: { name: "王晓明", phone: "（０７３１）８８８８　８８８８" },
          body: "我叫王晓明，有事请打0731-8888 8888或者８８８８８８８８找我。李四在修路工程中收受回扣。",
        }),
      );
      expect(receipt.office.code).toBe("430112");
      expect(row.reporterKind).toBe("person");
      expect(row.body).toBe(
        "我叫〔已隐去〕，有事请打〔已隐去〕或者〔已隐去〕找我。李四在修路工程中收受回扣。",
      );
      const sealed = await sealedOf(row.id);
      expect(sealed.reporter).toMatchObject({
        kind: "person",
        name: "王晓明",
        phone: "0731-88888888",
        phoneKind: "landline",
      });
      expect(sealed.reporter).not.toHaveProperty("idNumber");
      expect(await findInDatabase(rig.deps.db, ["88888888", "8888 8888", "王晓明"])).toEqual([]);
    });

    it("lets a unit report under its name and redacts the name however it is spaced", async () => {
      const unit = "长沙市望城区某某建筑工程有限公司";
      const { row } = await file(
        realNameReport({
          reporter: { kind: "unit", name: unit, phone: "0731 8765 4321", address: "长沙市望城区某某路8号" },
          title: "长沙市望城区某某建筑 工程有限公司反映李四索要好处费",
          body: "我单位长沙市望城区某某建筑工程 有限公司承建道路工程，李四多次索要好处费。联系电话 0731-87654321。",
        }),
      );
      expect(row.reporterKind).toBe("unit");
      expect(row.title).toBe("〔已隐去〕反映李四索要好处费");
      expect(row.body).toBe("我单位〔已隐去〕承建道路工程，李四多次索要好处费。联系电话 〔已隐去〕。");
      const sealed = await sealedOf(row.id);
      expect(sealed.reporter).toMatchObject({ kind: "unit", name: unit, phone: "0731-87654321" });
      expect(await findInDatabase(rig.deps.db, [unit, "87654321", "8765 4321"])).toEqual([]);
    });

    const refused: [string, Record<string, unknown>, string, string][] = [
      [
        "an invalid ID number given",
        { idNumber: "430102199003071235" },
        "reporter.idNumber",
        "idNumber.checksum",
      ],
      ["a landline without its area code", { phone: "8888 8888" }, "reporter.phone", "phone.invalid"],
      ["a landline of 5 digits", { phone: "0731-88888" }, "reporter.phone", "phone.invalid"],
      ["no contact number", { phone: "" }, "reporter.phone", "required"],
      ["a person's name over 50 characters", { name: "王".repeat(51) }, "reporter.name", "too_long"],
      ["an unknown kind of reporter", { kind: "company" }, "reporter.kind", "invalid_choice"],
    ];
    it.each(refused)("refuses %s (422) and stores nothing", async (_label, over, path, code) => {
      const before = await rowCounts(rig.deps.db);
      const res = await post(realNameReport({ reporter: { name: "王晓明", phone: "13912345678", ...over } }));
      const body = await expectProblem(res, reportRoute, 422);
      expect(body.errors).toContainEqual(expect.objectContaining({ path, code }));
      expect(await rowCounts(rig.deps.db)).toEqual(before);
    });
  });

  describe("申诉 (appeal)", () => {
    it("goes to the office that made the decision, with the decision redacted and sealed", async () => {
      const { receipt, row, received } = await file(appealReport());
      expect(receipt.office).toEqual({ code: "430112", name: "望城区纪委监委" });
      expect(row.type).toBe("appeal");
      expect([row.subjectName, row.subjectUnit, row.subjectLevel, row.subjectDivisionCode]).toEqual([
        null,
        null,
        null,
        null,
      ]);
      expect(row.appealDecision).toBe("给予〔已隐去〕党内警告处分");
      expect(row.appealDecidingBody).toBe("中共长沙市望城区纪律检查委员会");
      expect(row.appealDecisionDate).toBe("2025-06-30");
      expect(row.appealOfficeCode).toBe("430112");
      expect(received).toEqual({ routedTo: "430112", appealOffice: "430112" });
      const sealed = await sealedOf(row.id);
      expect(sealed.appeal).toEqual(appealReport().appeal);
      expect(await findInDatabase(rig.deps.db, ["给予王晓明"])).toEqual([]);
    });

    it("goes to a city or the province office when that office decided", async () => {
      const city = await file(appealReport({ appeal: { ...appealReport().appeal, officeCode: "431200" } }));
      expect(city.receipt.office.code).toBe("431200");
      const province = await file(
        appealReport({ appeal: { ...appealReport().appeal, officeCode: "430000" } }),
      );
      expect(province.receipt.office.code).toBe("430000");
    });

    it("is registered and concluded without a 处置方式: the staff case never offers dispose", async () => {
      const { row } = await file(appealReport());
      type Who = { actor: StaffActor; cookie: string };
      const who: Who = await createStaff(rig, {
        username: "wangcheng-appeals",
        office: "430112",
        roles: ["intake", "handler"],
      });
      // Every answer checked against what its route declares.
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await rig.app.request(path, {
          method,
          headers: staffHeaders(who.cookie),
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await expectDeclared(res, method, path) };
      };
      const claim = await call("POST", `/api/v1/staff/cases/${row.id}/claim`);
      expect(claim.status).toBe(200);
      const leaseToken = claim.body.leaseToken as string;
      expect(
        (await call("POST", `/api/v1/staff/cases/${row.id}/actions`, { action: "register", leaseToken }))
          .status,
      ).toBe(200);
      const view = await call("GET", `/api/v1/staff/cases/${row.id}`);
      expect(view.body.subject).toBeNull();
      expect(view.body.appeal).toEqual({
        decision: "给予〔已隐去〕党内警告处分",
        decidingBody: "中共长沙市望城区纪律检查委员会",
        decisionDate: "2025-06-30",
        office: { code: "430112", name: "望城区纪委监委" },
      });
      expect(view.body.allowedActions).toContain("conclude");
      expect(view.body.allowedActions).not.toContain("dispose");
      const dispose = await call("POST", `/api/v1/staff/cases/${row.id}/actions`, {
        action: "dispose",
        leaseToken,
        disposition: "close",
      });
      expect(dispose.status).toBe(409);
      const done = await call("POST", `/api/v1/staff/cases/${row.id}/actions`, {
        action: "conclude",
        leaseToken,
        finding: "unsubstantiated",
        result: "经复查，维持原处分决定。",
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.case.stage).toBe("concluded");
    });

    const { subject: realSubject } = realNameReport();
    const bad: [string, () => Record<string, unknown>, string, string][] = [
      [
        "anonymous",
        () => ({ ...appealReport({ realName: false }), reporter: undefined }),
        "realName",
        "appeal.real_name",
      ],
      [
        "with a person reported",
        () => appealReport({ subject: realSubject }),
        "subject",
        "appeal.subject_forbidden",
      ],
      ["without the decision", () => appealReport({ appeal: undefined }), "appeal", "required"],
      [
        "decided in the future",
        () => appealReport({ appeal: { ...appealReport().appeal, decisionDate: "2025-10-11" } }),
        "appeal.decisionDate",
        "date.future",
      ],
      [
        "on a date that does not exist",
        () => appealReport({ appeal: { ...appealReport().appeal, decisionDate: "2025-02-29" } }),
        "appeal.decisionDate",
        "date.invalid",
      ],
      [
        "by an office outside the province",
        () => appealReport({ appeal: { ...appealReport().appeal, officeCode: "440100" } }),
        "appeal.officeCode",
        "division.unknown",
      ],
      [
        "with an empty decision",
        () => appealReport({ appeal: { ...appealReport().appeal, decision: " " } }),
        "appeal.decision",
        "too_short",
      ],
      [
        "an appeal block on a 检举控告",
        () => realNameReport({ appeal: appealReport().appeal }),
        "appeal",
        "appeal.forbidden",
      ],
    ];
    it.each(bad)("refuses an appeal %s (422) and stores nothing", async (_label, make, path, code) => {
      const before = await rowCounts(rig.deps.db);
      const body = await expectProblem(await post(make()), reportRoute, 422);
      expect(body.errors).toContainEqual(expect.objectContaining({ path, code }));
      expect(await rowCounts(rig.deps.db)).toEqual(before);
    });
  });

  describe("批评建议 and the person reported", () => {
    it("takes a 批评建议 without a person reported, for the province office to 分流", async () => {
      const { receipt, row, received } = await file(
        anonymousReport({ type: "suggestion", subject: undefined, category: "other" }),
      );
      expect(receipt.office.code).toBe("430000");
      expect(row.subjectName).toBeNull();
      expect(received).toEqual({ routedTo: "430000" });
    });

    it("routes a 批评建议 that names someone like a 检举控告", async () => {
      const { receipt } = await file(anonymousReport({ type: "suggestion" }));
      expect(receipt.office.code).toBe("430100");
    });

    it("refuses a 检举控告 without a person reported (422) and stores nothing", async () => {
      const before = await rowCounts(rig.deps.db);
      const body = await expectProblem(await post(anonymousReport({ subject: undefined })), reportRoute, 422);
      expect(body.errors).toContainEqual(expect.objectContaining({ path: "subject", code: "required" }));
      expect(await rowCounts(rig.deps.db)).toEqual(before);
    });

    it("takes the new second-level categories", async () => {
      for (const category of ["eight_point_rules", "formalism_bureaucratism"]) {
        const { row } = await file(anonymousReport({ category }));
        expect(row.category).toBe(category);
      }
    });
  });
});
