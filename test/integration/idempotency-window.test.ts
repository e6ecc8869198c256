import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportRoute } from "../../api/routes/public";
import { purgeIdempotency } from "../../api/services/intake/purge-idempotency";
import { expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";

/** Idempotency records answer retries within their window, then are gone; none links to its case. */
describe.each(dbKinds())("the Idempotency-Key window on %s", (kind) => {
  let rig: TestRig;
  let now = new Date("2026-03-02T01:00:00Z");
  beforeAll(async () => {
    rig = await createRig(kind, { now: () => now, env: { IDEMPOTENCY_HOURS: "24" } });
  });
  afterAll(async () => rig?.destroy());

  const post = (body: unknown, key: string) =>
    rig.app.request("/api/v1/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(body),
    });

  it("keeps no column that links a record to its case", async () => {
    const cols = await rig.deps.db.execute(
      sql`select column_name from information_schema.columns where table_name = 'idempotency_keys'`,
    );
    const names =
      (cols as unknown as { rows?: { column_name: string }[] }).rows ??
      (cols as unknown as { column_name: string }[]);
    expect(names.map((c) => c.column_name).sort()).toEqual([
      "created_at",
      "key_hash",
      "request_hash",
      "response_sealed",
    ]);
  });

  it("answers a retry within the window with the first answer, and after it files afresh", async () => {
    const body = anonymousReport({ title: "窗口测试" });
    const first = await (await post(body, "win-1")).json();
    now = new Date(now.getTime() + 23 * 3_600_000);
    const retry = await post(body, "win-1");
    expect(await retry.json()).toEqual(first);
    const before = await rowCounts(rig.deps.db);
    now = new Date(now.getTime() + 2 * 3_600_000); // 25 h after the first
    const late = await post(body, "win-1");
    expect(late.status).toBe(201);
    const lateBody = await expectResponse(late, reportRoute, 201);
    expect(lateBody.trackingCode).not.toBe(first.trackingCode);
    const after = await rowCounts(rig.deps.db);
    expect(after.cases).toBe(before.cases + 1);
    expect(after.idempotency_keys).toBe(before.idempotency_keys); // the old record replaced by the new
  });

  it("purges every record past the window and keeps the fresh ones", async () => {
    await post(anonymousReport({ title: "旧的" }), "old-1");
    await post(anonymousReport({ title: "旧的二" }), "old-2");
    now = new Date(now.getTime() + 25 * 3_600_000);
    const ctx = { deps: rig.deps, actor: { kind: "system" as const, name: "test" }, requestId: "t" };
    // Nothing has triggered the periodic purge since the clock moved: the verb does the work.
    expect((await rowCounts(rig.deps.db)).idempotency_keys).toBe(3);
    expect(await purgeIdempotency({ ctx, input: {} })).toBe(3);
    expect((await rowCounts(rig.deps.db)).idempotency_keys).toBe(0);
    await post(anonymousReport({ title: "新的" }), "fresh-1");
    expect(await purgeIdempotency({ ctx, input: {} })).toBe(0);
    expect((await rowCounts(rig.deps.db)).idempotency_keys).toBe(1);
    // The fresh record still answers its retry.
    const again = await post(anonymousReport({ title: "新的" }), "fresh-1");
    expect(again.status).toBe(201);
    expect((await rowCounts(rig.deps.db)).idempotency_keys).toBe(1);
  });
});
