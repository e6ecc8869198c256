import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { tableNames } from "../helpers/inspect";
import { anonymousReport, realNameReport } from "../helpers/reports";

/**
 * Hostile input against every public endpoint: whatever arrives, the answer is a 2xx (valid
 * input) or a 4xx problem+json — never a 500 — and a rejected request changes no table.
 * Runs are bounded so the file takes well under a minute on PGlite (fewer on PostgreSQL, whose
 * round trips cost more).
 */
const SCALE = { pglite: 1, postgres: 0.5 };

const hostileStrings = [
  "' OR 1=1; DROP TABLE cases; --",
  '"); DELETE FROM case_events; --',
  "<script>alert(document.cookie)</script>",
  "<img src=x onerror=alert(1)>",
  "{{7*7}}$" + "{7*7}<%= 7*7 %>", // template injection probes
  "\u0000\u0001\u001f\u007f",
  "\u202eevil\u202c\u200b\ufeff",
  "\ud800", // a lone surrogate
  "😀".repeat(3000),
  "../../../../etc/passwd",
  "%00%0d%0a",
  "A".repeat(70_000),
  "430102199003071234",
  "ABCDE-12345-FGHJK-67890",
  "null",
  "",
  " ",
];

const hostileString = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.integer({ min: 0, max: 300_000 }).map((n) => "x".repeat(n)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 4 }),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 5 }),
);

const deep = fc
  .integer({ min: 1, max: 120_000 })
  .chain((d) =>
    fc.constantFrom(
      "[".repeat(d) + "]".repeat(d),
      `${'{"a":'.repeat(Math.min(d, 40_000))}1${"}".repeat(Math.min(d, 40_000))}`,
    ),
  );

/** A valid report with one field (possibly nested) replaced, added or removed. */
const mutatedReport = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom(
      "type",
      "realName",
      "reporter",
      "reporter.name",
      "reporter.idNumber",
      "reporter.phone",
      "subject",
      "subject.divisionCode",
      "subject.managementLevel",
      "category",
      "title",
      "body",
      "captcha",
      "extra",
      "__proto__",
      "constructor",
    ),
    hostileValue,
    fc.boolean(),
  )
  .map(([real, path, value, remove]) => {
    const r = JSON.parse(JSON.stringify(real ? realNameReport() : anonymousReport())) as Record<
      string,
      unknown
    >;
    const [a, b] = path.split(".");
    if (b && (typeof r[a] !== "object" || r[a] === null)) r[a] = {};
    const target = (b ? r[a] : r) as Record<string, unknown>;
    const key = b ?? a;
    if (remove) delete target[key];
    else target[key] = value;
    return JSON.stringify(r);
  });

const randomBytes = fc.uint8Array({ maxLength: 2000 });
const invalidUtf8 = fc.constantFrom(
  new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  new Uint8Array([0xc3, 0x28]),
  new Uint8Array([0xed, 0xa0, 0x80]),
  new Uint8Array([0xf8, 0x88, 0x80, 0x80, 0x80]),
);

const jsonContentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/problem+json",
  "APPLICATION/JSON",
);
const wrongContentType = fc.constantFrom(
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/xml",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "image/png",
  "",
  "application/jsonx",
);

type Req = { body?: string | Uint8Array; type?: string; headers?: Record<string, string> };

const jsonBody = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, jsonContentType).map(([body, type]): Req => ({ body, type }));

/** Any body at all, for any JSON endpoint. */
const anyJsonRequest = (valid: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: jsonBody(valid) },
    { weight: 2, arbitrary: jsonBody(fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v))) },
    { weight: 1, arbitrary: jsonBody(deep) },
    { weight: 1, arbitrary: jsonBody(hostileString) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.oneof(randomBytes, invalidUtf8), jsonContentType)
        .map(([body, type]) => ({ body, type })),
    },
    { weight: 1, arbitrary: fc.tuple(valid, wrongContentType).map(([body, type]) => ({ body, type })) },
    { weight: 1, arbitrary: valid.map((body): Req => ({ body })) },
  );

const trackBody = fc.oneof(
  fc.record({ trackingCode: hostileValue }).map((v) => JSON.stringify(v)),
  fc
    .string({
      minLength: 20,
      maxLength: 30,
      unit: fc.constantFrom(..."0123456789ABCDEFGHJKMNPQRSTVWXYZOIL- "),
    })
    .map((c) => JSON.stringify({ trackingCode: c })),
  hostileValue.map((v) => JSON.stringify(v)),
);

const messageBody = fc
  .record(
    { trackingCode: fc.oneof(hostileValue, fc.constant("ABCDE-12345-FGHJK-67890")), body: hostileValue },
    { requiredKeys: [] },
  )
  .map((v) => JSON.stringify(v));

