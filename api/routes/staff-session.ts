import { createRoute } from "@hono/zod-openapi";
import { readJson } from "../http/body";
import { clientSource } from "../http/client-source";
import { staffCtx } from "../http/ctx";
import { looseFields, objectFields } from "../http/fields";
import {
  errorAnswers,
  JSON_BODY_ERRORS,
  json,
  jsonBody,
  mount,
  routeGroup,
  staffRoute,
  staffSecurity,
} from "../http/openapi";
import {
  clearedSessionCookie,
  isSecureRequest,
  readSessionCookie,
  sessionCookie,
} from "../services/staff/cookie";
import { login } from "../services/staff/login";
import {
  LoginRequest,
  SessionAnswer,
  TotpBeginRequest,
  TotpCodeRequest,
  TotpEnrolment,
  TotpState,
} from "../services/staff/schemas";
import { deleteSession } from "../services/staff/session";
import { beginTotpEnrolment, confirmTotpEnrolment, resetOwnTotp } from "../services/staff/totp";
import { staffView } from "../services/staff/view";

const Session = SessionAnswer.openapi("StaffSession");
/** Password checks back off per account (services/staff/backoff.ts). */
const BACKOFF = { 429: "password back-off (Retry-After)" } as const;

export const loginRoute = createRoute({
  method: "post",
  path: "/session",
  operationId: "login",
  summary: "Log in; the answer sets the session cookie (qf_staff: HttpOnly, SameSite=Strict)",
  request: {
    body: jsonBody(LoginRequest.openapi("Login")),
  },
  responses: {
    200: json(Session, "staff and session cookie"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      401: "wrong credentials",
      403: "TOTP enrolment required / cross-site",
      429: "throttled (Retry-After)",
    }),
  },
});

export const sessionRoute = staffRoute({
  method: "get",
  path: "/session",
  operationId: "currentSession",
  summary: "Who is logged in",
  responses: { 200: json(Session, "staff") },
});

export const logoutRoute = createRoute({
  method: "delete",
  path: "/session",
  operationId: "logout",
  summary: "Log out (any cookie, even an expired one, or none)",
  security: staffSecurity,
  responses: {
    204: { description: "logged out; the cookie is cleared" },
    ...errorAnswers({ 403: "cross-site request" }),
  },
});

export const totpBeginRoute = staffRoute({
  method: "post",
  path: "/account/totp",
  operationId: "beginTotpEnrolment",
  summary: "Start TOTP enrolment ({ password }: the current password)",
  request: { body: jsonBody(TotpBeginRequest) },
  responses: {
    200: json(TotpEnrolment.openapi("TotpEnrolment"), "secret and otpauth URI"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      409: "TOTP already enabled",
      422: "password missing or wrong",
      ...BACKOFF,
    }),
  },
});

export const totpConfirmRoute = staffRoute({
  method: "post",
  path: "/account/totp/confirm",
  operationId: "confirmTotpEnrolment",
  summary: "Confirm TOTP enrolment ({ code, password })",
  request: { body: jsonBody(TotpCodeRequest) },
  responses: {
    200: json(TotpState, "enrolled"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      409: "TOTP already enabled / enrolment not started",
      422: "wrong code or password",
      ...BACKOFF,
    }),
  },
});

export const totpResetRoute = staffRoute({
  method: "post",
  path: "/account/totp/reset",
  operationId: "resetOwnTotp",
  summary: "Turn one's own TOTP off ({ password, code }) to enrol again",
  request: { body: jsonBody(TotpCodeRequest) },
  responses: {
    200: json(TotpState, "TOTP off"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      409: "TOTP not enabled",
      422: "wrong code or password",
      ...BACKOFF,
    }),
  },
});

/** /api/v1/staff/session and the signed-in person's own account (TOTP enrolment). */
export function staffSessionRoutes() {
  const r = routeGroup();

  mount(r, loginRoute, async (c) => {
    const deps = c.get("deps");
    const body = objectFields(await readJson(c, 8 * 1024), LoginRequest);
    const res = await login({
      ctx: { deps, requestId: c.get("requestId"), actor: { kind: "system", name: "login" } },
      input: { username: body.username, password: body.password, totp: body.totp, source: clientSource(c) },
    });
    c.header("Set-Cookie", sessionCookie(res.token, isSecureRequest(deps.config, c.req.raw)));
    c.header("Cache-Control", "no-store");
    return c.json({ staff: res.staff }, 200);
  });

  mount(r, sessionRoute, (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ staff: staffView(c.get("deps"), c.get("staff")!) }, 200);
  });

  // Logging out works with any cookie, even an expired one: the answer is always 204.
  mount(r, logoutRoute, async (c) => {
    const deps = c.get("deps");
    await deleteSession(
      deps,
      readSessionCookie(c.req.header("cookie"), isSecureRequest(deps.config, c.req.raw)),
    );
    c.header("Set-Cookie", clearedSessionCookie(isSecureRequest(deps.config, c.req.raw)));
    c.header("Cache-Control", "no-store");
    return c.body(null, 204);
  });

  // TOTP changes need the current password (api/services/staff/reauth.ts), not just the cookie.
  mount(r, totpBeginRoute, async (c) => {
    const body = looseFields(await readJson(c, 4096), TotpBeginRequest);
    const out = await beginTotpEnrolment({ ctx: staffCtx(c), input: { password: body.password } });
    c.header("Cache-Control", "no-store");
    return c.json(out, 200);
  });

  mount(r, totpConfirmRoute, async (c) => {
    const body = looseFields(await readJson(c, 4096), TotpCodeRequest);
    await confirmTotpEnrolment({ ctx: staffCtx(c), input: { code: body.code, password: body.password } });
    c.header("Cache-Control", "no-store");
    return c.json({ enabled: true }, 200);
  });

  mount(r, totpResetRoute, async (c) => {
    const body = looseFields(await readJson(c, 4096), TotpCodeRequest);
    await resetOwnTotp({ ctx: staffCtx(c), input: { code: body.code, password: body.password } });
    c.header("Cache-Control", "no-store");
    return c.json({ enabled: false }, 200);
  });

  return r;
}
