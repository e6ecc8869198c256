import type { Ctx } from "../../../api/context";
import { isDatabaseUnavailable, Problem } from "../../../api/errors";
import type { IncomingFile } from "../../../api/services/attachments/prepare";
import { type Receipt, submitReport } from "../../../api/services/intake/submit";
import { problemMessage } from "../../../messages/errors";
import type { Lang } from "../../i18n/lang";
import { REPORT } from "../../i18n/report";
import {
  buildReportBody,
  type ErrorView,
  type FormValues,
  mapFieldErrors,
  readFormValues,
} from "./report-form";

export type ReportState =
  | {
      kind: "form";
      status: number;
      /** Idempotency key of this filled-in form, posted back in a hidden field. */
      formKey: string;
      values: FormValues;
      errors: ErrorView;
      /** A problem with the whole submission (400, 413, 429, 500 …), shown at the top. */
      problem?: string;
      /**
       * Names of the files that were sent with this form. A browser cannot put chosen files back
       * into a re-rendered form, so the page asks for them again.
       */
      filesSent?: string[];
    }
  | {
      kind: "receipt";
      status: 200;
      receipt: Receipt;
      /** A real-name 检举控告: the reporter is told within 15 working days whether it is accepted. */
      realName: boolean;
    };

const EMPTY: ErrorView = { byField: {}, summary: [] };

/**
 * GET shows the empty form (`?type=appeal` and the like choose the kind of report: a link to the
 * 申诉 form that works without JavaScript). POST files the report in-process and answers with the
 * receipt on the same response: the tracking code never appears in a URL or a redirect.
 */
export async function handleReportRequest(
  request: Request,
  /** The reporter's ctx (Astro.locals.ctx): its request id is also in the error lines. */
  ctx: Ctx,
  lang: Lang,
  /** The posted form, read once under its cap by site/middleware/form.ts (Astro.locals.form). */
  posted: FormData | undefined,
): Promise<ReportState> {
  if (request.method !== "POST")
    return { kind: "form", status: 200, formKey: newKey(), values: chosenType(request), errors: EMPTY };
  const { deps } = ctx;
  const { config } = deps;

  // The body's cap (the API's ceiling with files) was applied by the edge when it read it.
  let values: FormValues;
  let formKey: string;
  let files: IncomingFile[];
  try {
    if (!posted) throw new Error("no form");
    const form = posted;
    values = readFormValues(form);
    const k = form.get("idempotencyKey");
    formKey = typeof k === "string" && /^[0-9a-f-]{36}$/.test(k) ? k : newKey();
    files = await readFiles(form);
  } catch {
    return problemState(400, newKey(), {}, lang);
  }
  const filesSent = files.length > 0 ? files.map((f) => f.name) : undefined;
  // 受理告知 is owed for a real-name 检举控告 only (not 申诉, not 批评建议).
  const realName = values.realName === "true" && (values.type ?? "accusation") === "accusation";
  // The captcha solution is single-use: never send it back into the form.
  const kept: FormValues = { ...values, captcha: undefined };

  try {
    const receipt = await submitReport({
      ctx,
      // The form's key makes a second click or a resubmission after a dropped connection answer
      // with the first receipt instead of filing the report twice.
      input: { body: buildReportBody(values), files, idempotencyKey: formKey },
    });
    return { kind: "receipt", status: 200, receipt, realName };
  } catch (e) {
    if (e instanceof Problem) {
      if (e.status === 422 && e.errors) {
        return {
          kind: "form",
          status: 422,
          formKey,
          values: kept,
          errors: mapFieldErrors(e.errors, values, lang, {
            names: files.map((f) => f.name),
            maxFiles: config.maxFiles,
            maxFileBytes: config.maxFileBytes,
          }),
          filesSent,
        };
      }
      const retryAfter = Number(e.headers["Retry-After"]);
      // After a conflict the key is spent on another text: a fresh one lets the citizen send this one.
      const key = e.status === 409 ? newKey() : formKey;
      return {
        ...problemState(e.status, key, kept, lang, Number.isFinite(retryAfter) ? retryAfter : undefined),
        filesSent,
      };
    }
    // Never log the error itself: a database error carries the SQL parameters (report content).
    const err = e as { name?: string; code?: string };
    if (isDatabaseUnavailable(e)) {
      // Nothing was committed; the form comes back as it was typed, with its key, so the next
      // click files it once.
      deps.log.warn(
        { reqId: ctx.requestId, err: { name: err?.name, code: err?.code } },
        "report page: database unavailable",
      );
      return { ...problemState(503, formKey, kept, lang), filesSent };
    }
    deps.log.error(
      { reqId: ctx.requestId, err: { name: err?.name, code: err?.code } },
      "report page: unhandled error",
    );
    return { ...problemState(500, formKey, kept, lang), filesSent };
  }
}

/**
 * The `files` parts of the form. A file input with nothing chosen still posts one part, with an
 * empty file name and no content: that is no file. A chosen file that happens to be empty is
 * passed on, so the service can say what is wrong with it.
 */
async function readFiles(form: FormData): Promise<IncomingFile[]> {
  const out: IncomingFile[] = [];
  for (const part of form.getAll("files")) {
    if (typeof part === "string") continue;
    if (part.name === "" && part.size === 0) continue;
    out.push({ name: part.name, type: part.type, data: new Uint8Array(await part.arrayBuffer()) });
  }
  return out;
}

const newKey = () => crypto.randomUUID();

/** The kind of report a link chose (`/report?type=appeal`), one the form offers; 申诉 is real-name only. */
function chosenType(request: Request): FormValues {
  const type = new URL(request.url).searchParams.get("type");
  if (!type || !Object.hasOwn(REPORT.zh.typeOptions, type)) return {};
  return type === "appeal" ? { type, realName: "true" } : { type };
}

function problemState(
  status: number,
  formKey: string,
  values: FormValues,
  lang: Lang,
  retryAfter?: number,
): Extract<ReportState, { kind: "form" }> {
  return {
    kind: "form",
    status,
    formKey,
    values,
    errors: EMPTY,
    problem: problemMessage(status, lang, retryAfter),
  };
}
