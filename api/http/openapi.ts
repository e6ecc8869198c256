import { createRoute, OpenAPIHono, type RouteConfig, type RouteHandler, z } from "@hono/zod-openapi";
import { problems } from "../errors";
import { PUBLIC_FIELDS, zodFieldErrors } from "../zod-issues";
import type { AppEnv } from "./env";
import { staffAuth } from "./staff-auth";

/** The one error shape (RFC 9457, DESIGN.md), as every route declares its error answers. */
export const ProblemSchema = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.strictObject({ path: z.string(), code: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "422: one entry per field, `path` like `reporter.idNumber`" }),
    allowedActions: z
      .array(z.string())
      .optional()
      .openapi({ description: "409 on a case: the steps possible now" }),
    reason: z.string().optional().openapi({ description: '409 `"lease"`: the lease expired or was taken' }),
    requestId: z.string().optional(),
  })
  .openapi("Problem");

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

/** What any route may answer: a bug (opaque, with the request id) or the database being down. */
const SERVER_ERRORS = {
  500: "internal error (quote the requestId)",
  503: "database unavailable (Retry-After)",
} as const;

/** Error answers, by status, each with the problem+json body; 500 and 503 are always among them. */
export function errorAnswers<S extends number>(answers: Record<S, string>) {
  const out = {} as Record<
    S | keyof typeof SERVER_ERRORS,
    { description: string; content: typeof problemContent }
  >;
  for (const [status, description] of Object.entries({ ...SERVER_ERRORS, ...answers }) as [
    string,
    string,
  ][]) {
    out[Number(status) as S] = { description, content: problemContent };
  }
  return out;
}

/** A JSON body read by readJson (api/http/body.ts) can fail in these ways before any field is looked at. */
export const JSON_BODY_ERRORS = {
  400: "malformed JSON",
  413: "body too large",
  415: "not application/json",
  422: "a text field holds U+0000 (text.nul)",
} as const;

/** `application/json` content of a response. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** `{id}` in the path (a case, an identity request): one that is not a UUID is the verb's 404, never a 422. */
export const IdParams = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, format: "uuid" }),
});

/** Staff operations authenticate with the session cookie (securitySchemes.session). */
export const staffSecurity = [{ session: [] }];

/**
 * A route of the staff console: it needs a session (staffAuth(): 401 without one) and names the
 * cookie in the document; a POST or DELETE also answers 403 to a cross-site request (csrfGuard,
 * mounted for all of /staff/* by app.ts). The route's own answers come after, so a 403 of its own
 * describes both.
 */
export function staffRoute<const R extends RouteConfig>(route: R) {
  const auth = { 401: "no staff session", ...(route.method === "get" ? {} : { 403: "cross-site request" }) };
  return createRoute({
    ...route,
    security: staffSecurity,
    middleware: [staffAuth()],
    responses: { ...errorAnswers(auth as Record<401 | 403, string>), ...route.responses },
  });
}

/**
 * A request parameter or query field that fails its schema answers the same 422 as a field of a
 * body (api/zod-issues.ts holds the one mapping of zod issues to codes).
 */
export function defaultHook(result: { success: true } | { success: false; error: z.ZodError }) {
  if (!result.success) throw problems.invalid(zodFieldErrors(result.error, PUBLIC_FIELDS));
}

/** A group of routes (api/routes/*.ts), validating with the one defaultHook. */
export function routeGroup() {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

type Bodyless<R extends RouteConfig> = Omit<R, "request"> & {
  request: Omit<NonNullable<R["request"]>, "body">;
};

/**
 * Declares `route` (the document shows all of it, body schema included) and mounts `handler`.
 *
 * The request BODY is left out of what @hono/zod-openapi validates, on purpose:
 * - its validator reads the body with `c.req.json()` / `parseBody()`, whole, without the size
 *   caps of api/http/body.ts, and answers a foreign media type with a plain-text 415; the
 *   handler reads it with `readJson`/`readBodyLimited` instead (413/415/400 problem+json, U+0000
 *   refused with 422 `text.nul`), after the route's middleware (rate limits, staff session);
 * - the fields are parsed by the verb, with the schema the route declares where the verb parses
 *   with zod (intake's report, the case actions), because a write verb checks permission before
 *   it parses input (CONVENTIONS.md): a stranger's bad body answers 403, not 422; login answers
 *   a malformed body 401 like any wrong credential; intake lists schema and semantic errors in
 *   one 422. Validating at the edge first would change those answers.
 * Path and query parameters are validated here (defaultHook), their schemas as loose as the
 * verbs expect (an id that is not a UUID is the verb's 404, not a 422).
 */
export function mount<R extends RouteConfig>(
  app: OpenAPIHono<AppEnv>,
  route: R,
  handler: RouteHandler<Bodyless<R>, AppEnv>,
): void {
  const { hide, middleware: _m, ...declared } = route;
  if (!hide) app.openAPIRegistry.registerPath(declared);
  const { body: _body, ...request } = route.request ?? {};
  const served = { ...route, request, hide: true } as unknown as Bodyless<R>;
  app.openapi(served, handler);
}
