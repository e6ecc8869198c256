import { describe, expect, it } from "vitest";
import { REDACTED, redactOwnIdentifiers } from "../../api/domain/redact";

const ids = {
  name: "王晓明",
  phone: "13912345678",
  idNumber: "11010519491231002X",
  email: "wxm@example.com",
};

describe("redaction of the reporter's own identifiers", () => {
  it("removes name, phone, ID number and e-mail wherever they appear", () => {
    const text =
      "我是王晓明，电话13912345678，身份证11010519491231002X，邮箱wxm@example.com。王晓明再次反映。";
    const out = redactOwnIdentifiers(text, ids);
    for (const v of Object.values(ids)) expect(out).not.toContain(v);
    expect(out.split(REDACTED).length - 1).toBe(5);
    expect(out).toContain("再次反映");
  });
  it("finds numbers written with spaces, dashes, +86 and a lower-case x", () => {
    const out = redactOwnIdentifiers("手机 +86 139-1234-5678，证件 110105 19491231 002x", ids);
    expect(out).not.toMatch(/1234/);
    expect(out).not.toMatch(/19491231/);
  });
  it("leaves other people's names and numbers alone", () => {
    const text = "李四的电话是13800138000。";
    expect(redactOwnIdentifiers(text, ids)).toBe(text);
  });
  it("removes any e-mail address, even without a name given", () => {
    expect(redactOwnIdentifiers("联系 someone@qq.com", {})).toBe(`联系 ${REDACTED}`);
  });
  it("handles Latin names with any spacing and case, and regex metacharacters", () => {
    expect(redactOwnIdentifiers("I am JOHN  smith.", { name: "John Smith" })).toBe(`I am ${REDACTED}.`);
    expect(redactOwnIdentifiers("a+b (c)", { name: "a+b" })).toBe(`${REDACTED} (c)`);
  });
});
