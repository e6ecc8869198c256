import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { openRedactionBox } from "../../api/crypto/redaction-box";
import { openSealedBytes } from "../../api/crypto/seal";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { unlockVault } from "../../api/crypto/vault";
import { normalizedText } from "../../api/domain/text-view";
import { reportRoute, trackMessageRoute, trackRoute } from "../../api/routes/public";
import { caseRoute } from "../../api/routes/staff-cases";
import type { Db } from "../../db/client";
import { caseMessages, cases } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import {
  type Identity,
  identityArb,
  nameForm,
  narrativeArb,
  phoneForm,
  subjectArb,
} from "../helpers/identities";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport, realNameReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";

const json = { "content-type": "application/json" };

async function rows<T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

/**
 * What a plain dump shows, minus bytea: every value of every text, varchar, json, jsonb and
 * array (text[]) column of every table, read through information_schema.
 */
async function plainDump(db: Db): Promise<string[]> {
  const cols = await rows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')
        order by table_name, column_name`,
  );
  expect(cols.length).toBeGreaterThan(10);
  const out: string[] = [];
  for (const c of cols) {
    const vals = await rows<{ v: string | null }>(
      db,
      sql.raw(`select "${c.column_name}"::text as v from "${c.table_name}"`),
    );
    for (const { v } of vals) if (v !== null) out.push(v);
  }
  return out;
}

/** The reporter's identifiers in normalised form. */
function identifiers(id: Identity): string[] {
  const legacy = id.idNumber.slice(6, 8) === "19" ? [id.idNumber.slice(0, 6) + id.idNumber.slice(8, 17)] : [];
  return [id.name, id.idNumber, ...legacy, id.phone, id.email, id.specific].map(normalizedText);
}

describe.each(dbKinds())("no reporter identity reaches staff or a dump, on %s", (kind) => {
  let rig: TestRig;
  let county: { actor: StaffActor; cookie: string };
  let city: { actor: StaffActor; cookie: string };
  let baseline: string;
  const given: Identity[] = [];

  const post = (path: string, body: unknown) =>
    rig.app.request(path, { method: "POST", headers: json, body: JSON.stringify(body) });
  const caseIdOf = async (trackingCode: string) => {
    const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
    const [row] = await rig.deps.db.select({ id: cases.id }).from(cases).where(eq(cases.trackingHash, hash));
    return row.id;
  };
  const staffCase = async (who: { cookie: string }, id: string) => {
    const res = await rig.app.request(`/api/v1/staff/cases/${id}`, { headers: { cookie: who.cookie } });
    return expectResponse(res, caseRoute, 200);
  };

  beforeAll(async () => {
    rig = await createRig(kind);
    county = await createStaff(rig, {
      username: "wc.redact",
      office: "430112",
      roles: ["intake", "handler"],
    });
    city = await createStaff(rig, { username: "cs.redact", office: "430100", roles: ["intake", "handler"] });
    // What the database holds before any report (office and division names): an identity whose
    // name happens to be in it (石峰 is a district) would be no leak.
    baseline = normalizedText((await plainDump(rig.db.db)).join("\n"));
  });
  afterAll(async () => rig?.destroy());

  it("real-name reports and follow-up messages with identity typed in tricky forms", async () => {
    const sample = identityArb.chain((id) =>
      fc.record({
        id: fc.constant(id),
        body: narrativeArb(id),
        message: narrativeArb(id),
        titleName: nameForm(id.name),
        titlePhone: phoneForm(id.phone),
        subject: subjectArb(id),
      }),
    );
    await fc.assert(
      fc.asyncProperty(sample, async ({ id, body, message, titleName, titlePhone, subject }) => {
        fc.pre(identifiers(id).every((v) => !baseline.includes(v)));
        given.push(id);
        const report = realNameReport({
          reporter: {
            name: id.name,
            idNumber: id.idNumber,
            phone: id.phone,
            address: id.address,
            email: id.email,
          },
          title: `反映李四问题（${titleName}实名，电话${titlePhone}）`.slice(0, 100),
          body,
          subject: { ...realNameReport().subject, ...subject },
        });
        const res = await post("/api/v1/reports", report);
        const { trackingCode } = await expectResponse(res, reportRoute, 201);
        const added = await post("/api/v1/track/messages", { trackingCode, body: message });
        expect(added.status).toBe(201);

        const view = await staffCase(county, await caseIdOf(trackingCode));
        const seen = normalizedText(JSON.stringify(view));
        for (const v of identifiers(id)) expect(seen, `${v} in the staff case`).not.toContain(v);
        // The reporter's own identifiers were removed, so nothing is left to flag.
        expect(view.identityWarnings).toEqual([]);
        expect(view.messages).toHaveLength(1);
        expect(view.messages[0].body).toContain("〔已隐去〕");
        expect(view.messages[0].identityWarnings).toEqual([]);
      }),
      { numRuns: 15 },
    );
    expect(given.length).toBeGreaterThan(5);

    const dump = await plainDump(rig.db.db);
    for (const id of given) {
      for (const v of identifiers(id)) {
        expect(
          dump.filter((d) => normalizedText(d).includes(v)),
          `${v} in a text, jsonb or text[] column`,
        ).toEqual([]);
      }
    }
  });

  it("redacts and flags the reporter's identifiers typed into the subject fields", async () => {
    const me = {
      name: "王小明",
      idNumber: "430102199003071234",
      phone: "13912345678",
      address: "长沙市岳麓区麓山南路932号5栋2单元301室",
      email: "wxm2024@example.com",
    };
    const res = await post(
      "/api/v1/reports",
      realNameReport({
        reporter: me,
        subject: {
          name: "王小明",
          unit: "望城区交通运输局（举报人王小明，电话13912345678）",
          position: "局长 身份证430102199003071234",
          managementLevel: "county",
          divisionCode: "430112",
        },
        title: "反映交通运输局局长问题",
        body: "该局长在工程招标中收受承包商好处费，请上级纪委调查处理。",
      }),
    );
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const view = await staffCase(county, await caseIdOf(trackingCode));
    expect(view.subject).toMatchObject({
      name: "〔已隐去〕",
      unit: "望城区交通运输局（举报人〔已隐去〕，电话〔已隐去〕）",
      position: "局长 身份证〔已隐去〕",
    });
    const secrets = ["王小明", "430102199003071234", "13912345678", "5栋2单元301室"].map(normalizedText);
    const seen = normalizedText(JSON.stringify(view));
    for (const v of secrets) expect(seen, `${v} in the staff case`).not.toContain(v);
    const dump = await plainDump(rig.db.db);
    for (const v of secrets) {
      expect(dump.filter((d) => normalizedText(d).includes(v), `${v} in a text column`)).toEqual([]);
    }

    // An anonymous reporter's own mobile typed into the unit: not removable (no identity given),
    // but flagged for staff.
    const anon = await post(
      "/api/v1/reports",
      anonymousReport({
        subject: { ...anonymousReport().subject, unit: "长沙市住房和城乡建设局，联系我13912345678" },
      }),
    );
    const anonView = await staffCase(
      city,
      await caseIdOf((await expectResponse(anon, reportRoute, 201)).trackingCode),
    );
    expect(anonView.identityWarnings).toEqual(["mobile"]);
    const idInPosition = await post(
      "/api/v1/reports",
      anonymousReport({ subject: { ...anonymousReport().subject, position: "副局长 430102199003071234" } }),
    );
    const idView = await staffCase(
      city,
      await caseIdOf((await expectResponse(idInPosition, reportRoute, 201)).trackingCode),
    );
    expect(idView.identityWarnings).toEqual(["id_number"]);
  });

  it("removes a unit's name and landline, and a 申诉's reporter, from every column and from follow-ups", async () => {
    const unit = "长沙市望城区宏达建筑工程有限公司";
    const unitReport = realNameReport({
      reporter: { kind: "unit", name: unit, phone: "(0731)8765 4321" },
      subject: { ...realNameReport().subject, unit: `望城区交通运输局（${unit}承建项目）` },
      title: "长沙市望城区宏达建筑 工程有限公司反映李四问题",
      body: "我单位长沙市望城区 宏达建筑工程有限公司承建道路工程，李四索要好处费。电话０７３１－８７６５　４３２１。",
    });
    const filed = await post("/api/v1/reports", unitReport);
    expect(filed.status, await filed.clone().text()).toBe(201);
    const unitCode = ((await filed.json()) as { trackingCode: string }).trackingCode;
    expect(
      (
        await post("/api/v1/track/messages", {
          trackingCode: unitCode,
          body: "补充：可打 +86 731 8765 4321 联系。",
        })
      ).status,
    ).toBe(201);

    const appeal = realNameReport({
      type: "appeal",
      subject: undefined,
      reporter: { name: "欧阳晓东", phone: "0743-8234567" },
      appeal: {
        decision: "给予欧阳 晓东党内严重警告处分",
        decidingBody: "吉首市纪委监委（联系人欧阳晓东，电话0743 823 4567）",
        decisionDate: "2025-03-01",
        officeCode: "433101",
      },
      title: "欧阳晓东对处分决定的申诉",
      body: "本人欧阳晓东不服处分决定，请求复查。电话 0743-823-4567。",
    });
    const appealed = await post("/api/v1/reports", appeal);
    expect(appealed.status, await appealed.clone().text()).toBe(201);
    const appealCode = ((await appealed.json()) as { trackingCode: string }).trackingCode;
    const jishou = await createStaff(rig, {
      username: "js.redact",
      office: "433101",
      roles: ["intake", "handler"],
    });

    const unitView = await staffCase(county, await caseIdOf(unitCode));
    expect(unitView.reporterKind).toBe("unit");
    expect(unitView.title).toBe("〔已隐去〕反映李四问题");
    expect(unitView.subject?.unit).toBe("望城区交通运输局（〔已隐去〕承建项目）");
    expect(unitView.messages[0].body).toBe("补充：可打 〔已隐去〕 联系。");
    const appealView = await staffCase(jishou, await caseIdOf(appealCode));
    expect(appealView.appeal).toMatchObject({
      decision: "给予〔已隐去〕党内严重警告处分",
      decidingBody: "吉首市纪委监委（联系人〔已隐去〕，电话〔已隐去〕）",
    });
    const secrets = [unit, "87654321", "欧阳晓东", "8234567"].map(normalizedText);
    const seen = normalizedText(JSON.stringify([unitView, appealView]));
    for (const v of secrets) expect(seen, `${v} in the staff case`).not.toContain(v);
    const dump = await plainDump(rig.db.db);
    for (const v of secrets) {
      expect(dump.filter((d) => normalizedText(d).includes(v), `${v} in a text column`)).toEqual([]);
    }
  });

  it("keeps the message as written for the vault, and the redaction box opens only with the code", async () => {
    const res = await post("/api/v1/reports", realNameReport());
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const original = "补充：我王 晓明的手机是１３９ １２３４ ５６７８，身份证尾号1234。";
    expect((await post("/api/v1/track/messages", { trackingCode, body: original })).status).toBe(201);
    const caseId = await caseIdOf(trackingCode);
    const [row] = await rig.deps.db.select().from(caseMessages).where(eq(caseMessages.caseId, caseId));
    expect(row.body).toBe("补充：我〔已隐去〕的手机是〔已隐去〕，身份证尾号〔已隐去〕。");
    const priv = await unlockVault(rig.vault, CUSTODIAN.name, CUSTODIAN.passphrase);
    expect(
      new TextDecoder().decode(openSealedBytes(rig.deps.keys.vaultPublicKey, priv, row.originalSealed!)),
    ).toBe(original);

    // The reporter's own view shows the message as stored (redacted).
    const track = await post("/api/v1/track", { trackingCode });
    const mine = (await expectResponse(track, trackRoute, 200)).messages;
    expect(mine.map((m) => m.body)).toEqual([row.body]);

    const [c] = await rig.deps.db.select({ box: cases.redactionBox }).from(cases).where(eq(cases.id, caseId));
    expect(c.box).not.toBeNull();
    const key = rig.deps.keys.trackingKey;
    expect(openRedactionBox(key, normalizeTrackingCode(trackingCode)!, c.box!)).toMatchObject({ v: 1 });
    expect(openRedactionBox(key, "0".repeat(20), c.box!)).toBeUndefined();
  });

  it("flags a third party's mobile and ID number in an anonymous report and message, and keeps them", async () => {
    const body =
      "赵六的手机是 138-0013-8000，他妻子的身份证号 ４３０１０２ １９８５０６１２ ２２２Ｘ，请查。";
    const res = await post("/api/v1/reports", anonymousReport({ body }));
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const message = "补充：赵六另一个号码 +86 139.0000.1111。";
    expect((await post("/api/v1/track/messages", { trackingCode, body: message })).status).toBe(201);
    const caseId = await caseIdOf(trackingCode);
    const view = await staffCase(city, caseId);
    expect(view.identityWarnings).toEqual(["id_number", "mobile"]);
    expect(view.body).toBe(body);
    expect(view.messages[0]).toMatchObject({ body: message, identityWarnings: ["mobile"] });
    const [c] = await rig.deps.db.select({ box: cases.redactionBox }).from(cases).where(eq(cases.id, caseId));
    expect(c.box).toBeNull();

    const clean = await post("/api/v1/reports", anonymousReport());
    const cleanView = await staffCase(
      city,
      await caseIdOf((await expectResponse(clean, reportRoute, 201)).trackingCode),
    );
    expect(cleanView.identityWarnings).toEqual([]);
  });

  it.each([
    ["body", (r: Record<string, unknown>) => ({ ...r, body: `${r.body}\u0000` })],
    ["title", (r: Record<string, unknown>) => ({ ...r, title: `\u0000${r.title}` })],
    [
      "reporter.name",
      (r: Record<string, unknown>) => ({
        ...r,
        reporter: { ...(r.reporter as object), name: "王\u0000晓明" },
      }),
    ],
    [
      "reporter.address",
      (r: Record<string, unknown>) => ({
        ...r,
        reporter: { ...(r.reporter as object), address: "长沙\u0000" },
      }),
    ],
    [
      "subject.unit",
      (r: Record<string, unknown>) => ({ ...r, subject: { ...(r.subject as object), unit: "局\u0000" } }),
    ],
    [
      "subject.position",
      (r: Record<string, unknown>) => ({ ...r, subject: { ...(r.subject as object), position: "\u0000" } }),
    ],
  ])("NUL in %s answers 422 with that path and stores nothing", async (path, spoil) => {
    const before = await rowCounts(rig.db.db);
    const res = await post("/api/v1/reports", spoil(realNameReport()));
    const problem = await expectProblem(res, reportRoute, 422);
    expect(problem.errors).toContainEqual(expect.objectContaining({ path, code: "text.nul" }));
    expect(await rowCounts(rig.db.db)).toEqual(before);
  });

  it("NUL in a reporter message answers 422 with the path body and stores nothing", async () => {
    const res = await post("/api/v1/reports", anonymousReport());
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const before = await rowCounts(rig.db.db);
    const add = await post("/api/v1/track/messages", { trackingCode, body: "补充材料\u0000如下" });
    const problem = await expectProblem(add, trackMessageRoute, 422);
    expect(problem.errors).toEqual([expect.objectContaining({ path: "body", code: "text.nul" })]);
    expect(await rowCounts(rig.db.db)).toEqual(before);
  });
});
