// The 对账 and 省管干部 pages (screen and print) read their GET parameters and run their verb the
// same way: a month (and an office) from the query, the verb's 403 and 422 turned into what the
// page shows.
import type { AstroGlobal } from "astro";
import type { z } from "zod";
import { type FieldError, Problem } from "../../api/errors";
import { PUBLIC_FIELDS, zodFieldErrors } from "../../api/zod-issues";

export type MonthlyOutcome<T> =
  | { kind: "none" }
  | { kind: "ok"; doc: T }
  | { kind: "forbidden" }
  | { kind: "invalid"; errors: FieldError[] };

/** The month of the page's query, or the current month (Asia/Shanghai) for the form. */
export function defaultMonth(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/**
 * Parses `keys` of the query with `schema` and runs `verb` when a month was given; sets the status
 * (403, 422) on the page's response.
 */
export async function runMonthly<S extends z.ZodType, T>(
  Astro: AstroGlobal,
  keys: readonly string[],
  schema: S,
  verb: (input: z.output<S>) => Promise<T>,
): Promise<{ typed: Record<string, string>; outcome: MonthlyOutcome<T> }> {
  const typed: Record<string, string> = {};
  for (const k of keys) {
    const v = Astro.url.searchParams.get(k);
    if (v) typed[k] = v;
  }
  if (!typed.month) return { typed, outcome: { kind: "none" } };
  const parsed = schema.safeParse(typed);
  if (!parsed.success) {
    Astro.response.status = 422;
    return { typed, outcome: { kind: "invalid", errors: zodFieldErrors(parsed.error, PUBLIC_FIELDS) } };
  }
  try {
    return { typed, outcome: { kind: "ok", doc: await verb(parsed.data) } };
  } catch (e) {
    if (e instanceof Problem && e.status === 403) {
      Astro.response.status = 403;
      return { typed, outcome: { kind: "forbidden" } };
    }
    if (e instanceof Problem && e.status === 422) {
      Astro.response.status = 422;
      return { typed, outcome: { kind: "invalid", errors: e.errors ?? [] } };
    }
    throw e;
  }
}
