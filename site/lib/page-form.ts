import type { Config } from "../../api/config";

/**
 * A page form's body is read once, here, by the edge (site/middleware/form.ts, and before it the
 * rate limits that depend on the form's content: site/middleware/rate-limit.ts), under a cap,
 * and the parsed form is handed to the page on `Astro.locals.form`: pages never read the
 * request body themselves. A body over its cap answers 413 before anything parses it.
 *
 * Caps, from the longest text each form takes (a CJK character is 9 bytes urlencoded):
 * - /report with files (multipart): the API's ceiling, MAX_JSON_BYTES + MAX_FILES ×
 *   MAX_FILE_BYTES + 64 KiB;
 * - /report without files: MAX_REPORT_FORM_BYTES, 300 KiB (the narrative's 20,000 characters
 *   are 180 KB, the other fields and the captcha payload a few KB more);
 * - staff case forms (/staff/cases/…, /staff/overdue, /staff/queue…): 160 KiB (closing a case
 *   takes a result of 5,000 and a reply of 10,000 characters: 135 KB);
 * - /track: 64 KiB (a reporter's message of 5,000 characters: 45 KB);
 * - every other page form (/staff/login, /staff/account, …): MAX_FORM_BYTES, 16 KiB.
 */
export type PageFormResult =
  | { kind: "none" } // not a form post (GET, or another media type)
  | { kind: "form"; form: FormData }
  | { kind: "too_large" }
  | { kind: "malformed" };

const TRACK_FORM_BYTES = 64 * 1024;
const STAFF_CASE_FORM_BYTES = 160 * 1024;

export function pageFormLimit(path: string, contentType: string, config: Config): number {
  if (/^\/(en\/)?report\/?$/.test(path)) {
    return contentType.startsWith("multipart/form-data")
      ? config.maxJsonBytes + config.maxFiles * config.maxFileBytes + 64 * 1024
      : config.maxReportFormBytes;
  }
  if (/^\/(en\/)?track\/?$/.test(path)) return Math.max(config.maxFormBytes, TRACK_FORM_BYTES);
  // The 信访室's registration carries a whole report (narrative of 20,000 characters), no files.
  if (/^\/(en\/)?staff\/intake\/?$/.test(path)) return config.maxReportFormBytes;
  if (/^\/(en\/)?staff\/(cases|overdue|queue|mine)(\/|$)/.test(path))
    return Math.max(config.maxFormBytes, STAFF_CASE_FORM_BYTES);
  return config.maxFormBytes;
}

/** Reads at most `limit` bytes of the body; undefined past it (the rest is not read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export async function readPageForm(request: Request, path: string, config: Config): Promise<PageFormResult> {
  if (request.method !== "POST") return { kind: "none" };
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();
  const urlencoded = contentType.startsWith("application/x-www-form-urlencoded");
  const multipart = contentType.startsWith("multipart/form-data");
  if (!urlencoded && !multipart) return { kind: "none" };
  const bytes = await readLimited(request, pageFormLimit(path, contentType, config));
  if (!bytes) return { kind: "too_large" };
  try {
    if (urlencoded) {
      const form = new FormData();
      for (const [k, v] of new URLSearchParams(new TextDecoder().decode(bytes))) form.append(k, v);
      return hasNul(form) ? { kind: "malformed" } : { kind: "form", form };
    }
    const form = await new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    }).formData();
    return hasNul(form) ? { kind: "malformed" } : { kind: "form", form };
  } catch {
    return { kind: "malformed" };
  }
}

const reads = new WeakMap<Request, Promise<PageFormResult>>();

/** readPageForm, once per request: the rate limits and the form middleware share the one read. */
export function readPageFormOnce(request: Request, path: string, config: Config): Promise<PageFormResult> {
  let read = reads.get(request);
  if (!read) {
    read = readPageForm(request, path, config);
    reads.set(request, read);
  }
  return read;
}

/**
 * U+0000 in a field name or text value: no browser form typed by a person carries one, and
 * PostgreSQL refuses it in text, so the form is refused as malformed (400) before any page reads
 * it, never a 500 (the API answers 422 naming the field: api/http/body.ts).
 */
function hasNul(form: FormData): boolean {
  for (const [k, v] of form.entries()) {
    if (k.includes("\u0000") || (typeof v === "string" && v.includes("\u0000"))) return true;
  }
  return false;
}
