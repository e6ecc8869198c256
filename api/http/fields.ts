import type { z } from "zod";
import { problems } from "../errors";

/**
 * A body's fields under the names the route's schema declares, their values unchecked: the verb
 * parses them (api/http/openapi.ts `mount` says why), so a renamed field is a type error here.
 */
export type Fields<S extends z.ZodType> = { [K in keyof z.input<S>]?: unknown };

/** The fields of a JSON object; 400 for null, a string, a number (an array passes, with no fields). */
export function objectFields<S extends z.ZodType>(body: unknown, _schema: S): Fields<S> {
  if (!body || typeof body !== "object") throw problems.malformed();
  return body as Fields<S>;
}

/** The fields of a JSON object, and none for any other JSON value (the verb then says what is missing). */
export function looseFields<S extends z.ZodType>(body: unknown, _schema: S): Fields<S> {
  return (body && typeof body === "object" ? body : {}) as Fields<S>;
}
