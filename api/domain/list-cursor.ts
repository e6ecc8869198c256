// Keyset pages for the staff lists (超期, 我的信访件, 补充材料, 督办, 转送/交办台账, 书记阅批件):
// each page ends where its last row sits in the list's order, and the next one starts after it.
// Pure: the lists' SQL is in their services. Same shape as the register's cursor (register.ts).

import { isCursorDate } from "./register";

/** A page holds at most this many rows; 50 when the request does not say. */
export const LIST_PAGE_MAX = 100;
export const LIST_PAGE_DEFAULT = 50;

/**
 * The kinds of a cursor's parts: a date (YYYY-MM-DD); a timestamp as the database wrote it with
 * its microseconds (`timeKey` below: a JavaScript Date keeps only milliseconds, and a key cut
 * there would resume before or after rows that differ in the last three digits); a positive
 * integer (serial, id); a flag.
 */
export type CursorPart = "date" | "time" | "int" | "flag";
export type CursorValue = string | number | boolean;

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const INT_RE = /^[1-9]\d{0,15}$/;
const CURSOR_MAX = 160;

/** The cursor as the client carries it: opaque base64url of `list~part~part…`. */
export function encodeListCursor(list: string, values: readonly CursorValue[]): string {
  const parts = values.map((v) => (typeof v === "boolean" ? (v ? "1" : "0") : String(v)));
  return Buffer.from([list, ...parts].join("~"), "utf8").toString("base64url");
}

function validPart(kind: CursorPart, s: string): CursorValue | undefined {
  switch (kind) {
    case "date":
      return isCursorDate(s) ? s : undefined;
    case "time":
      return TIME_RE.test(s) && isCursorDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)) ? s : undefined;
    case "int": {
      if (!INT_RE.test(s)) return undefined;
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case "flag":
      return s === "1" ? true : s === "0" ? false : undefined;
  }
}

/**
 * The cursor a client sent back, or undefined when it is not one this server wrote for `list`
 * (other text, another list's cursor, a part of the wrong kind): the route answers 422. A cursor
 * only says where to resume; the list's scope is applied afresh on every page.
 */
export function decodeListCursor(
  text: string,
  list: string,
  kinds: readonly CursorPart[],
): CursorValue[] | undefined {
  if (text.length > CURSOR_MAX || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const [name, ...parts] = Buffer.from(text, "base64url").toString("utf8").split("~");
  if (name !== list || parts.length !== kinds.length) return undefined;
  const values: CursorValue[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const v = validPart(kinds[i], parts[i]);
    if (v === undefined) return undefined;
    values.push(v);
  }
  return values;
}
