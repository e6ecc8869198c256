import type { RouteConfig } from "@hono/zod-openapi";
import { expect } from "vitest";
import type { z } from "zod";
import type { ProblemSchema } from "../../api/http/openapi";
import * as attachmentRoutes from "../../api/routes/attachments";
import * as documentRoutes from "../../api/routes/document";
import * as publicRoutes from "../../api/routes/public";
import * as caseRoutes from "../../api/routes/staff-cases";
import * as identityRoutes from "../../api/routes/staff-identity";
import * as identityRequestRoutes from "../../api/routes/staff-identity-requests";
import * as leaderRoutes from "../../api/routes/staff-leaders";
import * as ledgerRoutes from "../../api/routes/staff-ledgers";
import * as personRoutes from "../../api/routes/staff-persons";
import * as registerRoutes from "../../api/routes/staff-register";
import * as sessionRoutes from "../../api/routes/staff-session";
import * as statsRoutes from "../../api/routes/staff-stats";

type Declared<R extends RouteConfig, S extends PropertyKey> = S extends keyof R["responses"]
  ? R["responses"][S]
  : never;

/** The parsed body the route declares for a status: its schema's output, or undefined for none. */
export type ResponseBody<R extends RouteConfig, S extends PropertyKey> = S extends unknown
  ? Declared<R, S> extends { content: infer C }
    ? C[keyof C] extends { schema: infer Z extends z.ZodType }
      ? z.output<Z>
      : never
    : undefined
  : never;

/**
 * Checks an answer of `app.request()` against the route's contract (api/routes/*.ts): the status
 * is `status`, the route declares it, the media type is one it declares for it, and the body
 * parses with that schema (strict objects: an undeclared field fails too). Returns the parsed
 * body, typed by the schema; the body is consumed.
 */
export async function expectResponse<R extends RouteConfig, S extends keyof R["responses"] & number>(
  res: Response,
  route: R,
  status: S,
): Promise<ResponseBody<R, S>> {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  if (res.status !== status) {
    expect.fail(`${where}: expected ${status}, got ${res.status}: ${(await res.text()).slice(0, 2000)}`);
  }
  const declared = route.responses[status] as { content?: Record<string, { schema?: unknown }> } | undefined;
  expect(declared, `${where} declares ${status}`).toBeDefined();
  const content = declared?.content;
  if (!content) {
    expect(await res.text(), `${where} ${status} has no body`).toBe("");
    return undefined as ResponseBody<R, S>;
  }
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const schema = (content[type] ?? (type.endsWith("json") ? undefined : content["application/octet-stream"]))
    ?.schema as z.ZodType | undefined;
  expect(schema, `${where} ${status} declares ${type}`).toBeDefined();
  if (!type.endsWith("json")) return new Uint8Array(await res.arrayBuffer()) as ResponseBody<R, S>;
  const parsed = schema!.safeParse(await res.json());
  if (!parsed.success) expect.fail(`${where} ${status} does not match its schema: ${parsed.error.message}`);
  return parsed.data as ResponseBody<R, S>;
}

/** An error answer of the route: `status` (declared by the route), problem+json, the one Problem shape. */
export async function expectProblem<R extends RouteConfig>(
  res: Response,
  route: R,
  status: number,
): Promise<z.output<typeof ProblemSchema>> {
  expect(res.headers.get("content-type") ?? "").toContain("application/problem+json");
  return (await expectResponse(res, route, status as keyof R["responses"] & number)) as z.output<
    typeof ProblemSchema
  >;
}

const isRoute = (v: unknown): v is RouteConfig =>
  typeof v === "object" && v !== null && "method" in v && "path" in v && "responses" in v;

/** Every declared route with the prefix api/app.ts mounts its group under. */
const ROUTES: { route: RouteConfig; pattern: RegExp }[] = [
  ["/api/v1", publicRoutes],
  ["/api/v1", documentRoutes],
  ["/api/v1/staff", sessionRoutes],
  ["/api/v1/staff", caseRoutes],
  ["/api/v1/staff", ledgerRoutes],
  ["/api/v1/staff", registerRoutes],
  ["/api/v1/staff", statsRoutes],
  ["/api/v1/staff", leaderRoutes],
  ["/api/v1/staff", identityRoutes],
  ["/api/v1/staff", identityRequestRoutes],
  ["/api/v1/staff", attachmentRoutes],
  ["/api/v1/staff", personRoutes],
].flatMap(([prefix, mod]) =>
  Object.values(mod as Record<string, unknown>)
    .filter(isRoute)
    .map((route) => ({
      route,
      pattern: new RegExp(`^${prefix}${route.path.replace(/\{\w+\}/g, "[^/]+")}$`),
    })),
);

/** The declared route a request went to (a literal path like /cases/mine before /cases/{id}). */
export function routeOf(method: string, url: string): RouteConfig {
  const path = new URL(url, "http://localhost").pathname;
  const candidates = ROUTES.filter((r) => r.route.method === method.toLowerCase() && r.pattern.test(path));
  candidates.sort((a, b) => a.route.path.split("{").length - b.route.path.split("{").length);
  if (!candidates[0]) expect.fail(`no route declares ${method} ${path}`);
  return candidates[0].route;
}

/**
 * For tests that call many routes through one helper and check answers field by field: the answer
 * must be one the route declares (status, media type, schema); its parsed body, or null for none.
 */
// biome-ignore lint/suspicious/noExplicitAny: callers check the fields one by one
export async function expectDeclared(res: Response, method: string, url: string): Promise<any> {
  const body = await expectResponse(res, routeOf(method, url), res.status as never);
  return body ?? null;
}
