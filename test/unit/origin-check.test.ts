import { describe, expect, it } from "vitest";
import { isSameOriginRequest, type OriginRule } from "../../api/http/origin-check";

const req = (method: string, headers: Record<string, string>, url = "http://portal.test/report") =>
  new Request(url, { method, headers });
const crossSite = (r: Request, rule: OriginRule = "public") => !isSameOriginRequest(r, rule);

describe("cross-site refusal (the public rule: citizen pages and API)", () => {
  it("lets reads through whatever their origin", () => {
    expect(crossSite(req("GET", { origin: "https://evil.example" }))).toBe(false);
  });
  it("accepts a post from this origin, and from its https origin behind a proxy", () => {
    expect(crossSite(req("POST", { origin: "http://portal.test" }))).toBe(false);
    expect(crossSite(req("POST", { origin: "https://portal.test", "x-forwarded-proto": "https" }))).toBe(
      false,
    );
  });
  it("refuses a post from another origin, even claiming same-origin fetch metadata", () => {
    expect(crossSite(req("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(
      crossSite(req("POST", { origin: "http://portal.test.evil.example", "sec-fetch-site": "same-origin" })),
    ).toBe(true);
  });
  it("accepts Origin: null only with Sec-Fetch-Site: same-origin (no-referrer pages)", () => {
    expect(crossSite(req("POST", { origin: "null", "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(crossSite(req("POST", { origin: "null", "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(crossSite(req("POST", { origin: "null" }))).toBe(true);
  });
  it("treats a post without Origin as a non-browser client unless fetch metadata says cross-site", () => {
    expect(crossSite(req("POST", {}))).toBe(false);
    expect(crossSite(req("POST", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(crossSite(req("DELETE", { "sec-fetch-site": "same-site" }))).toBe(true);
  });
});

describe("the staff rule (staff pages and the staff API): proof of same origin, nothing less", () => {
  const staff = (method: string, headers: Record<string, string>) => crossSite(req(method, headers), "staff");
  it("lets reads through and accepts this origin, and its https origin behind a proxy", () => {
    expect(staff("GET", { origin: "https://evil.example" })).toBe(false);
    expect(staff("POST", { origin: "http://portal.test" })).toBe(false);
    expect(staff("POST", { origin: "HTTP://PORTAL.TEST" })).toBe(false);
    expect(staff("PATCH", { origin: "https://portal.test", "x-forwarded-proto": "https" })).toBe(false);
  });
  it("refuses another origin whatever the fetch metadata says", () => {
    expect(staff("POST", { origin: "https://evil.example", "sec-fetch-site": "same-origin" })).toBe(true);
    expect(staff("DELETE", { origin: "http://portal.test:8080" })).toBe(true);
  });
  it("without an Origin, accepts only Sec-Fetch-Site: same-origin", () => {
    expect(staff("POST", { "sec-fetch-site": "same-origin" })).toBe(false);
    expect(staff("POST", {})).toBe(true);
    expect(staff("POST", { "sec-fetch-site": "none" })).toBe(true);
    expect(staff("PUT", { "sec-fetch-site": "same-site" })).toBe(true);
  });
  it("refuses Origin: null even with same-origin fetch metadata (where the public rule accepts it)", () => {
    expect(staff("POST", { origin: "null", "sec-fetch-site": "same-origin" })).toBe(true);
    expect(crossSite(req("POST", { origin: "null", "sec-fetch-site": "same-origin" }), "public")).toBe(false);
  });
  it("is never looser than the public rule", () => {
    const origins = [undefined, "null", "http://portal.test", "https://portal.test", "https://evil.example"];
    const sites = [undefined, "same-origin", "same-site", "cross-site", "none"];
    for (const method of ["GET", "POST", "PUT", "DELETE"])
      for (const origin of origins)
        for (const site of sites) {
          const h: Record<string, string> = {};
          if (origin) h.origin = origin;
          if (site) h["sec-fetch-site"] = site;
          if (crossSite(req(method, h), "public"))
            expect(staff(method, h), JSON.stringify({ method, h })).toBe(true);
        }
  });
});
