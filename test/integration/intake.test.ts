import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSealedJson } from "../../api/crypto/seal";
import { unlockVault } from "../../api/crypto/vault";
import {
  categoriesRoute,
  divisionsRoute,
  healthRoute,
  reportRoute,
  trackMessageRoute,
  trackRoute,
} from "../../api/routes/public";
import { submitReport } from "../../api/services/intake/submit";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { findInDatabase, rowCounts } from "../helpers/inspect";
import { anonymousReport, REPORTER_SECRETS, realNameReport } from "../helpers/reports";

describe.each(dbKinds())("intake on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind);
  });
  afterAll(async () => rig?.destroy());

  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body:
        typeof body === "string"
          ? body
          : body instanceof Uint8Array
            ? new Blob([new Uint8Array(body)])
            : JSON.stringify(body),
    });

  describe("routing through the API", () => {
    const routes: [string, Record<string, unknown>, string, string][] = [
      ["省管", { managementLevel: "province", divisionCode: "430112" }, "430000", "湖南省纪委监委"],
      ["市管, county code", { managementLevel: "city", divisionCode: "430112" }, "430100", "长沙市纪委监委"],
      [
        "县管, county code",
        { managementLevel: "county", divisionCode: "430112" },
        "430112",
        "望城区纪委监委",
      ],
      ["县管, city code", { managementLevel: "county", divisionCode: "430300" }, "430300", "湘潭市纪委监委"],
      ["其他, county code", { managementLevel: "other", divisionCode: "431202" }, "431202", "鹤城区纪委监委"],
    ];
    it.each(routes)("%s", async (_l, subject, code, name) => {
      const report = anonymousReport();
      const res = await post({ ...report, subject: { ...report.subject, ...subject } });
      const receipt = await expectResponse(res, reportRoute, 201);
      expect(receipt.office).toEqual({ code, name });
    });
  });

  it("stores a real-name reporter's identity only sealed, and a custodian can open it", async () => {
    const res = await post(realNameReport());
    expect(res.headers.get("cache-control")).toBe("no-store");
    const receipt = await expectResponse(res, reportRoute, 201);

    // Through the page's path too: the same verb, called in-process.
    const viaForm = await submitReport({
      ctx: { deps: rig.deps, requestId: "t", actor: { kind: "reporter" } },
      input: { body: realNameReport({ title: "第二次反映：王晓明实名举报李四" }) },
    });

    const found = await findInDatabase(rig.db.db, [
      ...REPORTER_SECRETS,
      receipt.trackingCode,
      receipt.trackingCode.replace(/-/g, ""),
      viaForm.trackingCode.replace(/-/g, ""),
    ]);
    expect(found).toEqual([]);
    const logs = rig.logs.join("\n");
    for (const s of [...REPORTER_SECRETS, receipt.trackingCode, viaForm.trackingCode])
      expect(logs).not.toContain(s);

    // The staff copy is redacted; the sealed original holds everything.
    const rows = (await rig.db.db.query.cases.findMany()).filter((c) => c.realName);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const c of rows) {
      expect(c.body).toContain("〔已隐去〕");
      expect(c.body).toContain("李四");
    }
    const sealed = await rig.db.db.query.sealedIdentities.findFirst({
      where: (t, { eq }) => eq(t.caseId, rows[0].id),
    });
    const priv = await unlockVault(rig.vault, CUSTODIAN.name, CUSTODIAN.passphrase);
    const opened = openSealedJson<{
      reporter: { name: string; idNumber: string; phone: string };
      body: string;
    }>(rig.deps.keys.vaultPublicKey, priv, sealed!.sealed);
    expect(opened.reporter.name).toBe("王晓明");
    expect(opened.reporter.idNumber).toBe("430102199003071234");
    expect(opened.body).toContain("430102199003071234");
  });

  it("writes a received event with a hash and no previous hash", async () => {
    const res = await post(anonymousReport());
    expect(res.status).toBe(201);
    const events = await rig.db.db.query.caseEvents.findMany({
      where: (t, { eq }) => eq(t.kind, "received"),
    });
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.seq).toBe(1);
      expect(e.prevHash).toBeNull();
      expect(e.hash.length).toBe(32);
      expect(e.isPublic).toBe(true);
    }
  });

  describe("rejected input stores nothing", () => {
    const bad: [string, number, () => Promise<Response> | Response, string?][] = [
      ["malformed JSON", 400, () => post('{"type": "accusation",')],
      ["invalid UTF-8", 400, () => post(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))],
      [
        "wrong media type",
        415,
        () =>
          rig.app.request("/api/v1/reports", {
            method: "POST",
            headers: { "content-type": "text/plain" },
            body: JSON.stringify(realNameReport()),
          }),
      ],
      ["oversized body", 413, () => post(realNameReport({ body: "很".repeat(300_000) }))],
      [
        "anonymous report carrying identity",
        422,
        () =>
          post(
            anonymousReport({
              reporter: { name: "王晓明", idNumber: "430102199003071234", phone: "13912345678" },
            }),
          ),
        "reporter",
      ],
      [
        "bad ID number",
        422,
        () =>
          post(
            realNameReport({ reporter: { ...realNameReport().reporter, idNumber: "430102199003071235" } }),
          ),
        "reporter.idNumber",
      ],
      [
        "bad phone",
        422,
        () => post(realNameReport({ reporter: { ...realNameReport().reporter, phone: "0731-88888" } })),
        "reporter.phone",
      ],
      [
        "unknown division",
        422,
        () => post(anonymousReport({ subject: { ...anonymousReport().subject, divisionCode: "440106" } })),
        "subject.divisionCode",
      ],
      ["real-name without identity", 422, () => post(realNameReport({ reporter: undefined })), "reporter"],
      ["unknown field", 422, () => post(anonymousReport({ ip: "1.2.3.4" }))],
      ["not an object", 422, () => post("[1,2,3]")],
      ["title too long", 422, () => post(anonymousReport({ title: "长".repeat(101) })), "title"],
    ];
    it.each(bad)("%s → %i", async (_label, status, send, path) => {
      const before = await rowCounts(rig.db.db);
      const res = await send();
      const body = await expectProblem(res, reportRoute, status);
      expect(body.status).toBe(status);
      if (path) expect(body.errors?.map((e) => e.path)).toContain(path);
      expect(await rowCounts(rig.db.db)).toEqual(before);
    });

    it("reports every invalid field at once, each with its path and a message", async () => {
      const res = await post({
        type: "x",
        realName: true,
        reporter: { name: "", idNumber: "1", phone: "2" },
      });
      const body = await expectProblem(res, reportRoute, 422);
      const paths = body.errors!.map((e) => e.path);
      for (const p of ["type", "subject", "category", "title", "body"]) expect(paths).toContain(p);
      for (const e of body.errors!) expect(e.message.length).toBeGreaterThan(3);
    });
  });

  describe("Idempotency-Key", () => {
    it("the same key twice: one case, the same answer", async () => {
      const before = await rowCounts(rig.db.db);
      const body = anonymousReport({ title: "幂等测试" });
      const a = await post(body, { "idempotency-key": "k-123" });
      const b = await post(body, { "idempotency-key": "k-123" });
      expect(await expectResponse(b, reportRoute, 201)).toEqual(await expectResponse(a, reportRoute, 201));
      const after = await rowCounts(rig.db.db);
      expect(after.cases).toBe(before.cases + 1);
      expect(after.idempotency_keys).toBe(before.idempotency_keys + 1);
    });

    it("concurrent retries with one key create one case", async () => {
      const before = await rowCounts(rig.db.db);
      const body = anonymousReport({ title: "并发幂等测试" });
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => post(body, { "idempotency-key": "burst-1" })),
      );
      const bodies = await Promise.all(answers.map((r) => expectResponse(r, reportRoute, 201)));
      for (const b of bodies) expect(b).toEqual(bodies[0]);
      expect((await rowCounts(rig.db.db)).cases).toBe(before.cases + 1);
    });

    it("the same key with a different report is a conflict and stores nothing", async () => {
      await post(anonymousReport({ title: "第一份" }), { "idempotency-key": "k-reuse" });
      const before = await rowCounts(rig.db.db);
      const res = await post(anonymousReport({ title: "第二份" }), { "idempotency-key": "k-reuse" });
      await expectProblem(res, reportRoute, 409);
      expect(await rowCounts(rig.db.db)).toEqual(before);
    });

    it("a body with no RFC 8785 form (lone surrogate, 1e400) is malformed and stores nothing", async () => {
      const before = await rowCounts(rig.db.db);
      const surrogate = await post(anonymousReport({ title: "孤立代理项 \ud800" }), {
        "idempotency-key": "k-jcs-1",
      });
      const huge = await post(JSON.stringify(anonymousReport()).replace(/}$/, ',"n":1e400}'), {
        "idempotency-key": "k-jcs-2",
      });
      for (const res of [surrogate, huge]) {
        expect((await expectProblem(res, reportRoute, 400)).type).toMatch(/malformed$/);
      }
      expect(await rowCounts(rig.db.db)).toEqual(before);
    });

    it("a lone surrogate is malformed without an idempotency key too, and stores nothing", async () => {
      const before = await rowCounts(rig.db.db);
      for (const report of [
        anonymousReport({ body: "正文 \udc00 里的孤立代理项".repeat(2) }),
        { ...anonymousReport(), "\ud83d": 1 },
      ]) {
        const res = await post(report);
        expect((await expectProblem(res, reportRoute, 400)).detail).toMatch(/孤立代理项/);
      }
      expect(await rowCounts(rig.db.db)).toEqual(before);
    });

    it("does not keep the tracking code readable in the idempotency table", async () => {
      const res = await post(anonymousReport(), { "idempotency-key": "k-private" });
      const { trackingCode } = await expectResponse(res, reportRoute, 201);
      expect(await findInDatabase(rig.db.db, [trackingCode, "k-private"])).toEqual([]);
    });
  });

  describe("tracking", () => {
    it("finds a case with a sloppy code and shows 已接收 and the office", async () => {
      const res = await post(realNameReport());
      const { trackingCode } = await expectResponse(res, reportRoute, 201);
      const sloppy = ` ${trackingCode.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l")} `;
      const t = await rig.app.request("/api/v1/track", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode: sloppy }),
      });
      expect(t.headers.get("cache-control")).toBe("no-store");
      const view = await expectResponse(t, trackRoute, 200);
      expect(view.status).toBe("received");
      expect(view.statusLabel).toBe("已接收");
      expect(view.office).toEqual({ code: "430112", name: "望城区纪委监委" });
      expect(view.timeline).toEqual([expect.objectContaining({ event: "received", label: "举报已接收" })]);
      expect(view.reply).toBeNull();
      expect(JSON.stringify(view)).not.toContain("王晓明");
    });

    it("answers 404 for an unknown or malformed code", async () => {
      for (const code of ["ABCDE-12345-FGHJK-67890", "nonsense"]) {
        const t = await rig.app.request("/api/v1/track", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ trackingCode: code }),
        });
        await expectProblem(t, trackRoute, 404);
      }
    });

    it("takes a reporter's message and shows it on the timeline", async () => {
      const { trackingCode } = await expectResponse(await post(anonymousReport()), reportRoute, 201);
      const before = await rowCounts(rig.db.db);
      const m = await rig.app.request("/api/v1/track/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode, body: "补充：李四还有一处房产。" }),
      });
      await expectResponse(m, trackMessageRoute, 201);
      const after = await rowCounts(rig.db.db);
      expect(after.case_messages).toBe(before.case_messages + 1);
      const empty = await rig.app.request("/api/v1/track/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ trackingCode, body: "  " }),
      });
      await expectProblem(empty, trackMessageRoute, 422);
      expect(await rowCounts(rig.db.db)).toEqual(after);
      const view = await expectResponse(
        await rig.app.request("/api/v1/track", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ trackingCode }),
        }),
        trackRoute,
        200,
      );
      expect(view.messages).toEqual([
        expect.objectContaining({ from: "reporter", body: "补充：李四还有一处房产。" }),
      ]);
    });
  });

  describe("reference endpoints", () => {
    it("lists 137 divisions and the categories", async () => {
      const d = await expectResponse(await rig.app.request("/api/v1/divisions"), divisionsRoute, 200);
      expect(d.divisions).toHaveLength(137);
      const c = await expectResponse(await rig.app.request("/api/v1/categories"), categoriesRoute, 200);
      expect(c.categories.map((x) => x.code)).toEqual([
        "political",
        "organizational",
        "integrity",
        "eight_point_rules",
        "mass",
        "work",
        "formalism_bureaucratism",
        "life",
        "duty_crime",
        "other",
      ]);
      const h = await rig.app.request("/api/v1/healthz");
      expect(await expectResponse(h, healthRoute, 200)).toEqual({ status: "ok" });
    });
  });
});

