// Issue 11 §2 through the API: the 信访室 registers what arrived by letter, visit, phone, 12388 or
// from above, through the same intake pipeline as the online form — the identity sealed to the
// vault and redacted from every plain column, log line and event; the clocks from the day it was
// received; repeats found against online reports; the tracking code only when asked; a retry
// with the same key making one case; refusals storing nothing.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSealedJson } from "../../api/crypto/seal";
import { unlockVault } from "../../api/crypto/vault";
import type { StaffChannel } from "../../api/domain/channels";
import { trackRoute } from "../../api/routes/public";
import { staffIntakeRoute } from "../../api/routes/staff-intake";
import { caseClocks, caseEvents, caseRepeats, cases, sealedIdentities } from "../../db/schema/index";
import { loadLabelledSet } from "../fixtures/repeats/labelled";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { findInDatabase, rowCounts } from "../helpers/inspect";
import { createStaff, staffHeaders } from "../helpers/staff";
import { fileReport } from "../helpers/staff-api";

const COUNTY = "430104"; // 岳麓区
const { reports } = loadLabelledSet();

// The reporter as the staff member types it from a letter: full-width digits, spaces in the name.
const TYPED = {
  name: "司马 青山",
  idNumber: "４３０１０２１９９００３０７１２３４",
  phone: "１３６ ９８７６ ５４３２",
  address: "岳麓区桃子湖路8号",
};
const SECRETS = [
  "司马青山",
  "司马 青山",
  "430102199003071234",
  "４３０１０２１９９００３０７１２３４",
  "13698765432",
  "１３６ ９８７６ ５４３２",
  "桃子湖路8号",
];

const letter = (over: Record<string, unknown> = {}) => ({
  type: "accusation",
  realName: true,
  reporter: TYPED,
  subject: {
    name: "李四",
    unit: "岳麓区交通运输局",
    position: "局长",
    managementLevel: "county",
    divisionCode: COUNTY,
  },
  category: "integrity",
  title: "来信反映李四收受回扣问题",
  body: "写信人司马 青山（电话１３６ ９８７６ ５４３２，身份证４３０１０２１９９００３０７１２３４）反映：李四在修路工程中收受承包商回扣。",
  channel: "letter",
  receivedOn: "2026-02-26",
  ...over,
});

