import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "../../api/http/origin-check";

const req = (method: string, headers: Record<string, string>, url = "http://portal.test/report") =>
  new Request(url, { method, headers });

describe("cross-site refusal", () => {
  it("lets reads through whatever their origin", () => {
    expect(isCrossSiteRequest(req("GET", { origin: "https://evil.example" }))).toBe(false);
  });
  it("accepts a post from this origin, and from its https origin behind a proxy", () => {
    expect(isCrossSiteRequest(req("POST", { origin: "http://portal.test" }))).toBe(false);
    expect(
      isCrossSiteRequest(req("POST", { origin: "https://portal.test", "x-forwarded-proto": "https" })),
    ).toBe(false);
  });
  it("refuses a post from another origin, even claiming same-origin fetch metadata", () => {
    expect(isCrossSiteRequest(req("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(
      isCrossSiteRequest(
        req("POST", { origin: "http://portal.test.evil.example", "sec-fetch-site": "same-origin" }),
      ),
    ).toBe(true);
  });
  it("accepts Origin: null only with Sec-Fetch-Site: same-origin (no-referrer pages)", () => {
    expect(isCrossSiteRequest(req("POST", { origin: "null", "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(isCrossSiteRequest(req("POST", { origin: "null", "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossSiteRequest(req("POST", { origin: "null" }))).toBe(true);
  });
  it("treats a post without Origin as a non-browser client unless fetch metadata says cross-site", () => {
    expect(isCrossSiteRequest(req("POST", {}))).toBe(false);
    expect(isCrossSiteRequest(req("POST", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossSiteRequest(req("DELETE", { "sec-fetch-site": "same-site" }))).toBe(true);
  });
});
