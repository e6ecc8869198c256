import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { addCustodian, testKdf, writeVaultFiles } from "../../api/crypto/vault";
import { reportRoute } from "../../api/routes/public";
import {
  contactRoute,
  createIdentityRequestRoute,
  decisionRoute,
  identityRequestsRoute,
  myIdentityRequestsRoute,
} from "../../api/routes/staff-identity-requests";
import { purgeExpiredGrants } from "../../api/services/identity/purge-grants";
import { createRateLimiter } from "../../api/services/ratelimit/create";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { verifyTrail } from "../../api/services/trail/verify";
import { commands } from "../../cli/commands/index";
import { runCli } from "../../cli/run";
import { auditLog, caseEvents, cases, identityRequests } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { CUSTODIAN, createRig, type TestRig } from "../helpers/deps";
import { findInDatabase } from "../helpers/inspect";
import { anonymousReport, REPORTER_SECRETS, realNameReport } from "../helpers/reports";
import { createStaff, staffHeaders } from "../helpers/staff";

const PURPOSE = "电话联系实名举报人核实情况";
const APPROVE_REASON = "承办人核实线索确有必要，同意";
const DAY_MS = 86_400_000;
const SECOND_CUSTODIAN = { name: "custodian2", passphrase: "second custodian passphrase here" };

