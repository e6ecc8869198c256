import { Hono } from "hono";
import { z } from "zod";
import type { Config } from "../config";
import { ACTIONS, DISPOSITIONS } from "../domain/workflow";
import type { AppEnv } from "../http/env";
import { ACTION_FIELDS } from "../services/cases/inputs";
import { reportSchema } from "../services/intake/validate";

type Op = { summary: string; body?: unknown; answers: Record<string, string>; staff?: boolean };

const json = (schema: unknown) => ({ content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Every route the app serves, by role. The test compares this list with the app's own routes. */
export function describedRoutes(config: Pick<Config, "role">): Record<string, Record<string, Op>> {
  const citizen = config.role !== "staff";
  const staff = config.role !== "public";
  const routes: Record<string, Record<string, Op>> = {
    "/api/v1/healthz": {
      get: { summary: "The database answers", answers: { 200: "ok", 503: "database down" } },
    },
    "/api/v1/divisions": { get: { summary: "The province's divisions", answers: { 200: "divisions" } } },
    "/api/v1/categories": { get: { summary: "Report categories", answers: { 200: "categories" } } },
    "/api/v1/openapi.json": { get: { summary: "This document", answers: { 200: "OpenAPI 3.1" } } },
  };
  if (citizen) {
    Object.assign(routes, {
      "/api/v1/captcha": { get: { summary: "The current captcha challenge", answers: { 200: "challenge" } } },
      "/api/v1/reports": {
        post: {
          summary:
            "File a report (JSON, or multipart with a `report` part and `files` parts); header Idempotency-Key optional",
          body: ref("Report"),
          answers: {
            201: "receipt",
            400: "malformed",
            409: "Idempotency-Key reused",
            413: "too large",
            415: "media type",
            422: "invalid fields",
            429: "throttled",
          },
        },
      },
      "/api/v1/track": {
        post: {
          summary: "Look a case up by its tracking code",
          body: ref("TrackingCode"),
          answers: {
            200: "the case as the reporter sees it",
            404: "unknown code",
            422: "invalid",
            429: "throttled",
          },
        },
      },
      "/api/v1/track/messages": {
        post: {
          summary: "The reporter adds information",
          body: ref("ReporterMessage"),
          answers: { 201: "stored", 404: "unknown code", 422: "invalid", 429: "throttled" },
        },
      },
    });
  }
  if (staff) {
    const s = (summary: string, answers: Record<string, string>, body?: unknown): Op => ({
      summary,
      answers,
      body,
      staff: true,
    });
    Object.assign(routes, {
      "/api/v1/staff/session": {
        post: {
          summary: "Log in",
          body: ref("Login"),
          answers: {
            200: "staff and session cookie",
            401: "wrong credentials",
            403: "TOTP enrolment required / cross-site",
            429: "throttled",
          },
        },
        get: s("Who is logged in", { 200: "staff", 401: "no session" }),
        delete: s("Log out", { 204: "logged out" }),
      },
      "/api/v1/staff/account/totp": {
        post: s("Start TOTP enrolment ({ password }: the current password)", {
          200: "secret and otpauth URI",
          422: "password missing or wrong",
          429: "password back-off",
        }),
      },
      "/api/v1/staff/account/totp/confirm": {
        post: s("Confirm TOTP enrolment ({ code, password })", {
          200: "enrolled",
          422: "wrong code or password",
          429: "password back-off",
        }),
      },
      "/api/v1/staff/account/totp/reset": {
        post: s("Turn one's own TOTP off ({ password, code }) to enrol again", {
          200: "TOTP off",
          409: "TOTP not enabled",
          422: "wrong code or password",
          429: "password back-off",
        }),
      },
      "/api/v1/staff/queue": { get: s("Live queue counts of the caller's office", { 200: "counts" }) },
      "/api/v1/staff/queue/claim": {
        post: s("Claim the next case (real-name first, then earliest deadline, then oldest)", {
          200: "case, leaseToken, leaseExpiresAt",
          204: "queue empty",
          403: "no queue work for these roles",
        }),
      },
      "/api/v1/staff/overdue": {
        get: s("Overdue cases of the office (and of offices below, for supervisors)", { 200: "cases" }),
      },
      "/api/v1/staff/cases/mine": { get: s("Cases the caller holds or is assigned", { 200: "cases" }) },
      "/api/v1/staff/cases/{id}": {
        get: s("The sanitized case with events, clocks, messages and allowed actions", {
          200: "case",
          404: "absent or out of scope",
        }),
      },
      "/api/v1/staff/cases/{id}/claim": {
        post: s("Claim this case", {
          200: "case and lease",
          404: "absent or out of scope",
          409: "held by someone else",
        }),
      },
      "/api/v1/staff/cases/{id}/actions": {
        post: s(
          "Act on a case",
          {
            200: "case",
            403: "role or scope",
            404: "absent or out of scope",
            409: "stale lease or illegal step (allowedActions)",
            422: "invalid fields",
          },
          ref("Action"),
        ),
      },
      "/api/v1/staff/cases/{id}/identity": {
        post: s(
          "A custodian opens the case's sealed identity (passphrase and written reason; audited)",
          {
            200: "identity and original text",
            403: "not a custodian / wrong passphrase",
            404: "absent",
            422: "reason too short",
          },
          ref("Unseal"),
        ),
      },
      "/api/v1/staff/cases/{id}/identity-requests": {
        post: s(
          "Ask a custodian for the reporter's contact details of a real-name case your office holds (role identity_requester; purpose required; audited)",
          {
            201: "request",
            403: "no identity_requester role / office does not hold the case",
            404: "absent or out of scope",
            409: "anonymous-case / request-pending",
            422: "invalid purpose",
          },
          ref("IdentityRequest"),
        ),
        get: s("The caller's own identity requests on this case", {
          200: "items",
          404: "absent or out of scope",
        }),
      },
      "/api/v1/staff/identity-requests": {
        get: s("Identity requests by status (custodians; ?status=pending|approved|denied|expired)", {
          200: "items",
          403: "not a custodian",
          422: "unknown status",
        }),
      },
      "/api/v1/staff/identity-requests/{id}/decision": {
        post: s(
          "A custodian approves (vault passphrase) or denies a pending identity request, with a reason",
          {
            200: "request",
            403: "not a custodian / own request / wrong passphrase",
            404: "no such request",
            409: "already decided",
            422: "invalid fields",
            429: "too many wrong passphrases",
          },
          ref("IdentityDecision"),
        ),
      },
      "/api/v1/staff/identity-requests/{id}/contact": {
        get: s(
          "The requester reads the contact details of their approved request until it expires (audited)",
          {
            200: "contact and expiresAt",
            404: "no such request of yours",
            409: "pending or denied",
            410: "expired and erased",
          },
        ),
      },
      "/api/v1/staff/cases/{id}/attachments/{attachmentId}": {
        get: s("Download the cleaned copy of an attachment", {
          200: "the file as an attachment",
          404: "absent or out of scope",
        }),
      },
    });
  }
  return routes;
}

export function openApiDocument(config: Pick<Config, "role">) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(describedRoutes(config))) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      paths[path][method] = {
        summary: op.summary,
        ...(op.staff ? { security: [{ session: [] }] } : {}),
        ...(op.body ? { requestBody: { required: true, ...json(op.body) } } : {}),
        responses: Object.fromEntries(
          Object.entries(op.answers).map(([code, description]) => [
            code,
            Number(code) >= 400
              ? { description, content: { "application/problem+json": { schema: ref("Problem") } } }
              : { description },
          ]),
        ),
      };
    }
  }
  const actionVariants = ACTIONS.map((a) =>
    z.toJSONSchema(
      z.object({ action: z.literal(a), leaseToken: z.string().optional(), ...ACTION_FIELDS[a] }),
      { unrepresentable: "any", io: "input" },
    ),
  );
  return {
    openapi: "3.1.0",
    info: { title: "清风 Qingfeng API", version: "1" },
    paths,
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "qf_staff" } },
      schemas: {
        Report: z.toJSONSchema(reportSchema, { unrepresentable: "any", io: "input" }),
        TrackingCode: {
          type: "object",
          required: ["trackingCode"],
          properties: { trackingCode: { type: "string" } },
        },
        ReporterMessage: {
          type: "object",
          required: ["trackingCode", "body"],
          properties: { trackingCode: { type: "string" }, body: { type: "string", maxLength: 5000 } },
        },
        Login: {
          type: "object",
          required: ["username", "password"],
          properties: {
            username: { type: "string" },
            password: { type: "string" },
            totp: { type: "string" },
          },
        },
        Unseal: {
          type: "object",
          required: ["passphrase", "reason"],
          properties: { passphrase: { type: "string" }, reason: { type: "string", minLength: 10 } },
        },
        IdentityRequest: {
          type: "object",
          required: ["purpose"],
          properties: { purpose: { type: "string", minLength: 4, maxLength: 500 } },
        },
        IdentityDecision: {
          type: "object",
          required: ["decision", "reason"],
          properties: {
            decision: { type: "string", enum: ["approve", "deny"] },
            reason: { type: "string", minLength: 4, maxLength: 500 },
            passphrase: {
              type: "string",
              description: "the custodian's vault passphrase; required to approve",
            },
          },
        },
        Action: { oneOf: actionVariants, description: `dispositions: ${DISPOSITIONS.join(", ")}` },
        Problem: {
          type: "object",
          required: ["type", "title", "status"],
          properties: {
            type: { type: "string" },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            errors: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  path: { type: "string" },
                  message: { type: "string" },
                  code: { type: "string" },
                },
              },
            },
            allowedActions: { type: "array", items: { type: "string" } },
            requestId: { type: "string" },
          },
        },
      },
    },
  };
}

export function openApiRoutes() {
  const r = new Hono<AppEnv>();
  r.get("/openapi.json", (c) => c.json(openApiDocument(c.get("deps").config)));
  return r;
}
