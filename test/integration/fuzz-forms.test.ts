import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_FORM_FIELDS } from "../helpers/reports";
import { type RunningServer, startServer } from "../helpers/server";

const FIELDS = [...REPORT_FORM_FIELDS, "captcha", "idempotencyKey"];

const hostile = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom(
    "<script>alert(1)</script>",
    "'; DROP TABLE cases; --",
    "\u0000\u202e\ufeff",
    "430102199003071234",
    "true",
    "false",
    "430112",
    "county",
    "x".repeat(30_000),
    "",
  ),
);

/** Hostile form posts to the pages' own handlers (/report, /track and their English twins). */
describe("fuzzing the form handlers of the built server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server?.stop());

  const post = (path: string, body: BodyInit, type?: string) =>
    fetch(`${server.origin}${path}`, {
      method: "POST",
      headers: { origin: server.origin, ...(type ? { "content-type": type } : {}) },
      body,
    });

  it("the report form answers every hostile post with a page, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...FIELDS), hostile, { maxKeys: FIELDS.length }),
        fc.constantFrom("/report", "/en/report"),
        fc.boolean(),
        async (fields, path, multipart) => {
          let res: Response;
          if (multipart) {
            const form = new FormData();
            for (const [k, v] of Object.entries(fields)) form.append(k, v);
            res = await post(path, form);
          } else {
            res = await post(
              path,
              new URLSearchParams(fields).toString(),
              "application/x-www-form-urlencoded",
            );
          }
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get("content-type")).toContain("text/html");
          expect(res.headers.get("cache-control")).toBe("no-store");
          // Kept input comes back inside quoted attribute values, where it is inert; anywhere
          // else it must have been escaped.
          const html = (await res.text()).replace(/="[^"]*"/g, '=""');
          expect(html).not.toContain("<script>alert(1)</script>");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the tracking form answers every hostile post with a page, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          intent: fc.oneof(fc.constantFrom("lookup", "message"), hostile),
          trackingCode: hostile,
          body: hostile,
        }),
        fc.constantFrom("/track", "/en/track"),
        async (fields, path) => {
          const res = await post(
            path,
            new URLSearchParams(fields).toString(),
            "application/x-www-form-urlencoded",
          );
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get("content-type")).toContain("text/html");
          await res.arrayBuffer();
        },
      ),
      { numRuns: 150 },
    );
  });

  it("malformed bodies: wrong type, broken multipart, oversized", async () => {
    const cases: [string, BodyInit, string][] = [
      ["/report", "{not a form", "application/json"],
      ["/report", "--x\r\nbroken", "multipart/form-data; boundary=x"],
      ["/report", new Uint8Array([0xff, 0xfe, 0x00, 0x01]), "application/x-www-form-urlencoded"],
      ["/track", "trackingCode=%E0%A4%A", "application/x-www-form-urlencoded"],
    ];
    for (const [path, body, type] of cases) {
      const res = await post(path, body, type);
      expect(res.status, `${path} ${type}`).toBeLessThan(500);
      await res.arrayBuffer();
    }
    const big = new FormData();
    big.set("title", "x");
    big.append("files", new Blob([new Uint8Array(70 * 1024 * 1024)]), "big.bin");
    const res = await post("/report", big);
    expect(res.status).toBe(413);
    await res.arrayBuffer();
    // The server still answers afterwards.
    expect((await fetch(`${server.origin}/api/v1/healthz`)).status).toBe(200);
  });
});
