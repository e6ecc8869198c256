// A problem carries codes; its words come from messages/ when its body is made, in the API's
// "中文 English" form. The @ts-expect-error lines fail `tsc --noEmit` if a free sentence or a code
// outside the closed lists ever type-checks again.
import { describe, expect, it } from "vitest";
import {
  accountFieldError,
  fieldError,
  Problem,
  problems,
  withFacts,
  workflowFieldError,
} from "../../api/errors";
import { FIELD_MESSAGES } from "../../messages/errors";
import { PROBLEM_DETAILS, PROBLEM_TITLES } from "../../messages/problems";

describe("problem words", () => {
  it("a title and a detail in both languages for each code", () => {
    // Every parameter any detail takes, so each message can be said.
    const params = {
      retryAfterSeconds: 5,
      requestId: "r1",
      username: "u",
      action: "register",
      file: "f",
      why: "w",
      summary: "s",
    };
    const details = Object.values(PROBLEM_DETAILS).map((m) => (typeof m === "function" ? m(params) : m));
    for (const text of [...Object.values(PROBLEM_TITLES), ...details, ...Object.values(FIELD_MESSAGES)]) {
      expect(text.zh).toMatch(/\p{Script=Han}/u);
      expect(text.en).toMatch(/[A-Za-z]/);
      expect(`${text.zh}${text.en}`).not.toContain("undefined");
    }
  });

  it("renders codes as the API has always answered", () => {
    const body = problems.throttled(30).toBody("req-1");
    expect(body).toEqual({
      type: "https://qingfeng.invalid/problems/throttled",
      title: "请求过于频繁 Too many requests",
      status: 429,
      detail: "请 30 秒后再试。Please try again in 30 seconds.",
      requestId: "req-1",
    });
    expect(problems.throttled(30).headers).toEqual({ "Retry-After": "30" });
    expect(problems.notFound().toBody()).toEqual({
      type: "https://qingfeng.invalid/problems/not-found",
      title: "未找到 Not found",
      status: 404,
    });
    const p = problems.conflict(["staff.username_taken", { username: "li.si" }]);
    expect(p.detail).toBe("用户名 li.si 已存在。Username li.si already exists.");
    expect(p.message).toBe("操作冲突 Conflict");
    const pending = new Problem(409, "request-pending", {
      title: "request-denied",
      detail: "identity_request.still_pending",
    });
    expect(pending.toBody().type).toMatch(/\/request-pending$/);
    expect(pending.title).toBe("申请未获批准 Not approved");
  });

  it("field errors: the public API answers Chinese, the staff API both languages", () => {
    expect(fieldError("title", "required")).toEqual({
      path: "title",
      code: "required",
      message: "此项为必填项。",
    });
    expect(workflowFieldError("office", "office.not_lower").message).toBe(
      "只能转送或交办给本机关的下级纪委监委。 Forward or assign only to an office below your own.",
    );
    expect(accountFieldError("password", "password.length", { min: 12 }).message).toBe(
      "密码至少 12 个字符。 The password needs at least 12 characters.",
    );
    expect(withFacts(fieldError("(body)", "unknown_field"), ": x, y").message).toBe("不支持的字段。: x, y");
  });

  it("refuses codes outside the closed lists: tsc at compile time, and at run time", () => {
    // @ts-expect-error a sentence made in code is not a detail code
    expect(() => problems.notFound("未找到。Not found.").toBody()).toThrow(TypeError);
    // @ts-expect-error a field code without a message
    expect(() => fieldError("title", "no.such_code")).toThrow(TypeError);
    // @ts-expect-error a message that takes parameters needs them
    expect(() => accountFieldError("password", "password.length")).toThrow(TypeError);
    // @ts-expect-error a problem type outside the list
    expect(() => new Problem(400, "no-such-type")).toThrow(TypeError);
  });
});
