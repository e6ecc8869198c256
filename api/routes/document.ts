import { createRoute, z } from "@hono/zod-openapi";
import { errorAnswers, json, routeGroup } from "../http/openapi";

/** What the document says about the API as a whole; the paths come from the routes themselves. */
export const DOCUMENT_INFO = {
  openapi: "3.1.0",
  info: {
    title: "清风 Qingfeng API",
    version: "1",
    description:
      "Errors are application/problem+json (RFC 9457), 422 with one entry per field. Staff operations need the session cookie and, for POST and DELETE, a same-origin Origin header (403 otherwise).",
  },
} as const;

/** The security scheme staff operations name (`security: [{ session: [] }]`). */
export const SESSION_SCHEME = {
  type: "apiKey",
  in: "cookie",
  name: "qf_staff",
  description:
    "The staff session, set by POST /api/v1/staff/session (HttpOnly, SameSite=Strict; __Host- prefixed over HTTPS).",
} as const;

export const documentRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "openapi",
  summary: "This document (the routes this process serves, for its APP_ROLE)",
  responses: {
    200: json(z.record(z.string(), z.unknown()), "OpenAPI 3.1"),
    ...errorAnswers({}),
  },
});

/** GET /api/v1/openapi.json: the document, generated from the routes mounted beside it. */
export function documentRoutes(document: () => Record<string, unknown>) {
  const r = routeGroup();
  r.openapi(documentRoute, (c) => c.json(document(), 200));
  return r;
}
