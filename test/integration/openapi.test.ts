import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../api/domain/workflow";
import { createRig, type TestRig } from "../helpers/deps";

const served = (rig: TestRig) =>
  new Set(
    rig.app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  );

describe.each(["all", "public", "staff"] as const)("GET /api/v1/openapi.json with APP_ROLE=%s", (role) => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await createRig("pglite", { env: { APP_ROLE: role } });
  });
  afterAll(async () => rig?.destroy());

  it("describes exactly the routes this process serves", async () => {
    const res = await rig.app.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    const described = new Set(
      Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
    );
    expect([...described].sort()).toEqual([...served(rig)].sort());
    if (role === "public") expect([...described].some((d) => d.includes("/staff/"))).toBe(false);
    if (role === "staff") expect(described.has("post /api/v1/reports")).toBe(false);
  });

  it("gives the report body and every staff action a schema", async () => {
    const doc = (await (await rig.app.request("/api/v1/openapi.json")).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown>; oneOf?: unknown[] }> };
    };
    expect(Object.keys(doc.components.schemas.Report.properties ?? {})).toEqual(
      expect.arrayContaining(["type", "realName", "reporter", "subject", "category", "title", "body"]),
    );
    expect(doc.components.schemas.Action.oneOf?.length).toBe(ACTIONS.length);
  });
});
