import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../api/domain/workflow";
import { documentRoute } from "../../api/routes/document";
import { expectResponse } from "../helpers/contract";
import { createRig, type TestRig } from "../helpers/deps";

const served = (rig: TestRig) =>
  new Set(
    rig.app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  );

interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
  oneOf?: unknown[];
}
interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, Record<string, string>> };
}

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ where: `${method} ${path}`, path, method, op })),
  );

/** Every `$ref` anywhere in the document. */
function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe.each(["all", "public", "staff"] as const)("GET /api/v1/openapi.json with APP_ROLE=%s", (role) => {
  let rig: TestRig;
  let doc: Document;
  beforeAll(async () => {
    rig = await createRig("pglite", { env: { APP_ROLE: role } });
    const res = await rig.app.request("/api/v1/openapi.json");
    doc = (await expectResponse(res, documentRoute, 200)) as unknown as Document;
  });
  afterAll(async () => rig?.destroy());

  it("describes exactly the routes this process serves", async () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "清风 Qingfeng API", version: "1" });
    const described = new Set(operations(doc).map((o) => `${o.method} ${o.path}`));
    expect([...described].sort()).toEqual([...served(rig)].sort());
    if (role === "public") expect([...described].some((d) => d.includes("/staff/"))).toBe(false);
    if (role === "staff") expect(described.has("post /api/v1/reports")).toBe(false);
  });

  it("gives the report body and every staff action a schema", async () => {
    if (role !== "staff") {
      expect(Object.keys(doc.components.schemas.Report.properties ?? {})).toEqual(
        expect.arrayContaining(["type", "realName", "reporter", "subject", "category", "title", "body"]),
      );
    }
    if (role !== "public") expect(doc.components.schemas.Action.oneOf?.length).toBe(ACTIONS.length);
  });

  it("is a well-formed OpenAPI 3.1 document: unique operationIds, path parameters declared, refs resolve", () => {
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, path, op } of operations(doc)) {
      expect(op.summary, where).toBeTruthy();
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === "path")
        .map((p) => p.name)
        .sort();
      expect(declared, `${where}: path parameters`).toEqual(inPath);
      for (const p of op.parameters ?? []) expect(p.schema, `${where}: ${p.name}`).toBeDefined();
    }
    for (const ref of refsIn(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split("/").pop()!], ref).toBeDefined();
    }
  });

  it("declares a request schema for every body and a response schema for every answer", () => {
    for (const { where, method, op } of operations(doc)) {
      if (op.requestBody) {
        const media = Object.values(op.requestBody.content);
        expect(media.length, where).toBeGreaterThan(0);
        for (const m of media) expect(m.schema, `${where} request`).toBeDefined();
      }
      // Every POST but the two that take no body (claiming) carries one.
      if (method === "post" && !where.endsWith("/claim")) expect(op.requestBody, where).toBeDefined();
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => s.startsWith("2")),
        where,
      ).toBe(true);
      for (const status of statuses) {
        const answer = op.responses[status];
        expect(answer.description, `${where} ${status}`).toBeTruthy();
        if (status === "204") {
          expect(answer.content, `${where} 204`).toBeUndefined();
          continue;
        }
        const media = Object.entries(answer.content ?? {});
        expect(media.length, `${where} ${status}`).toBeGreaterThan(0);
        for (const [type, m] of media) {
          expect(m.schema, `${where} ${status} ${type}`).toBeDefined();
          // One error shape for the whole API (DESIGN.md); /healthz answers its own 503.
          if (Number(status) >= 400 && !(where === "get /api/v1/healthz" && status === "503")) {
            expect(type, `${where} ${status}`).toBe("application/problem+json");
            expect(m.schema?.$ref).toBe("#/components/schemas/Problem");
          }
        }
      }
    }
  });

  it("names the session cookie for every staff operation but login", () => {
    for (const { where, method, path, op } of operations(doc)) {
      const staffOnly =
        path.startsWith("/api/v1/staff/") && !(method === "post" && path.endsWith("/session"));
      expect(op.security ?? [], where).toEqual(staffOnly ? [{ session: [] }] : []);
    }
    if (role !== "public") {
      expect(doc.components.securitySchemes?.session).toMatchObject({
        type: "apiKey",
        in: "cookie",
        name: "qf_staff",
      });
    }
  });
});
