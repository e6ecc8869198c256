import { describe, expect, it } from "vitest";
import { parseConfig } from "../../api/config";
import { readPageForm } from "../../site/lib/page-form";

const config = parseConfig({});
const post = (body: BodyInit, type: string) =>
  new Request("http://localhost/staff/login", { method: "POST", headers: { "content-type": type }, body });

describe("page forms with U+0000 (red-team: the login page answered 500)", () => {
  it("refuses a urlencoded form with a NUL in a value or a name as malformed", async () => {
    const type = "application/x-www-form-urlencoded";
    expect((await readPageForm(post("username=a%00&password=x", type), "/staff/login", config)).kind).toBe(
      "malformed",
    );
    expect((await readPageForm(post("user%00name=a&password=x", type), "/staff/login", config)).kind).toBe(
      "malformed",
    );
    const ok = await readPageForm(post("username=a&password=x", type), "/staff/login", config);
    expect(ok.kind).toBe("form");
  });

  it("refuses a multipart form with a NUL in a text field as malformed", async () => {
    const form = new FormData();
    form.set("trackingCode", "ABCDE\u0000");
    const req = new Request("http://localhost/track", { method: "POST", body: form });
    expect((await readPageForm(req, "/track", config)).kind).toBe("malformed");
  });
});