describe.each(dbKinds())("staff intake (every channel) on %s", (kind) => {
  let rig: TestRig;
  const now = new Date("2026-03-02T02:00:00Z"); // 2026-03-02 in Shanghai
  let intake: { cookie: string };
  let handler: { cookie: string };

  const register = (body: unknown, cookie = intake.cookie, extra: Record<string, string> = {}) =>
    rig.app.request("/api/v1/staff/intake", {
      method: "POST",
      headers: staffHeaders(cookie, extra),
      body: JSON.stringify(body),
    });
  const track = (trackingCode: string) =>
    rig.app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode }),
    });

  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now });
    intake = await createStaff(rig, { username: "yl.intake", office: COUNTY, roles: ["intake"] });
    handler = await createStaff(rig, { username: "yl.handler", office: COUNTY, roles: ["handler"] });
  });
  afterAll(async () => rig?.destroy());

  const channels: [StaffChannel, Record<string, unknown>][] = [
    ["letter", {}],
    ["visit", { reference: "　来访登记  第 12 号 " }],
    ["phone", {}],
    ["hotline_12388", {}],
    ["assigned", { reference: "湘纪交〔2026〕５号" }],
  ];
  it.each(channels)(
    "registers a %s at the member's own office, identity sealed and redacted",
    async (channel, over) => {
      const res = await register(letter({ channel, ...over }));
      const body = await expectResponse(res, staffIntakeRoute, 201);
      expect(body.case).toMatchObject({
        office: { code: COUNTY },
        stage: "received",
        channel,
        receivedOn: "2026-02-26",
      });
      expect(body.case.number).toMatch(/2026/);
      expect(body.trackingCode).toBeUndefined();
      if (channel === "assigned") expect(body.case.reference).toBe("湘纪交〔2026〕5号");
      if (channel === "visit") expect(body.case.reference).toBe("来访登记 第 12 号");

      const [row] = await rig.deps.db.select().from(cases).where(eq(cases.id, body.case.id));
      expect(row.channel).toBe(channel);
      expect(row.receivedOn).toBe("2026-02-26");
      expect(row.body).toContain("〔已隐去〕");
      expect(row.body).toContain("李四");
      // The clocks run from the day the letter arrived, not from its typing.
      const clocks = await rig.deps.db.select().from(caseClocks).where(eq(caseClocks.caseId, row.id));
      expect(clocks.length).toBeGreaterThan(0);
      for (const c of clocks) expect(c.startedOn).toBe("2026-02-26");
      const [event] = await rig.deps.db.select().from(caseEvents).where(eq(caseEvents.caseId, row.id));
      expect(event).toMatchObject({ kind: "received", actor: "staff:yl.intake", officeCode: COUNTY });
      expect(event.data).toMatchObject({ channel, receivedOn: "2026-02-26" });

      const [sealed] = await rig.deps.db
        .select()
        .from(sealedIdentities)
        .where(eq(sealedIdentities.caseId, row.id));
      const priv = await unlockVault(rig.vault, CUSTODIAN.name, CUSTODIAN.passphrase);
      const opened = openSealedJson<{ reporter: { name: string; idNumber: string; phone: string } }>(
        rig.deps.keys.vaultPublicKey,
        priv,
        sealed.sealed,
      );
      expect(opened.reporter.name).toBe("司马 青山");
      expect(opened.reporter.idNumber).toBe("430102199003071234");
      expect(opened.reporter.phone).toBe("13698765432");
    },
  );

  it("leaves the typed identity in no column of any table and no log line", async () => {
    expect(await findInDatabase(rig.deps.db, SECRETS)).toEqual([]);
    const logs = rig.logs.join("\n");
    for (const s of SECRETS) expect(logs).not.toContain(s);
  });

  it("answers a tracking code only when asked, and /track opens the case with it", async () => {
    const asked = await expectResponse(
      await register(letter({ channel: "visit", wantsTrackingCode: true })),
      staffIntakeRoute,
      201,
    );
    expect(asked.trackingCode).toMatch(/^[0-9A-Z]{5}-/);
    const seen = await expectResponse(await track(asked.trackingCode!), trackRoute, 200);
    expect(seen.office.code).toBe(COUNTY);
    expect(await findInDatabase(rig.deps.db, [asked.trackingCode!])).toEqual([]);
    expect(rig.logs.join("\n")).not.toContain(asked.trackingCode!);
  });

  it("makes one case of a retried request with the same Idempotency-Key, and answers alike", async () => {
    const before = (await rowCounts(rig.deps.db)).cases;
    const body = letter({ channel: "phone", wantsTrackingCode: true });
    const key = { "idempotency-key": "staff-retry-1" };
    const a = await expectResponse(await register(body, intake.cookie, key), staffIntakeRoute, 201);
    const b = await expectResponse(await register(body, intake.cookie, key), staffIntakeRoute, 201);
    expect(b).toEqual(a);
    expect((await rowCounts(rig.deps.db)).cases).toBe(before + 1);
    // The same key with another body is a conflict, not a second case.
    const other = await register({ ...body, title: "另一件来电反映的问题" }, intake.cookie, key);
    await expectProblem(other, staffIntakeRoute, 409);
    expect((await rowCounts(rig.deps.db)).cases).toBe(before + 1);
  });

  it("refuses bad fields with 422 and stores nothing", async () => {
    const before = await rowCounts(rig.deps.db);
    const bad: [Record<string, unknown>, string, string][] = [
      [{ channel: "online" }, "channel", "invalid_choice"],
      [{ channel: undefined }, "channel", "required"],
      [{ receivedOn: "2026-03-03" }, "receivedOn", "date.future"],
      [{ receivedOn: "2024-01-05" }, "receivedOn", "receivedOn.too_old"],
      [{ receivedOn: "2026-02-30" }, "receivedOn", "date.invalid"],
      [{ channel: "assigned" }, "reference", "reference.required"],
      [{ reference: "x".repeat(101) }, "reference", "too_long"],
      [{ reference: "回信电话13907315555" }, "reference", "reference.identity"],
      [{ reference: "身份证４３０１０２ １９９００３０７ １２３４" }, "reference", "reference.identity"],
      [{ title: "" }, "title", "too_short"],
      [{ reporter: { ...TYPED, phone: "12" } }, "reporter.phone", "phone.invalid"],
    ];
    for (const [over, path, code] of bad) {
      const p = await expectProblem(await register(letter(over)), staffIntakeRoute, 422);
      expect(p.errors).toContainEqual(expect.objectContaining({ path, code }));
    }
    expect(await rowCounts(rig.deps.db)).toEqual(before);
  });

  it("sends a letter about the office's own discipline staff one level up, out of the office's sight", async () => {
    const res = await register(
      letter({
        subject: {
          name: "王五",
          unit: "岳麓区纪委监委",
          position: "副书记",
          managementLevel: "county",
          divisionCode: COUNTY,
          isDisciplineStaff: true,
        },
      }),
    );
    const body = await expectResponse(res, staffIntakeRoute, 201);
    expect(body.case.office.code).toBe("430100"); // 长沙市, the city above 岳麓区
    const seen = await rig.app.request(`/api/v1/staff/cases/${body.case.id}`, {
      headers: { cookie: intake.cookie },
    });
    expect(seen.status).toBe(404);
  });

  it("answers 403 to a member without the intake role, and stores nothing", async () => {
    const before = await rowCounts(rig.deps.db);
    const p = await expectProblem(await register(letter(), handler.cookie), staffIntakeRoute, 403);
    expect(p.detail).toContain("信访室");
    expect(await rowCounts(rig.deps.db)).toEqual(before);
  });

  it("refuses a cross-site request", async () => {
    const res = await rig.app.request("/api/v1/staff/intake", {
      method: "POST",
      headers: { ...staffHeaders(intake.cookie), origin: "https://evil.example" },
      body: JSON.stringify(letter()),
    });
    expect(res.status).toBe(403);
  });

  it("finds the online report a registered letter repeats", async () => {
    const r1 = reports.get("r001")!;
    const r2 = reports.get("r002")!;
    const subject = (r: typeof r1) => ({
      name: r.name,
      unit: r.unit,
      position: "",
      managementLevel: "county",
      divisionCode: r.division,
    });
    const online = await fileReport(rig, {
      type: "accusation",
      realName: false,
      subject: subject(r1),
      category: "integrity",
      title: r1.title,
      body: r1.body,
    });
    const county = await createStaff(rig, { username: "r.intake", office: r1.division, roles: ["intake"] });
    const res = await register(
      {
        type: "accusation",
        realName: false,
        subject: subject(r2),
        category: "integrity",
        title: r2.title,
        body: r2.body,
        channel: "letter",
        receivedOn: "2026年3月1日",
      },
      county.cookie,
    );
    const body = await expectResponse(res, staffIntakeRoute, 201);
    expect(body.case.receivedOn).toBe("2026-03-01");
    const pairs = await rig.deps.db.select().from(caseRepeats).where(eq(caseRepeats.caseId, body.case.id));
    expect(pairs.map((p) => p.otherId)).toEqual([online.id]);
  });
});
