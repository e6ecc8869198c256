// One error shape for the whole API: application/problem+json (RFC 9457), see DESIGN.md.
export { isDatabaseUnavailable } from "../db/errors";

import { fieldMessage } from "../messages/errors";
export interface FieldError {
  path: string;
  message: string;
  /** Stable machine code; pages look it up in site/i18n to show the message in their language. */
  code: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  allowedActions?: string[];
  requestId?: string;
}

/** A field error from its stable code; the words come from the message catalogue (messages/). */
export function fieldError(path: string, code: string): FieldError {
  return { path, code, message: fieldMessage(code) };
}

export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: string,
    title: string,
    opts: {
      detail?: string;
      errors?: FieldError[];
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(title);
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = opts.detail;
    this.errors = opts.errors;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }

  toBody(requestId?: string): ProblemBody {
    return {
      type: `https://qingfeng.invalid/problems/${this.type}`,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
      ...(requestId ? { requestId } : {}),
    };
  }
}

export const problems = {
  malformed: (detail = "请求体不是有效的 JSON。The request body is not valid JSON.") =>
    new Problem(400, "malformed", "请求格式错误 Malformed request", { detail }),
  tooLarge: (detail = "请求体过大。The request body is too large.") =>
    new Problem(413, "too-large", "内容过大 Payload too large", { detail }),
  mediaType: (
    detail = "请使用 application/json 或 multipart/form-data。Use application/json or multipart/form-data.",
  ) => new Problem(415, "unsupported-media-type", "不支持的内容类型 Unsupported media type", { detail }),
  invalid: (errors: FieldError[]) =>
    new Problem(422, "invalid-fields", "填写的内容有误 Some fields are invalid", {
      detail: "请按提示修改后重新提交。Please correct the fields listed and submit again.",
      errors,
    }),
  notFound: (detail?: string) => new Problem(404, "not-found", "未找到 Not found", { detail }),
  unauthorized: () =>
    new Problem(401, "unauthorized", "未登录或登录已过期 Not signed in", {
      detail: "用户名、密码或动态口令不正确，或会话已过期。Wrong credentials or expired session.",
    }),
  forbidden: (detail?: string) => new Problem(403, "forbidden", "无权操作 Forbidden", { detail }),
  conflict: (detail: string, extra?: Record<string, unknown>) =>
    new Problem(409, "conflict", "操作冲突 Conflict", { detail, extra }),
  throttled: (retryAfterSeconds: number) =>
    new Problem(429, "throttled", "请求过于频繁 Too many requests", {
      detail: `请 ${retryAfterSeconds} 秒后再试。Please try again in ${retryAfterSeconds} seconds.`,
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
  unavailable: (retryAfterSeconds = 5) =>
    new Problem(503, "unavailable", "服务暂不可用 Service unavailable", {
      detail: "请稍后再试，您提交的内容没有被保存。Please try again shortly; nothing was stored.",
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
};
