// One error shape for the whole API: application/problem+json (RFC 9457), see DESIGN.md.
// A Problem carries codes from closed lists (its type, a detail code and its parameters, the
// fields' codes); the words come from the message catalogue (messages/) when it is answered.
export { isDatabaseUnavailable } from "../db/errors";

import { FIELD_MESSAGES } from "../messages/errors";
import { PERSON_FIELD_MESSAGES } from "../messages/person-fields";
import { type DetailRef, type ProblemType, problemDetail, problemTitle } from "../messages/problems";
import {
  ACCOUNT_FIELD_MESSAGES,
  CALENDAR_FIELD_MESSAGES,
  IDENTITY_REQUEST_FIELD_MESSAGES,
  LEADER_FIELD_MESSAGES,
  UNSEAL_FIELD_MESSAGES,
  WORKFLOW_FIELD_MESSAGES,
} from "../messages/staff-fields";
import { bilingual, type Message, type ParamsOf, say, type Text } from "../messages/text";

export type { DetailRef, ProblemType } from "../messages/problems";

export interface FieldError {
  path: string;
  message: string;
  /** Stable machine code; pages look it up in messages/ to show the message in their language. */
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

/** A builder of one form's field errors: a code of its closed list (and its parameters) → FieldError. */
function fieldErrorsOf<M extends Record<string, Message>>(catalogue: M, words: (text: Text) => string) {
  return <C extends keyof M & string>(path: string, code: C, ...params: ParamsOf<M[C]>): FieldError => ({
    path,
    code,
    message: words(say(catalogue[code], ...params)),
  });
}

const bothLanguages = (text: Text) => bilingual(text);

/** A field error of the public API (report form, /track): the Chinese, as the citizen's pages read it. */
export const fieldError = fieldErrorsOf(FIELD_MESSAGES, (text) => text.zh);
/** Field errors of the staff API and the admin CLI, one builder per form, answered "中文 English". */
export const workflowFieldError = fieldErrorsOf(WORKFLOW_FIELD_MESSAGES, bothLanguages);
export const identityRequestFieldError = fieldErrorsOf(IDENTITY_REQUEST_FIELD_MESSAGES, bothLanguages);
export const unsealFieldError = fieldErrorsOf(UNSEAL_FIELD_MESSAGES, bothLanguages);
export const accountFieldError = fieldErrorsOf(ACCOUNT_FIELD_MESSAGES, bothLanguages);
export const calendarFieldError = fieldErrorsOf(CALENDAR_FIELD_MESSAGES, bothLanguages);
export const leaderFieldError = fieldErrorsOf(LEADER_FIELD_MESSAGES, bothLanguages);
export const personFieldError = fieldErrorsOf(PERSON_FIELD_MESSAGES, bothLanguages);

/** Adds facts to a field error's message: the names of unknown fields, a date. Data, never words. */
export function withFacts(error: FieldError, facts: string): FieldError {
  return { ...error, message: `${error.message}${facts}` };
}

export class Problem extends Error {
  readonly status: number;
  readonly type: ProblemType;
  /** The type whose title this problem shows (its own unless said otherwise). */
  readonly titleOf: ProblemType;
  readonly detailRef?: DetailRef;
  readonly errors?: FieldError[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: ProblemType,
    opts: {
      title?: ProblemType;
      detail?: DetailRef;
      errors?: FieldError[];
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(bilingual(problemTitle(opts.title ?? type)));
    this.status = status;
    this.type = type;
    this.titleOf = opts.title ?? type;
    this.detailRef = opts.detail;
    this.errors = opts.errors;
    this.extra = opts.extra ?? {};
    this.headers = opts.headers ?? {};
  }

  /** "中文 English", as the API answers. */
  get title(): string {
    return bilingual(problemTitle(this.titleOf));
  }

  /** "中文。English.", as the API answers. */
  get detail(): string | undefined {
    return this.detailRef === undefined ? undefined : bilingual(problemDetail(this.detailRef), "");
  }

  toBody(requestId?: string): ProblemBody {
    const detail = this.detail;
    return {
      type: `https://qingfeng.invalid/problems/${this.type}`,
      title: this.title,
      status: this.status,
      ...(detail ? { detail } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
      ...(requestId ? { requestId } : {}),
    };
  }
}

export const problems = {
  malformed: (detail: DetailRef = "body.not_json") => new Problem(400, "malformed", { detail }),
  tooLarge: (detail: DetailRef = "body.too_large") => new Problem(413, "too-large", { detail }),
  mediaType: (detail: DetailRef = "body.media_type") =>
    new Problem(415, "unsupported-media-type", { detail }),
  invalid: (errors: FieldError[], detail: DetailRef = "fields.invalid") =>
    new Problem(422, "invalid-fields", { detail, errors }),
  notFound: (detail?: DetailRef) => new Problem(404, "not-found", { detail }),
  unauthorized: () => new Problem(401, "unauthorized", { detail: "session.unauthorized" }),
  forbidden: (detail?: DetailRef) => new Problem(403, "forbidden", { detail }),
  conflict: (detail: DetailRef, extra?: Record<string, unknown>) =>
    new Problem(409, "conflict", { detail, extra }),
  throttled: (retryAfterSeconds: number) =>
    new Problem(429, "throttled", {
      detail: ["throttled", { retryAfterSeconds }],
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
  unavailable: (retryAfterSeconds = 5) =>
    new Problem(503, "unavailable", {
      detail: "unavailable",
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
  /** The opaque 500: only the request id, to quote. */
  internal: (requestId?: string) => new Problem(500, "internal", { detail: ["internal", { requestId }] }),
};