describe.each(dbKinds())("a failure inside the intake transaction on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind);
    // Make the third write of the pipeline fail, after the case and the sealed identity were written.
    await rig.db.db.execute(
      sql.raw(`CREATE FUNCTION qf_test_fail() RETURNS trigger AS $$ BEGIN
        IF (SELECT title FROM cases WHERE id = NEW.case_id) LIKE '%FAIL%' THEN RAISE EXCEPTION 'simulated crash 430102199003071234'; END IF;
        RETURN NEW; END; $$ LANGUAGE plpgsql`),
    );
    await rig.db.db.execute(
      sql.raw(
        "CREATE TRIGGER qf_test_fail BEFORE INSERT ON case_events FOR EACH ROW EXECUTE FUNCTION qf_test_fail()",
      ),
    );
  });
  afterAll(async () => rig?.destroy());

  it("keeps nothing, answers an opaque 500 with a request id, and logs no content", async () => {
    const before = await rowCounts(rig.db.db);
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "crash-1" },
      body: JSON.stringify(realNameReport({ title: "FAIL 王晓明反映问题" })),
    });
    const body = await expectProblem(res, reportRoute, 500);
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toMatch(/simulated|INSERT|case_events|王晓明/);
    expect(await rowCounts(rig.db.db)).toEqual(before);
    const logs = rig.logs.join("\n");
    for (const s of [...REPORTER_SECRETS, "simulated", "INSERT"]) expect(logs).not.toContain(s);

    // The retry with the same key after the failure goes through once.
    const retry = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "crash-1" },
      body: JSON.stringify(realNameReport({ title: "FAIL 王晓明反映问题" })),
    });
    expect(retry.status).toBe(500);
    await rig.db.db.execute(sql.raw("DROP TRIGGER qf_test_fail ON case_events"));
    const third = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": "crash-1" },
      body: JSON.stringify(realNameReport({ title: "FAIL 王晓明反映问题" })),
    });
    expect(third.status).toBe(201);
    expect((await rowCounts(rig.db.db)).cases).toBe(before.cases + 1);
  });
});

describe.each(dbKinds())("concurrent appends to one case's trail on %s", (kind) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig(kind);
  });
  afterAll(async () => rig?.destroy());

  it("twelve reporter messages at once all land, in one unbroken chain", async () => {
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(anonymousReport()),
    });
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        rig.app.request("/api/v1/track/messages", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ trackingCode, body: `补充材料 ${i}` }),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const events = await rig.db.db.query.caseEvents.findMany({ orderBy: (t, { asc }) => [asc(t.seq)] });
    const mine = events.filter((e) => e.caseId === events.find((x) => x.kind === "reporter_message")!.caseId);
    expect(mine.map((e) => e.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    for (let i = 1; i < mine.length; i++)
      expect(Buffer.from(mine[i].prevHash!)).toEqual(Buffer.from(mine[i - 1].hash));
  });
});
