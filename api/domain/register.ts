// The register (信访件台账, issue 11 §1): its orders, its opaque page cursor, how a search text is
// matched, and the CSV export's cells. Pure: the SQL is in api/services/register/.

/** The register's orders: newest received first (default), oldest first, earliest deadline first. */
export const REGISTER_SORTS = ["newest", "oldest", "due"] as const;
export type RegisterSort = (typeof REGISTER_SORTS)[number];

/** A page holds at most this many cases (default 50). */
export const REGISTER_PAGE_MAX = 100;
export const REGISTER_PAGE_DEFAULT = 50;
/** An export holds at most this many rows; the file says when it was cut there. */
export const REGISTER_EXPORT_MAX = 20_000;

/** A case without a running clock sorts after every deadline in the `due` order. */
export const NO_DUE_DATE = "9999-12-31";

/** Where a page ended: the sort key of its last row (a date) and that row's serial (unique). */
export interface RegisterCursor {
  sort: RegisterSort;
  /** received_on for newest/oldest, coalesce(next_due_on, NO_DUE_DATE) for due (YYYY-MM-DD). */
  key: string;
  serial: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The cursor as the client carries it: opaque base64url of `sort.key.serial`. */
export function encodeCursor(c: RegisterCursor): string {
  return Buffer.from(`${c.sort}.${c.key}.${c.serial}`, "utf8").toString("base64url");
}

/**
 * The cursor a client sent back, or undefined when it is not one this server wrote for `sort`
 * (any other text, a changed order, a date that does not exist): the route answers 422. A cursor
 * only says where to resume; the scope and filters are applied afresh on every page, so an edited
 * one shows nothing the caller could not see anyway.
 */
export function decodeCursor(text: string, sort: RegisterSort): RegisterCursor | undefined {
  if (text.length > 64 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const parts = Buffer.from(text, "base64url").toString("utf8").split(".");
  if (parts.length !== 3) return undefined;
  const [s, key, serialText] = parts;
  if (s !== sort || !isCursorDate(key)) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(serialText)) return undefined;
  const serial = Number(serialText);
  if (!Number.isSafeInteger(serial)) return undefined;
  return { sort, key, serial };
}

export function isRealDate(d: string): boolean {
  if (!DATE_RE.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

/**
 * A date a cursor may carry: a real one no case can predate by centuries. PostgreSQL has no
 * year 0, and a page's look-back window (register probe) reaches months before the cursor: a
 * crafted 0000-… or 0001-… cursor was a 500, not a 422.
 */
export function isCursorDate(d: string): boolean {
  return isRealDate(d) && d >= "1900-01-01";
}

/** Trigram indexes serve a pattern of at least 3 characters (pg_trgm); shorter ones go by prefix. */
export const TRIGRAM_MIN = 3;

/** The search text as matched: NFKC-folded, spaces squeezed, trimmed. */
export function searchText(s: string): string {
  return s.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** Whether a search text is long enough for the trigram indexes (characters, not UTF-16 units). */
export function usesTrigrams(s: string): boolean {
  return [...s].length >= TRIGRAM_MIN;
}

/** `s` as a literal inside LIKE/ILIKE (escape character `\`). */
export function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// CSV (RFC 4180) for Excel: UTF-8 with a BOM so it opens the Chinese correctly, CRLF lines.
export const CSV_BOM = "\uFEFF";

/**
 * One cell. A cell a spreadsheet would read as a formula (starting with = + - @, a tab or a
 * carriage return: OWASP "CSV injection") is prefixed with an apostrophe, so it stays text; then
 * any cell with a quote, comma or line break is quoted.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
