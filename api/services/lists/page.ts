import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import {
  type CursorPart,
  type CursorValue,
  decodeListCursor,
  LIST_PAGE_DEFAULT,
  LIST_PAGE_MAX,
} from "../../domain/list-cursor";
import { fieldError, problems } from "../../errors";

// The keyset pages of the staff lists (api/domain/list-cursor.ts): reading a cursor, the page
// size, and a timestamp key exactly as stored.

/** A timestamp as a cursor part: UTC with all six fractional digits (what `::timestamptz` reads back). */
export const timeKey = (column: AnyColumn | SQL) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The cursor of a request for `list`, or 422 (`cursor`) when it is not one this list wrote. */
export function listCursor(
  text: string | undefined,
  list: string,
  kinds: readonly CursorPart[],
): CursorValue[] | undefined {
  if (text === undefined) return undefined;
  const values = decodeListCursor(text, list, kinds);
  if (!values) throw problems.invalid([fieldError("cursor", "list.cursor")]);
  return values;
}

/** The rows of a page: `limit` when given (1 to LIST_PAGE_MAX), else the default. */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? LIST_PAGE_DEFAULT), 1), LIST_PAGE_MAX);
}

/** The page of `rows` fetched with limit + 1, and whether more follow. */
export function pageOf<T>(rows: T[], limit: number): { page: T[]; more: boolean } {
  return rows.length > limit ? { page: rows.slice(0, limit), more: true } : { page: rows, more: false };
}
