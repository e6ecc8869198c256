import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app";
import type { Deps } from "../../api/context";
import { isDatabaseUnavailable } from "../../api/errors";
import { reportRoute } from "../../api/routes/public";
import { type DbHandle, openDb } from "../../db/client";
import { handleReportRequest } from "../../site/components/report/handle-report";
import { expectProblem } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";

// Nothing listens on port 1: every query fails to connect, as while PostgreSQL restarts.
const DEAD_URL = "postgres://postgres@127.0.0.1:1/qingfeng";

describe("what counts as the database being unavailable", () => {
  it.each([
    [{ code: "ECONNREFUSED" }, true],
    [{ code: "CONNECTION_CLOSED" }, true],
    [{ code: "57P01", message: "terminating connection due to administrator command" }, true],
    [{ code: "57P03", message: "the database system is starting up" }, true],
    [{ code: "08006" }, true],
    [{ code: "53300" }, true],
    [{ name: "DrizzleQueryError", cause: { code: "57P01" } }, true],
    [{ errors: [{ code: "ECONNREFUSED" }, { code: "ECONNREFUSED" }] }, true],
    [{ code: "23505" }, false],
    [{ code: "22021" }, false],
    [new Error("boom"), false],
    [undefined, false],
  ])("%j → %s", (e, expected) => {
    expect(isDatabaseUnavailable(e)).toBe(expected);
  });
});

describe("while the database cannot be reached", () => {
  let rig: TestRig;
  let dead: DbHandle;
  let deadDeps: Deps;
  beforeAll(async () => {
    rig = await createRig("pglite");
    dead = await openDb({ url: DEAD_URL, max: 1 });
    deadDeps = { ...rig.deps, db: dead.db, dbKind: "postgres" };
  });
  afterAll(async () => {
    await dead?.close();
    await rig?.destroy();
  });

  it("the API answers 503 with Retry-After and says to try again, not 500", async () => {
    const app = createApp(deadDeps);
    const res = await app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(anonymousReport()),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = await expectProblem(res, reportRoute, 503);
    expect(body.status).toBe(503);
    expect(body.detail).toContain("请稍后再试");
    const track = await app.request("/api/v1/track", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ trackingCode: "00000-00000-00000-00000" }),
    });
    expect(track.status).toBe(503);
    expect((await app.request("/api/v1/healthz")).status).toBe(503);
  });

  it("the report page says 请稍后再试 and gives the form back as typed, with its key", async () => {
    const form = new FormData();
    form.set("type", "accusation");
    form.set("realName", "false");
    form.set("subject.name", "赵六");
    form.set("subject.unit", "望城区住建局");
    form.set("subject.managementLevel", "county");
    form.set("subject.divisionCode", "430112");
    form.set("category", "integrity");
    form.set("title", "工程款问题");
    form.set("body", "二〇二五年起多次收受工程老板财物，具体情况如下……");
    const key = crypto.randomUUID();
    form.set("idempotencyKey", key);
    const request = new Request("http://localhost/report", { method: "POST" });
    const ctx = { deps: deadDeps, requestId: crypto.randomUUID(), actor: { kind: "reporter" as const } };
    const state = await handleReportRequest(request, ctx, "zh", form);
    expect(state.kind).toBe("form");
    if (state.kind !== "form") return;
    expect(state.status).toBe(503);
    expect(state.problem).toContain("请稍后再试");
    expect(state.values.body).toContain("多次收受工程老板财物");
    expect(state.formKey).toBe(key);
  });
});

describe.skipIf(!dbKinds().includes("postgres"))("when PostgreSQL ends the connection mid-submission", () => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig("postgres", { dbMax: 2 });
  });
  afterAll(async () => rig?.destroy());

  it("answers 503, stores nothing, and the retry with the same key files it once", async () => {
    const postgres = (await import("postgres")).default;
    const admin = postgres(rig.db.url!, { max: 2, onnotice: () => {} });
    const before = await rowCounts(rig.deps.db);
    const report = anonymousReport({ title: "断线重试" });
    const send = () =>
      rig.app.request("/api/v1/reports", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "restart-1" },
        body: JSON.stringify(report),
      });
    // Hold the case table so the intake statement waits on it, then end that backend as a
    // restart (or a failover) does.
    const reserved = await admin.reserve();
    await reserved`begin`;
    await reserved`lock table cases in access exclusive mode`;
    const pending = send();
    let pid: number | undefined;
    while (pid === undefined) {
      const rows = await admin<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
      pid = rows[0]?.pid;
      if (pid === undefined) await new Promise((r) => setImmediate(r));
    }
    await admin`select pg_terminate_backend(${pid})`;
    const res = await pending;
    await reserved`rollback`;
    reserved.release();
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await rowCounts(rig.deps.db)).toEqual(before);

    const retry = await send();
    expect(retry.status).toBe(201);
    const again = await send();
    expect(await again.json()).toEqual(await retry.json());
    const after = await rowCounts(rig.deps.db);
    expect(after.cases).toBe(before.cases + 1);
    await admin.end();
  });
});
