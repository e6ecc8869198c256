import type { Context } from "hono";
import { fieldError, problems } from "../errors";
import type { IncomingFile } from "../services/attachments/prepare";
import { mediaTypeOf, readBodyLimited, readJson } from "./body";

/**
 * POST /api/v1/reports: JSON, or multipart with a `report` part holding the same JSON and one
 * `files` part per file. Both are read under their caps before anything is parsed.
 */
export async function readReportRequest(
  c: Context,
  config: { maxJsonBytes: number; maxFiles: number; maxFileBytes: number },
): Promise<{ body: unknown; files: IncomingFile[] }> {
  const type = mediaTypeOf(c);
  if (type !== "multipart/form-data") return { body: await readJson(c, config.maxJsonBytes), files: [] };
  const limit = config.maxJsonBytes + config.maxFiles * config.maxFileBytes + 64 * 1024;
  const raw = await readBodyLimited(c, limit);
  let form: FormData;
  try {
    form = await new Response(raw as Uint8Array<ArrayBuffer>, {
      headers: { "content-type": c.req.header("content-type")! },
    }).formData();
  } catch {
    throw problems.malformed("multipart.malformed");
  }
  const report = form.get("report");
  const reportText = typeof report === "string" ? report : report ? await report.text() : undefined;
  if (reportText === undefined) throw problems.invalid([fieldError("report", "required")]);
  let body: unknown;
  try {
    body = JSON.parse(reportText);
  } catch {
    throw problems.malformed("multipart.report_not_json");
  }
  const files: IncomingFile[] = [];
  for (const f of form.getAll("files")) {
    if (typeof f === "string") continue;
    if (f.size === 0 && !f.name) continue;
    files.push({ name: f.name, type: f.type, data: new Uint8Array(await f.arrayBuffer()) });
  }
  return { body, files };
}

/** Whether `value` holds arrays or objects nested more than `max` levels (iterative: no recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