/** Multipart bodies: a report part (valid, mutated, junk or missing), random files, odd parts. */
const multipartRequest = fc
  .record({
    report: fc.option(fc.oneof(mutatedReport, hostileString), { nil: undefined }),
    reportAsFile: fc.boolean(),
    files: fc.array(
      fc.record({
        name: hostileString.map((s) => s.slice(0, 300)),
        type: fc.constantFrom("image/jpeg", "application/pdf", "", "text/html", "application/x-msdownload"),
        data: fc.oneof(
          randomBytes,
          fc.constant(new TextEncoder().encode("%PDF-1.4 not really")),
          fc.constant(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])),
        ),
      }),
      { maxLength: 7 },
    ),
    extra: fc.array(
      fc.tuple(
        hostileString.map((s) => s.slice(0, 50)),
        hostileString.map((s) => s.slice(0, 500)),
      ),
      { maxLength: 3 },
    ),
  })
  .map(async ({ report, reportAsFile, files, extra }): Promise<Req> => {
    const form = new FormData();
    if (report !== undefined) {
      if (reportAsFile) form.set("report", new Blob([report], { type: "application/json" }), "report.json");
      else form.set("report", report);
    }
    for (const f of files)
      form.append("files", new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type }), f.name || "x");
    for (const [k, v] of extra) form.append(k || "k", v);
    const encoded = new Response(form);
    return {
      body: new Uint8Array(await encoded.arrayBuffer()),
      type: encoded.headers.get("content-type")!,
    };
  });

const brokenMultipart = fc
  .tuple(fc.string({ maxLength: 40 }), randomBytes)
  .map(([boundary, bytes]): Req => ({ body: bytes, type: `multipart/form-data; boundary=${boundary}` }));

describe.each(dbKinds())("hostile input on %s", (kind) => {
  let rig: TestRig;
  let countSql: ReturnType<typeof sql>;
  const runs = (n: number) => Math.max(20, Math.round(n * SCALE[kind]));

  async function totalRows(): Promise<number> {
    const r = (await rig.deps.db.execute(countSql)) as unknown as { n: number }[] | { rows: { n: number }[] };
    return Number((Array.isArray(r) ? r : r.rows)[0].n);
  }

  /** Sends; checks the answer's shape; checks that a rejected request left every table as it was. */
  async function check(method: string, path: string, req: Req): Promise<number> {
    const before = await totalRows();
    const headers: Record<string, string> = { ...req.headers };
    if (req.type !== undefined && req.type !== "") headers["content-type"] = req.type;
    const res = await rig.app.request(path, { method, headers, body: req.body as BodyInit | undefined });
    const text = await res.text();
    expect(res.status, `${method} ${path} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const problem = JSON.parse(text) as { type: string; title: string; status: number };
      expect(problem.status).toBe(res.status);
      expect(typeof problem.type).toBe("string");
      expect(typeof problem.title).toBe("string");
      expect(await totalRows()).toBe(before);
    }
    return res.status;
  }

  beforeAll(async () => {
    rig = await createRig(kind);
    const tables = (await tableNames(rig.deps.db)).filter((t) => !t.startsWith("__"));
    countSql = sql.raw(
      `select (${tables.map((t) => `(select count(*) from "${t}")`).join(" + ")})::int as n`,
    );
  });
  afterAll(async () => rig?.destroy());

  it("POST /reports (JSON)", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(anyJsonRequest(mutatedReport), async (req) => {
        statuses.add(await check("POST", "/api/v1/reports", req));
      }),
      { numRuns: runs(700) },
    );
    expect([...statuses].some((s) => s === 201)).toBe(true); // the generator does reach valid reports
    expect([...statuses].some((s) => s === 422)).toBe(true);
  });

  it("POST /reports (multipart)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 5, arbitrary: multipartRequest },
          { weight: 1, arbitrary: brokenMultipart.map(async (r) => r) },
        ),
        async (reqP) => {
          await check("POST", "/api/v1/reports", await reqP);
        },
      ),
      { numRuns: runs(300) },
    );
  });

  it("POST /reports over the size limit", async () => {
    for (const n of [256 * 1024 + 1, 2 * 1024 * 1024]) {
      expect(
        await check("POST", "/api/v1/reports", { body: `"${"x".repeat(n)}"`, type: "application/json" }),
      ).toBe(413);
    }
  });

  it("POST /track", async () => {
    await fc.assert(
      fc.asyncProperty(anyJsonRequest(trackBody), async (req) => {
        await check("POST", "/api/v1/track", req);
      }),
      { numRuns: runs(500) },
    );
  });

  it("POST /track/messages", async () => {
    await fc.assert(
      fc.asyncProperty(anyJsonRequest(messageBody), async (req) => {
        await check("POST", "/api/v1/track/messages", req);
      }),
      { numRuns: runs(500) },
    );
  });

  it("GET reference endpoints, any query and headers; other methods 404", async () => {
    const paths = ["/api/v1/captcha", "/api/v1/divisions", "/api/v1/categories", "/api/v1/healthz"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.string({ maxLength: 100 }),
        fc.oneof(
          hostileString.map((s) => s.slice(0, 500)),
          fc.constantFrom("en", "en-US,en;q=0.9", "zh-CN"),
        ),
        fc.constantFrom("GET", "GET", "GET", "PUT", "DELETE", "PATCH", "POST"),
        async (path, query, lang, method) => {
          let headerValue = lang.replace(/[^\x20-\x7e]/g, "");
          if (headerValue.length === 0) headerValue = "x";
          const status = await check(method, `${path}?${encodeURIComponent(query)}`, {
            headers: { "accept-language": headerValue },
            ...(method === "GET" ? {} : { body: "{}", type: "application/json" }),
          });
          if (method === "GET") expect(status).toBe(200);
          else expect(status).toBe(404);
        },
      ),
      { numRuns: runs(300) },
    );
  });
});