describe.each(dbKinds())("dual control for a reporter's contact details on %s", (kind) => {
  let rig: TestRig;
  let dir: string;
  let offsetMs = 0;
  const cookies: Record<string, string> = {};
  const staffIds: Record<string, string> = {};
  /** Moves the clock; sessions end after 12 hours, so everyone signs in again. */
  const travel = async (ms: number) => {
    offsetMs += ms;
    for (const [who, id] of Object.entries(staffIds)) {
      cookies[who] = `${SESSION_COOKIE}=${await createSession(rig.deps, id)}`;
    }
  };
  let realCase: { id: string; code: string };
  let anonCase: { id: string; code: string };
  let otherOfficeCase: { id: string; code: string };
  let requestId: string;

  const call = (cookie: string, method: string, p: string, body?: unknown) =>
    rig.app.request(`/api/v1/staff${p}`, {
      method,
      headers: method === "GET" ? { cookie } : staffHeaders(cookie),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ask = (who: string, caseId: string, purpose: unknown = PURPOSE) =>
    call(cookies[who], "POST", `/cases/${caseId}/identity-requests`, { purpose });
  const decide = (who: string, id: string, body: Record<string, unknown>) =>
    call(cookies[who], "POST", `/identity-requests/${id}/decision`, body);
  const contact = (who: string, id: string) => call(cookies[who], "GET", `/identity-requests/${id}/contact`);

  async function submit(report: Record<string, unknown>): Promise<{ id: string; code: string }> {
    const res = await rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report),
    });
    const { trackingCode } = await expectResponse(res, reportRoute, 201);
    const hash = hashTrackingCode(rig.deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!);
    const [row] = await rig.deps.db.select({ id: cases.id }).from(cases).where(eq(cases.trackingHash, hash));
    return { id: row.id, code: trackingCode };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-dual-"));
    rig = await createRig(kind, {
      env: {
        VAULT_FILE: path.join(dir, "vault.json"),
        VAULT_PUBLIC_KEY_FILE: path.join(dir, "vault.pub"),
      },
      now: () => new Date(Date.now() + offsetMs),
    });
    // The approval throttle, on a clock that stands still so no window boundary falls mid-test.
    const frozen = new Date();
    rig.deps.rateLimiter = createRateLimiter(
      { ...rig.config, rateLimits: true, rateLimitBuckets: "identity-approve=3/900" },
      rig.deps.db,
      { dbKind: rig.kind, serverKey: rig.deps.keys.rateLimit, now: () => frozen },
    );
    rig.vault = await addCustodian(rig.vault, CUSTODIAN, SECOND_CUSTODIAN, await testKdf());
    writeVaultFiles(rig.config.vaultFile, rig.config.vaultPublicKeyFile, rig.vault);
    realCase = await submit(realNameReport());
    anonCase = await submit(
      anonymousReport({
        subject: {
          name: "赵六",
          unit: "望城区住房和城乡建设局",
          position: "副局长",
          managementLevel: "county",
          divisionCode: "430112",
        },
      }),
    );
    otherOfficeCase = await submit(
      realNameReport({
        subject: {
          name: "钱七",
          unit: "芙蓉区城管局",
          position: "局长",
          managementLevel: "county",
          divisionCode: "430102",
        },
      }),
    );
    const people: [string, string, Parameters<typeof createStaff>[1]["roles"]][] = [
      ["requester", "430112", ["handler", "identity_requester"]],
      ["colleague", "430112", ["intake", "handler"]],
      ["colleague2", "430112", ["handler", "identity_requester"]],
      ["selfish", "430112", ["handler", "identity_requester", "custodian"]],
      ["citysup", "430100", ["supervisor", "handler", "identity_requester"]],
      ["furong", "430102", ["handler", "identity_requester"]],
      [CUSTODIAN.name, "430000", ["custodian"]],
      [SECOND_CUSTODIAN.name, "430000", ["custodian"]],
    ];
    for (const [username, office, roles] of people) {
      const made = await createStaff(rig, { username, office, roles });
      cookies[username] = made.cookie;
      staffIds[username] = made.actor.id;
    }
  });
  afterAll(async () => {
    await rig?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("request → custodian's list → approval → only the requester reads the contact; events and audit rows, nothing on /track", async () => {
    const res = await ask("requester", realCase.id);
    const { request } = await expectResponse(res, createIdentityRequestRoute, 201);
    requestId = request.id;
    expect(request).toMatchObject({ status: "pending", purpose: PURPOSE, decider: null, expiresAt: null });
    expect(request.requester.username).toBe("requester");

    // The requester cannot read anything yet.
    expect((await contact("requester", requestId)).status).toBe(409);

    const list = await call(cookies[CUSTODIAN.name], "GET", "/identity-requests?status=pending");
    const { items } = await expectResponse(list, identityRequestsRoute, 200);
    expect(items.map((i) => i.id)).toEqual([requestId]);
    const [item] = items;
    expect(item.purpose).toBe(PURPOSE);
    expect(item.requester).toMatchObject({ username: "requester", office: { code: "430112" } });
    expect(item.case.office).toEqual({ code: "430112", name: "望城区纪委监委" });
    expect(item.case.serial).toBeGreaterThan(0);
    expect(item.case.title).toContain("李四");
    expect(item.case.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The sanitized summary carries no identity.
    for (const secret of REPORTER_SECRETS) expect(JSON.stringify(items)).not.toContain(secret);

    const ok = await decide(CUSTODIAN.name, requestId, {
      decision: "approve",
      reason: APPROVE_REASON,
      passphrase: CUSTODIAN.passphrase,
    });
    const decided = (await expectResponse(ok, decisionRoute, 200)).request;
    expect(decided.status).toBe("approved");
    expect(decided.decider?.username).toBe(CUSTODIAN.name);
    expect(decided.decisionReason).toBe(APPROVE_REASON);
    const days = (Date.parse(decided.expiresAt!) - rig.deps.now().getTime()) / DAY_MS;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(JSON.stringify(decided)).not.toContain("王晓明");

    const seen = await contact("requester", requestId);
    expect(seen.headers.get("cache-control")).toBe("no-store");
    const body = await expectResponse(seen.clone(), contactRoute, 200);
    const text = await seen.text();
    expect(body.contact).toEqual({
      name: "王晓明",
      phone: "13912345678",
      address: "长沙市岳麓区麓山南路1号",
    });
    expect(body.expiresAt).toBe(decided.expiresAt);
    expect(text).not.toContain("430102199003071234");

    const events = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(
        and(
          eq(caseEvents.caseId, realCase.id),
          inArray(caseEvents.kind, [
            "identity_requested",
            "identity_request_approved",
            "identity_contact_viewed",
          ]),
        ),
      );
    expect(events.map((e) => [e.kind, e.actor, e.isPublic])).toEqual([
      ["identity_requested", "staff:requester", false],
      ["identity_request_approved", `staff:${CUSTODIAN.name}`, false],
      ["identity_contact_viewed", "staff:requester", false],
    ]);
    expect(events[0].data).toEqual({ requestId, purpose: PURPOSE });
    expect(events[1].data).toEqual({
      requestId,
      decision: "approve",
      reason: APPROVE_REASON,
      expiresAt: decided.expiresAt,
    });
    expect(events[2].data).toEqual({ requestId });
    const audit = await rig.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.caseId, realCase.id), eq(auditLog.action, "identity.request")));
    expect(audit.map((a) => [a.actor, a.reason])).toEqual([["staff:requester", PURPOSE]]);
    const approveAudit = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "identity.approve"));
    expect(approveAudit.map((a) => [a.actor, a.caseId, a.reason])).toEqual([
      [`staff:${CUSTODIAN.name}`, realCase.id, APPROVE_REASON],
    ]);
    const viewAudit = await rig.deps.db.select().from(auditLog).where(eq(auditLog.action, "identity.view"));
    expect(viewAudit.map((a) => [a.actor, a.caseId])).toEqual([["staff:requester", realCase.id]]);
    expect((await verifyTrail(rig.deps.db)).ok).toBe(true);

    // The reporter's /track shows none of it.
    const track = await rig.app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: realCase.code }),
    });
    expect(track.status).toBe(200);
    const trackText = await track.text();
    expect(trackText).not.toMatch(/identity|身份|联系方式/);
    expect(trackText).not.toContain(PURPOSE);
    expect(trackText).not.toContain(APPROVE_REASON);

    // The case page's trail (staff) names the steps; the case view shows no identity.
    const view = await call(cookies.requester, "GET", `/cases/${realCase.id}`);
    const viewText = await view.text();
    expect(viewText).toContain("identity_contact_viewed");
    expect(viewText).not.toContain("13912345678");
  });

  it("lets nobody else read the grant: colleagues with or without the role, a supervisor above, the custodian", async () => {
    for (const who of ["colleague", "colleague2", "citysup", "furong", CUSTODIAN.name, "selfish"]) {
      const res = await contact(who, requestId);
      expect(res.status, who).toBe(404);
      expect(await res.text()).not.toContain("王晓明");
    }
    const mine = await call(cookies.colleague2, "GET", `/cases/${realCase.id}/identity-requests`);
    expect((await expectResponse(mine, myIdentityRequestsRoute, 200)).items).toEqual([]);
    const theirs = await call(cookies.requester, "GET", `/cases/${realCase.id}/identity-requests`);
    expect((await expectResponse(theirs, myIdentityRequestsRoute, 200)).items.map((i) => i.id)).toEqual([
      requestId,
    ]);
  });

  it("refuses a request without the role (403), from a supervisor above (403), for another office's case (404), an anonymous case (409), twice pending (409), and bad purposes (422)", async () => {
    const noRole = await ask("colleague", realCase.id);
    expect(noRole.status).toBe(403);
    const above = await ask("citysup", realCase.id);
    expect(above.status).toBe(403);
    const foreign = await ask("requester", otherOfficeCase.id);
    expect(foreign.status).toBe(404);
    expect((await ask("requester", "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await ask("requester", "not-a-uuid")).status).toBe(404);
    const anon = await ask("requester", anonCase.id);
    expect((await expectProblem(anon, createIdentityRequestRoute, 409)).type).toMatch(/anonymous-case$/);
    for (const purpose of ["", "核实", "长".repeat(501), 42]) {
      const bad = await ask("colleague2", realCase.id, purpose);
      expect((await expectProblem(bad, createIdentityRequestRoute, 422)).errors?.[0].path).toBe("purpose");
    }
    const first = await ask("colleague2", realCase.id);
    expect(first.status).toBe(201);
    const again = await ask("colleague2", realCase.id);
    expect((await expectProblem(again, createIdentityRequestRoute, 409)).type).toMatch(/request-pending$/);
    // Cross-site: refused before anything is stored.
    const before = await rig.deps.db.select().from(identityRequests);
    const csrf = await rig.app.request(`/api/v1/staff/cases/${realCase.id}/identity-requests`, {
      method: "POST",
      headers: { ...staffHeaders(cookies.requester), origin: "https://evil.example" },
      body: JSON.stringify({ purpose: PURPOSE }),
    });
    expect(csrf.status).toBe(403);
    expect(await rig.deps.db.select().from(identityRequests)).toHaveLength(before.length);
    const nobody = await call("qf_staff=nope", "GET", "/identity-requests");
    expect(nobody.status).toBe(401);
  });

  it("lists and decides for custodians only; a second decision answers 409; a denied request shows nothing", async () => {
    expect((await call(cookies.requester, "GET", "/identity-requests")).status).toBe(403);
    expect((await call(cookies[CUSTODIAN.name], "GET", "/identity-requests?status=bogus")).status).toBe(422);
    const [pending] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.status, "pending"));
    expect((await decide("requester", pending.id, { decision: "deny", reason: "不需要" })).status).toBe(403);
    const invalid = await decide(CUSTODIAN.name, pending.id, { decision: "maybe", reason: "" });
    expect((await expectProblem(invalid, decisionRoute, 422)).errors?.map((e) => e.path)).toEqual([
      "decision",
      "reason",
    ]);
    const noPass = await decide(CUSTODIAN.name, pending.id, { decision: "approve", reason: APPROVE_REASON });
    expect(noPass.status).toBe(422);

    const denied = await decide(CUSTODIAN.name, pending.id, {
      decision: "deny",
      reason: "用途不明确，不予批准",
    });
    expect((await expectResponse(denied, decisionRoute, 200)).request.status).toBe("denied");
    for (const body of [
      { decision: "deny", reason: "再次审批试试" },
      { decision: "approve", reason: "再次审批试试", passphrase: CUSTODIAN.passphrase },
    ]) {
      expect((await decide(SECOND_CUSTODIAN.name, pending.id, body)).status).toBe(409);
    }
    expect(
      (await decide(SECOND_CUSTODIAN.name, requestId, { decision: "deny", reason: "撤销已批准的" })).status,
    ).toBe(409);
    const shown = await contact("colleague2", pending.id);
    expect(shown.status).toBe(409);
    expect(await shown.text()).not.toContain("王晓明");
    const [row] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.id, pending.id));
    expect(row.grantCipher).toBeNull();
    const denyEvents = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.kind, "identity_request_denied"));
    expect(denyEvents.map((e) => e.data)).toEqual([
      { requestId: pending.id, decision: "deny", reason: "用途不明确，不予批准" },
    ]);
    expect(
      await rig.deps.db.select().from(auditLog).where(eq(auditLog.action, "identity.deny")),
    ).toHaveLength(1);
    expect(
      (
        await decide(CUSTODIAN.name, "00000000-0000-4000-8000-000000000000", {
          decision: "deny",
          reason: "没有这件",
        })
      ).status,
    ).toBe(404);
  });

  it("does not let a custodian approve their own request", async () => {
    const res = await ask("selfish", realCase.id);
    const { request } = await expectResponse(res, createIdentityRequestRoute, 201);
    const own = await decide("selfish", request.id, {
      decision: "approve",
      reason: APPROVE_REASON,
      passphrase: CUSTODIAN.passphrase,
    });
    expect((await expectProblem(own, decisionRoute, 403)).type).toMatch(/own-request$/);
    const [row] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.id, request.id));
    expect(row.status).toBe("pending");
  });

  it("refuses a wrong passphrase (no grant, audit row) and throttles after the limit, even the right one", async () => {
    const [pending] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.status, "pending"));
    const wrong = { decision: "approve", reason: APPROVE_REASON, passphrase: "this is not the passphrase" };
    for (let i = 0; i < 3; i++) {
      const res = await decide(SECOND_CUSTODIAN.name, pending.id, wrong);
      expect((await expectProblem(res, decisionRoute, 403)).type).toMatch(/wrong-passphrase$/);
    }
    const throttled = await decide(SECOND_CUSTODIAN.name, pending.id, {
      ...wrong,
      passphrase: SECOND_CUSTODIAN.passphrase,
    });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    const [row] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.id, pending.id));
    expect(row.status).toBe("pending");
    expect(row.grantCipher).toBeNull();
    const failed = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "identity.approve_failed"));
    expect(failed).toHaveLength(3);
    expect(
      failed.every((f) => f.actor === `staff:${SECOND_CUSTODIAN.name}` && f.caseId === realCase.id),
    ).toBe(true);
    // Another custodian is not throttled by it.
    const ok = await decide(CUSTODIAN.name, pending.id, { decision: "deny", reason: "由本人重新申请" });
    expect(ok.status).toBe(200);
  });

  it("erases the details at expiry: the view refuses past expires_at, the purge nulls the cipher", async () => {
    const [before] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.id, requestId));
    expect(before.grantCipher).not.toBeNull();
    await travel(7 * DAY_MS + 60_000);
    const res = await contact("requester", requestId);
    expect(res.status).toBe(410);
    expect(await res.text()).not.toContain("王晓明");
    const [after] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.id, requestId));
    expect(after.status).toBe("expired");
    expect(after.grantCipher).toBeNull();
    const expiredEvents = await rig.deps.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.kind, "identity_grant_expired"));
    expect(expiredEvents.map((e) => [e.data, e.isPublic])).toEqual([[{ requestId }, false]]);
    expect(
      await rig.deps.db.select().from(auditLog).where(eq(auditLog.action, "identity.expire")),
    ).toHaveLength(1);
    // Purging again changes nothing.
    expect(await purgeExpiredGrants(rig.deps)).toEqual({ expired: 0 });
    const approved = await call(cookies[CUSTODIAN.name], "GET", "/identity-requests?status=approved");
    expect((await expectResponse(approved, identityRequestsRoute, 200)).items).toEqual([]);
    const expired = await call(cookies[CUSTODIAN.name], "GET", "/identity-requests?status=expired");
    expect((await expectResponse(expired, identityRequestsRoute, 200)).items.map((i) => i.id)).toEqual([
      requestId,
    ]);
  });

  it("an approved grant nobody reads is erased by the next access of anyone (lazy purge)", async () => {
    const res = await ask("requester", realCase.id, "再次电话联系举报人补充材料");
    const { request } = await expectResponse(res, createIdentityRequestRoute, 201);
    const ok = await decide(CUSTODIAN.name, request.id, {
      decision: "approve",
      reason: APPROVE_REASON,
      passphrase: CUSTODIAN.passphrase,
    });
    expect(ok.status).toBe(200);
    await travel(8 * DAY_MS);
    // A custodian merely lists pending requests.
    expect((await call(cookies[CUSTODIAN.name], "GET", "/identity-requests")).status).toBe(200);
    const [row] = await rig.deps.db
      .select()
      .from(identityRequests)
      .where(eq(identityRequests.id, request.id));
    expect(row.status).toBe("expired");
    expect(row.grantCipher).toBeNull();
  });

  it.runIf(kind === "postgres")(
    "`npm run admin -- identity purge-grants` erases a grant whose time is up",
    async () => {
      const res = await ask("requester", realCase.id, "第三次联系举报人确认补充材料");
      const { request } = await expectResponse(res, createIdentityRequestRoute, 201);
      expect(
        (
          await decide(CUSTODIAN.name, request.id, {
            decision: "approve",
            reason: APPROVE_REASON,
            passphrase: CUSTODIAN.passphrase,
          })
        ).status,
      ).toBe(200);
      // The CLI runs on the wall clock: move this grant's end into the past instead.
      await rig.deps.db
        .update(identityRequests)
        .set({ expiresAt: new Date(Date.now() - 60_000) })
        .where(eq(identityRequests.id, request.id));
      let out = "";
      const sink = new Writable({
        write(chunk, _e, cb) {
          out += chunk.toString();
          cb();
        },
      });
      const code = await runCli(commands, ["identity", "purge-grants"], {
        env: { DATABASE_URL: rig.db.url, DATA_DIR: dir },
        io: { stdin: Readable.from([]), stdout: sink, stderr: sink },
      });
      expect(code).toBe(0);
      expect(out).toContain("expired grants erased: 1");
      const [row] = await rig.deps.db
        .select()
        .from(identityRequests)
        .where(eq(identityRequests.id, request.id));
      expect(row.status).toBe("expired");
      expect(row.grantCipher).toBeNull();
    },
  );

  it("keeps the reporter's name and phone out of every log line and every unsealed column", async () => {
    const logs = rig.logs.join("\n");
    for (const secret of REPORTER_SECRETS) expect(logs).not.toContain(secret);
    expect(await findInDatabase(rig.deps.db, REPORTER_SECRETS)).toEqual([]);
  });
});
