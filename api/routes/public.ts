import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { fieldError, problems } from "../errors";
import { readJson } from "../http/body";
import { reporterCtx } from "../http/ctx";
import { looseFields } from "../http/fields";
import { errorAnswers, JSON_BODY_ERRORS, json, jsonBody, mount, routeGroup } from "../http/openapi";
import { enforceLimit, rateLimit, trackMisses } from "../http/rate-limit";
import { nestedDeeperThan, readReportRequest } from "../http/report-body";
import { isNoJsToken } from "../services/captcha/nojs";
import { Challenge } from "../services/captcha/schemas";
import { Receipt, ReportMultipart, ReportRequest } from "../services/intake/schemas";
import { submitReport } from "../services/intake/submit";
import { listCategories, listDivisions } from "../services/reference/list";
import { Categories, Divisions } from "../services/reference/schemas";
import { addReporterMessage } from "../services/track/add-message";
import { trackCase } from "../services/track/lookup";
import { MessageStored, ReporterMessageRequest, TrackRequest, TrackView } from "../services/track/schemas";

const langOf = (accept: string | undefined): "zh" | "en" => (/^en\b/i.test(accept ?? "") ? "en" : "zh");

const THROTTLED = { 429: "throttled (Retry-After)" } as const;

export const healthRoute = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "health",
  summary: "The database answers",
  responses: {
    200: json(z.strictObject({ status: z.literal("ok") }), "ok"),
    503: json(z.strictObject({ status: z.literal("unavailable") }), "database down"),
    500: errorAnswers({})[500],
  },
});

export const divisionsRoute = createRoute({
  method: "get",
  path: "/divisions",
  operationId: "listDivisions",
  summary: "The province's divisions",
  responses: { 200: json(Divisions.openapi("Divisions"), "divisions"), ...errorAnswers({}) },
});

export const categoriesRoute = createRoute({
  method: "get",
  path: "/categories",
  operationId: "listCategories",
  summary: "Report categories (labels in the Accept-Language: zh, or en)",
  responses: { 200: json(Categories.openapi("Categories"), "categories"), ...errorAnswers({}) },
});

export const captchaRoute = createRoute({
  method: "get",
  path: "/captcha",
  operationId: "captchaChallenge",
  summary: "The current captcha challenge (never cached)",
  responses: { 200: json(Challenge.openapi("Challenge"), "challenge"), ...errorAnswers({}) },
});

const Report = ReportRequest.openapi("Report");

export const reportRoute = createRoute({
  method: "post",
  path: "/reports",
  operationId: "fileReport",
  summary:
    "File a report (JSON, or multipart with a `report` part and `files` parts); header Idempotency-Key optional",
  middleware: [rateLimit("reports")],
  request: {
    headers: z.object({
      "idempotency-key": z.string().optional().openapi({
        description: "a retry with the same key returns the first answer and stores nothing new",
      }),
    }),
    body: {
      required: true,
      content: {
        "application/json": { schema: Report },
        "multipart/form-data": { schema: ReportMultipart.openapi("ReportMultipart") },
      },
    },
  },
  responses: {
    201: json(Receipt.openapi("Receipt"), "receipt"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      409: "Idempotency-Key reused with another body",
      422: "invalid fields (or captcha failed)",
      ...THROTTLED,
    }),
  },
});

export const trackRoute = createRoute({
  method: "post",
  path: "/track",
  operationId: "track",
  summary: "Look a case up by its tracking code",
  middleware: [rateLimit("track"), trackMisses()],
  request: {
    body: jsonBody(TrackRequest.openapi("TrackingCode")),
  },
  responses: {
    200: json(TrackView.openapi("TrackView"), "the case as the reporter sees it"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      404: "unknown code",
      422: "no tracking code",
      ...THROTTLED,
    }),
  },
});

export const trackMessageRoute = createRoute({
  method: "post",
  path: "/track/messages",
  operationId: "addReporterMessage",
  summary: "The reporter adds information",
  middleware: [rateLimit("messages"), trackMisses()],
  request: {
    body: jsonBody(ReporterMessageRequest.openapi("ReporterMessage")),
  },
  responses: {
    201: json(MessageStored, "stored"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      404: "unknown code",
      422: "invalid",
      ...THROTTLED,
    }),
  },
});

/** 422 as the API has always answered a track request without a string tracking code. */
function trackingCodeOf(body: unknown): string {
  const parsed = TrackRequest.safeParse(body);
  if (!parsed.success) throw problems.invalid([fieldError("trackingCode", "trackingCode.invalid")]);
  return parsed.data.trackingCode;
}

/**
 * Public API v1 (DESIGN.md). Thin: parse, call one verb, map the result. `citizen: false`
 * (APP_ROLE=staff) mounts only the health check and the reference lists.
 */
export function publicRoutes(opts: { citizen?: boolean } = {}) {
  const r = routeGroup();

  mount(r, healthRoute, async (c) => {
    try {
      await c.get("deps").db.execute(sql`select 1`);
      return c.json({ status: "ok" as const }, 200);
    } catch {
      return c.json({ status: "unavailable" as const }, 503);
    }
  });

  mount(r, divisionsRoute, (c) => c.json({ divisions: listDivisions(c.get("deps")) }, 200));
  mount(r, categoriesRoute, (c) =>
    c.json({ categories: listCategories(langOf(c.req.header("accept-language"))) }, 200),
  );
  if (opts.citizen === false) return r;

  mount(r, captchaRoute, async (c) => {
    c.header("Cache-Control", "no-store");
    // CaptchaService types the challenge loosely (its provider's JSON); Challenge documents it.
    const challenge = (await c.get("deps").captcha.challenge()) as z.infer<typeof Challenge>;
    return c.json(challenge, 200);
  });

  // Limits (services/ratelimit/buckets.ts) are counted before the body is read.
  mount(r, reportRoute, async (c) => {
    const deps = c.get("deps");
    const { body, files } = await readReportRequest(c, deps.config);
    // A report is three levels deep; thousands of levels would overflow the recursive
    // canonical JSON of the idempotency hash (found by test/integration/fuzz.test.ts).
    if (nestedDeeperThan(body, 16)) throw problems.malformed("body.too_deep");
    // The no-JavaScript captcha token proves less than a solved challenge: a stricter bucket too.
    if (isNoJsToken((body as { captcha?: unknown } | null)?.captcha)) await enforceLimit(c, "reports-nojs");
    const receipt = await submitReport({
      ctx: reporterCtx(deps, c.get("requestId")),
      input: { body, files, idempotencyKey: c.req.valid("header")["idempotency-key"] },
    });
    c.header("Cache-Control", "no-store");
    return c.json(receipt, 201);
  });

  mount(r, trackRoute, async (c) => {
    const deps = c.get("deps");
    const trackingCode = trackingCodeOf(await readJson(c, 4096));
    const view = await trackCase({
      ctx: reporterCtx(deps, c.get("requestId")),
      input: { trackingCode, lang: langOf(c.req.header("accept-language")) },
    });
    c.header("Cache-Control", "no-store");
    return c.json(view, 200);
  });

  mount(r, trackMessageRoute, async (c) => {
    const deps = c.get("deps");
    const body = await readJson(c, 64 * 1024);
    const trackingCode = trackingCodeOf(body);
    const res = await addReporterMessage({
      ctx: reporterCtx(deps, c.get("requestId")),
      input: { trackingCode, body: looseFields(body, ReporterMessageRequest).body },
    });
    c.header("Cache-Control", "no-store");
    return c.json(res, 201);
  });

  return r;
}
