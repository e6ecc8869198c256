import { sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { fieldMessage } from "../../messages/errors";
import { problems } from "../errors";
import { mediaTypeOf, readBodyLimited, readJson } from "../http/body";
import { type AppEnv, reporterCtx } from "../http/env";
import { enforceLimit, rateLimit, trackMisses } from "../http/rate-limit";
import type { IncomingFile } from "../services/attachments/prepare";
import { isNoJsToken } from "../services/captcha/nojs";
import { submitReport } from "../services/intake/submit";
import { listCategories, listDivisions } from "../services/reference/list";
import { addReporterMessage } from "../services/track/add-message";
import { trackCase } from "../services/track/lookup";

const langOf = (accept: string | undefined): "zh" | "en" => (/^en\b/i.test(accept ?? "") ? "en" : "zh");

/**
 * Public API v1 (DESIGN.md). Thin: parse, call one verb, map the result. `citizen: false`
 * (APP_ROLE=staff) mounts only the health check and the reference lists.
 */
export function publicRoutes(opts: { citizen?: boolean } = {}) {
  const r = new Hono<AppEnv>();

  r.get("/healthz", async (c) => {
    try {
      await c.get("deps").db.execute(sql`select 1`);
      return c.json({ status: "ok" });
    } catch {
      return c.json({ status: "unavailable" }, 503);
    }
  });

  r.get("/divisions", (c) => c.json({ divisions: listDivisions(c.get("deps")) }));
  r.get("/categories", (c) =>
    c.json({ categories: listCategories(langOf(c.req.header("accept-language"))) }),
  );
  if (opts.citizen === false) return r;

  r.get("/captcha", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await c.get("deps").captcha.challenge());
  });

  // Limits (services/ratelimit/buckets.ts) are counted before the body is read.
  r.post("/reports", rateLimit("reports"), async (c) => {
    const deps = c.get("deps");
    const { body, files } = await readReportRequest(c, deps.config);
    // A report is three levels deep; thousands of levels would overflow the recursive
    // canonical JSON of the idempotency hash (found by test/integration/fuzz.test.ts).
    if (nestedDeeperThan(body, 16)) throw problems.malformed("body.too_deep");
    // The no-JavaScript captcha token proves less than a solved challenge: a stricter bucket too.
    if (isNoJsToken((body as { captcha?: unknown } | null)?.captcha)) await enforceLimit(c, "reports-nojs");
    const receipt = await submitReport({
      ctx: reporterCtx(deps, c.get("requestId")),
      input: { body, files, idempotencyKey: c.req.header("idempotency-key") },
    });
    c.header("Cache-Control", "no-store");
    return c.json(receipt, 201);
  });

  r.post("/track", rateLimit("track"), trackMisses(), async (c) => {
    const deps = c.get("deps");
    const body = (await readJson(c, 4096)) as { trackingCode?: unknown } | null;
    if (!body || typeof body !== "object" || typeof body.trackingCode !== "string") {
      throw problems.invalid([
        { path: "trackingCode", code: "trackingCode.invalid", message: fieldMessage("trackingCode.invalid") },
      ]);
    }
    const view = await trackCase({
      ctx: reporterCtx(deps, c.get("requestId")),
      input: { trackingCode: body.trackingCode, lang: langOf(c.req.header("accept-language")) },
    });
    c.header("Cache-Control", "no-store");
    return c.json(view);
  });

  r.post("/track/messages", rateLimit("messages"), trackMisses(), async (c) => {
    const deps = c.get("deps");
    const body = (await readJson(c, 64 * 1024)) as { trackingCode?: unknown; body?: unknown } | null;
    if (!body || typeof body !== "object" || typeof body.trackingCode !== "string") {
      throw problems.invalid([
        { path: "trackingCode", code: "trackingCode.invalid", message: fieldMessage("trackingCode.invalid") },
      ]);
    }
    const res = await addReporterMessage({
      ctx: reporterCtx(deps, c.get("requestId")),
      input: { trackingCode: body.trackingCode, body: body.body },
    });
    c.header("Cache-Control", "no-store");
    return c.json(res, 201);
  });

  return r;
}

/** JSON, or multipart with a `report` part holding the same JSON and one `files` part per file. */
async function readReportRequest(
  c: Context<AppEnv>,
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
  if (reportText === undefined) {
    throw problems.invalid([{ path: "report", code: "required", message: fieldMessage("required") }]);
  }
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
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
