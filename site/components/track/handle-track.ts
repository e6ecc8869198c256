import type { Ctx } from "../../../api/context";
import { formatTrackingCode, normalizeTrackingCode } from "../../../api/crypto/tracking-code";
import { isDatabaseUnavailable, Problem } from "../../../api/errors";
import { addReporterMessage } from "../../../api/services/track/add-message";
import { type TrackView, trackCase } from "../../../api/services/track/lookup";
import { fieldMessage, problemMessage } from "../../../messages/errors";
import type { Lang } from "../../i18n/lang";

export type TrackState =
  | {
      kind: "lookup";
      status: number;
      /** What the citizen typed, shown again. */
      code: string;
      codeError?: string;
      notFound?: boolean;
      problem?: string;
    }
  | {
      kind: "case";
      status: number;
      /** The canonical code, carried in the add-message form's hidden field (never in a URL). */
      code: string;
      view: TrackView;
      message: { value: string; error?: string; sent?: boolean; problem?: string };
    };

/**
 * GET shows the lookup form. Both POSTs answer on the same response, told apart by the hidden
 * `intent` field: `lookup` (the code) and `message` (hidden code + the text to add). The code
 * never goes into a URL.
 */
export async function handleTrackRequest(
  request: Request,
  /** The reporter's ctx (Astro.locals.ctx). */
  ctx: Ctx,
  lang: Lang,
  /** The posted form, read once under its cap by site/middleware/form.ts (Astro.locals.form). */
  posted: FormData | undefined,
): Promise<TrackState> {
  if (request.method !== "POST") return { kind: "lookup", status: 200, code: "" };
  if (!posted) return { kind: "lookup", status: 400, code: "", problem: problemMessage(400, lang) };
  const form = posted;
  const str = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const typed = str("trackingCode").slice(0, 100);

  if (!typed.trim()) {
    return { kind: "lookup", status: 422, code: "", codeError: fieldMessage("required", lang) };
  }

  const show = async (
    status: number,
    message: Extract<TrackState, { kind: "case" }>["message"],
  ): Promise<TrackState> => {
    try {
      const view = await trackCase({ ctx, input: { trackingCode: typed, lang } });
      const normalized = normalizeTrackingCode(typed);
      return {
        kind: "case",
        status,
        code: normalized ? formatTrackingCode(normalized) : typed,
        view,
        message,
      };
    } catch (e) {
      return failure(e, typed, lang, ctx);
    }
  };

  if (str("intent") === "message") {
    const body = str("body").replace(/\r\n?/g, "\n");
    try {
      await addReporterMessage({ ctx, input: { trackingCode: typed, body } });
    } catch (e) {
      if (e instanceof Problem && e.status === 422) {
        const code = e.errors?.[0]?.code ?? "invalid_type";
        return show(422, { value: body, error: fieldMessage(code, lang) });
      }
      if (e instanceof Problem && e.status !== 404) {
        return show(e.status, {
          value: body,
          problem: problemMessage(e.status, lang, retryAfterOf(e), { inputKept: true }),
        });
      }
      return failure(e, typed, lang, ctx);
    }
    return show(200, { value: "", sent: true });
  }
  return show(200, { value: "" });
}

function retryAfterOf(e: Problem): number | undefined {
  const n = Number(e.headers["Retry-After"]);
  return Number.isFinite(n) ? n : undefined;
}

function failure(e: unknown, typed: string, lang: Lang, ctx: Ctx): TrackState {
  if (e instanceof Problem) {
    // Unknown and malformed codes look the same: nothing here tells whether a code exists.
    if (e.status === 404) return { kind: "lookup", status: 404, code: typed, notFound: true };
    return {
      kind: "lookup",
      status: e.status,
      code: typed,
      problem: problemMessage(e.status, lang, retryAfterOf(e)),
    };
  }
  // Never log the error itself, nor the code: a database error carries its parameters.
  const err = e as { name?: string; code?: string };
  if (isDatabaseUnavailable(e)) {
    ctx.deps.log.warn(
      { reqId: ctx.requestId, err: { name: err?.name, code: err?.code } },
      "track page: database unavailable",
    );
    return { kind: "lookup", status: 503, code: typed, problem: problemMessage(503, lang) };
  }
  ctx.deps.log.error(
    { reqId: ctx.requestId, err: { name: err?.name, code: err?.code } },
    "track page: unhandled error",
  );
  return { kind: "lookup", status: 500, code: typed, problem: problemMessage(500, lang) };
}
