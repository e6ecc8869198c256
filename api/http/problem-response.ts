import type { Context } from "hono";
import { isDatabaseUnavailable, Problem, problems } from "../errors";
import type { AppEnv } from "./env";

const PROBLEM_JSON = { "Content-Type": "application/problem+json" };

/** The API's 404 for a path no route declares. */
export function notFoundResponse(c: Context<AppEnv>) {
  const p = problems.notFound();
  return c.json(p.toBody(c.get("requestId")), 404, PROBLEM_JSON);
}

/** The API's one error handler: a Problem as problem+json, anything else an opaque 500 or 503. */
export function errorResponse(err: Error, c: Context<AppEnv>) {
  const requestId = c.get("requestId");
  if (err instanceof Problem) {
    return c.json(err.toBody(requestId), err.status as 400, { ...PROBLEM_JSON, ...err.headers });
  }
  // Never log or send a raw error: a database error carries SQL and parameters (report content).
  const e = err as { name?: string; code?: string };
  if (isDatabaseUnavailable(err)) {
    c.get("deps").log.warn(
      { reqId: requestId, err: { name: e?.name, code: e?.code } },
      "database unavailable",
    );
    const p = problems.unavailable();
    return c.json(p.toBody(requestId), 503, { ...PROBLEM_JSON, ...p.headers });
  }
  c.get("deps").log.error({ reqId: requestId, err: { name: e?.name, code: e?.code } }, "unhandled error");
  const body = problems.internal(requestId).toBody(requestId);
  return c.json(body, 500, PROBLEM_JSON);
}
