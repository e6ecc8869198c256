import type { Context } from "hono";
import { hasLoneSurrogate, nulPaths } from "../domain/nul";
import { fieldError, problems } from "../errors";

/** Reads the raw body up to `limit` bytes; 413 past it, without buffering the rest. */
export async function readBodyLimited(c: Context, limit: number): Promise<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw problems.tooLarge();
  const stream = c.req.raw.body;
  if (!stream) return new Uint8Array();
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw problems.tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const ch of chunks) {
    out.set(ch, off);
    off += ch.byteLength;
  }
  return out;
}

const fatal = new TextDecoder("utf-8", { fatal: true });

/**
 * A JSON body: 415 for another media type, 400 for bytes that are not UTF-8 JSON, 413 past the
 * limit, 422 naming each field that holds U+0000 (PostgreSQL refuses it in text: never a 500).
 */
export async function readJson(c: Context, limit: number): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json" && !type.endsWith("+json")) throw problems.mediaType();
  const bytes = await readBodyLimited(c, limit);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fatal.decode(bytes));
  } catch {
    throw problems.malformed();
  }
  const nul = nulPaths(parsed);
  if (nul.length > 0) throw problems.invalid(nul.map((path) => fieldError(path, "text.nul")));
  if (hasLoneSurrogate(parsed)) throw problems.malformed("body.not_ijson");
  return parsed;
}

export function mediaTypeOf(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
}
