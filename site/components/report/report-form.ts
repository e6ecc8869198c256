import type { FieldError } from "../../../api/errors";
import { fieldMessage } from "../../../messages/errors";
import type { Lang } from "../../i18n/lang";
import { fill, formatSize, REPORT } from "../../i18n/report";

/**
 * The report form's fields, in the order they appear on the page. A field's `name` in the HTML
 * is its key; the key mirrors the report body's path (DESIGN.md) except `divisionCode`, which
 * the form posts flat and the body nests as `subject.divisionCode`. `reporter`, `subject` and
 * `appeal` are their fieldsets (an error about the whole block shows there).
 */
export const FIELD_KEYS = [
  "type",
  "realName",
  "reporter",
  "reporter.kind",
  "reporter.name",
  "reporter.idNumber",
  "reporter.phone",
  "reporter.address",
  "reporter.email",
  "subject",
  "subject.name",
  "subject.unit",
  "subject.position",
  "subject.managementLevel",
  "divisionCode",
  "subject.isDisciplineStaff",
  "subject.isPrincipalLeader",
  "appeal",
  "appeal.decision",
  "appeal.decidingBody",
  "appeal.decisionDate",
  "appeal.officeCode",
  "category",
  "title",
  "body",
  "files",
  "captcha",
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

/**
 * Text the citizen typed or chose, by field key; sent back into the form when it is shown again.
 * `files` never has a value: a browser cannot put chosen files back into a file input.
 */
export type FormValues = Partial<Record<FieldKey, string>>;

const REPORTER_KEYS = ["kind", "name", "idNumber", "phone", "address", "email"] as const;
const SUBJECT_TEXT_KEYS = ["subject.name", "subject.unit", "subject.position"] as const;
const SUBJECT_FLAG_KEYS = ["subject.isDisciplineStaff", "subject.isPrincipalLeader"] as const;
const APPEAL_KEYS = ["decision", "decidingBody", "decisionDate", "officeCode"] as const;

/** The HTML id of a field: `reporter.idNumber` → `f-reporter-idNumber`. A radio group's first option carries it. */
export function fieldId(key: FieldKey): string {
  return `f-${key.replace(/\./g, "-")}`;
}

/** Where an error summary link for the field points: the first control a citizen can act on. */
export function anchorId(key: FieldKey): string {
  if (key === "reporter") return fieldId("reporter.name");
  if (key === "subject") return fieldId("subject.name");
  if (key === "appeal") return fieldId("appeal.decision");
  return fieldId(key);
}

export function errorId(key: FieldKey): string {
  return `${fieldId(key)}-error`;
}

/** Reads the text fields of a posted form (a browser sends CRLF line ends); files and unknown names are ignored. */
export function readFormValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const key of FIELD_KEYS) {
    // A captcha may render more than one `captcha` field (a widget and a no-JS fallback): take
    // the first that carries an answer.
    if (key === "files") continue;
    const v =
      key === "captcha"
        ? form.getAll(key).find((x) => typeof x === "string" && x.trim() !== "")
        : form.get(key);
    if (typeof v === "string") values[key] = v.replace(/\r\n?/g, "\n");
  }
  return values;
}

/**
 * Builds the report body of DESIGN.md from the form. The service validates it; this only shapes it.
 *
 * With JavaScript off every fieldset is on the page, so a report arrives with the empty fields of
 * the blocks that do not apply: an anonymous report's identity, an appeal's person reported, the
 * appeal block of any other report. Empty blocks are dropped here. A block that was filled in is
 * sent as it is, so that the service refuses it (`reporter.forbidden`, `appeal.subject_forbidden`,
 * `appeal.forbidden`) rather than this page silently discarding what the citizen wrote.
 */
export function buildReportBody(values: FormValues): Record<string, unknown> {
  const v = (key: FieldKey) => values[key]?.trim() ?? "";
  const realName = values.realName === "true" ? true : values.realName === "false" ? false : undefined;
  const type = values.type;

  const reporter: Record<string, string> = {};
  for (const k of REPORTER_KEYS) {
    const value = v(`reporter.${k}`);
    // name and phone are required for a real-name report: send them even when empty so the
    // citizen hears which one is missing.
    if (value || (realName === true && (k === "name" || k === "phone"))) reporter[k] = value;
  }
  // A person is the default kind: the radio's first choice says nothing the service needs.
  if (reporter.kind === "person") delete reporter.kind;

  const subjectGiven =
    SUBJECT_TEXT_KEYS.some((k) => v(k) !== "") ||
    v("subject.managementLevel") !== "" ||
    v("divisionCode") !== "" ||
    SUBJECT_FLAG_KEYS.some((k) => values[k] === "true");
  // 检举控告 (and anything but 申诉 and 批评建议) must name someone: sent even when empty, so the
  // citizen hears which field is missing.
  const subject =
    subjectGiven || (type !== "appeal" && type !== "suggestion")
      ? {
          name: v("subject.name"),
          unit: v("subject.unit"),
          ...(v("subject.position") ? { position: v("subject.position") } : {}),
          ...(values["subject.managementLevel"]
            ? { managementLevel: values["subject.managementLevel"] }
            : {}),
          divisionCode: v("divisionCode"),
          ...(values["subject.isDisciplineStaff"] === "true" ? { isDisciplineStaff: true } : {}),
          ...(values["subject.isPrincipalLeader"] === "true" ? { isPrincipalLeader: true } : {}),
        }
      : undefined;

  const appealGiven = APPEAL_KEYS.some((k) => v(`appeal.${k}`) !== "");
  const appeal =
    appealGiven || type === "appeal"
      ? {
          decision: v("appeal.decision"),
          decidingBody: v("appeal.decidingBody"),
          decisionDate: isoDateOf(v("appeal.decisionDate")),
          officeCode: v("appeal.officeCode"),
        }
      : undefined;

  return {
    ...(type ? { type } : {}),
    ...(realName !== undefined ? { realName } : {}),
    ...(realName !== undefined && Object.keys(reporter).length > 0 ? { reporter } : {}),
    ...(subject ? { subject } : {}),
    ...(appeal ? { appeal } : {}),
    ...(values.category ? { category: values.category } : {}),
    title: values.title ?? "",
    body: values.body ?? "",
    ...(v("captcha") ? { captcha: v("captcha") } : {}),
  };
}

/**
 * A date as a browser without a date picker lets people type it (2025/6/30, 2025.6.30,
 * 2025年6月30日, full-width digits) in the API's form, 2025-06-30; anything else as typed, for the
 * service to refuse.
 */
export function isoDateOf(typed: string): string {
  const s = typed.normalize("NFKC").trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  return m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : s;
}

/** `files[2]` or `files.2` → 2; `files` → undefined. */
export function fileIndexOfPath(path: string): number | undefined {
  const m = /^files(?:\[(\d+)\]|\.(\d+))$/.exec(path);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

/** Where a service error path shows on the form. Paths of no field go to the summary only. */
export function fieldOfPath(path: string): FieldKey | undefined {
  if (path === "subject.divisionCode") return "divisionCode";
  if (path === "files" || fileIndexOfPath(path) !== undefined) return "files";
  if ((FIELD_KEYS as readonly string[]).includes(path)) return path as FieldKey;
  if (path.startsWith("reporter.")) return "reporter";
  if (path.startsWith("subject.")) return "subject";
  if (path.startsWith("appeal.")) return "appeal";
  return undefined;
}

export interface ErrorView {
  /** Messages beside each field, by key. */
  byField: Partial<Record<FieldKey, string>>;
  /** The error summary at the top, in the order of the form; `key` is absent for errors of no field. */
  summary: { key?: FieldKey; message: string }[];
}

/** What the page knows about the files that were sent, to say which one is wrong. */
export interface FilesSent {
  names: string[];
  maxFiles: number;
  maxFileBytes: number;
}

/**
 * The message for a file error: the file's name first when the path names one, and the limit
 * when the error is about one (the service's message says only "too large").
 */
function fileMessage(e: FieldError, lang: Lang, files: FilesSent | undefined): string {
  const t = REPORT[lang];
  const i = fileIndexOfPath(e.path);
  let message = fieldMessage(e.code, lang);
  if (files && e.code === "file.too_large")
    message += fill(t.fileSizeLimit, { size: formatSize(files.maxFileBytes) });
  if (files && e.code === "file.too_many")
    message =
      files.names.length > files.maxFiles
        ? fill(t.filesTooMany, { count: files.maxFiles, chosen: files.names.length })
        : message + fill(t.filesCountLimit, { count: files.maxFiles });
  const name = i !== undefined ? files?.names[i] : undefined;
  return name ? fill(t.fileNamed, { name, message }) : message;
}

/** Maps the service's field errors to messages beside the fields, in the page's language. */
export function mapFieldErrors(
  errors: FieldError[],
  values: FormValues,
  lang: Lang,
  files?: FilesSent,
): ErrorView {
  const byField: ErrorView["byField"] = {};
  const general: string[] = [];
  for (const e of errors) {
    const key = fieldOfPath(e.path);
    if (key === "files") {
      // One message per file, all beside the field: the citizen needs to know each file that is wrong.
      const message = fileMessage(e, lang, files);
      const prev = byField.files;
      if (!prev) byField.files = message;
      else if (!prev.includes(message)) byField.files = `${prev}${lang === "zh" ? "" : " "}${message}`;
      continue;
    }
    // An empty title answers "too short"; the citizen left it empty, so say it is required.
    const code = e.code === "too_short" && key && !values[key]?.trim() ? "required" : e.code;
    const message = fieldMessage(code, lang);
    if (!key) {
      if (!general.includes(message)) general.push(message);
    } else if (!byField[key]) {
      byField[key] = message;
    }
  }
  const summary: ErrorView["summary"] = [];
  for (const key of FIELD_KEYS) {
    const message = byField[key];
    if (message) summary.push({ key, message });
  }
  for (const message of general) summary.push({ message });
  return { byField, summary };
}

/** The label a field has on the page, for the error summary ("姓名：此项为必填项。"). */
export function fieldLabel(key: FieldKey, t: (typeof REPORT)["zh"]): string {
  const labels: Record<FieldKey, string> = {
    type: t.typeLegend,
    realName: t.realNameLegend,
    reporter: t.reporterLegend,
    "reporter.kind": t.reporterKindLegend,
    "reporter.name": t.reporterName,
    "reporter.idNumber": t.reporterIdNumber,
    "reporter.phone": t.reporterPhone,
    "reporter.address": t.reporterAddress,
    "reporter.email": t.reporterEmail,
    subject: t.subjectLegend,
    "subject.name": t.subjectName,
    "subject.unit": t.subjectUnit,
    "subject.position": t.subjectPosition,
    "subject.managementLevel": t.levelLegend,
    divisionCode: t.division,
    "subject.isDisciplineStaff": t.isDisciplineStaff,
    "subject.isPrincipalLeader": t.isPrincipalLeader,
    appeal: t.appealLegend,
    "appeal.decision": t.appealDecision,
    "appeal.decidingBody": t.appealDecidingBody,
    "appeal.decisionDate": t.appealDecisionDate,
    "appeal.officeCode": t.appealOffice,
    category: t.category,
    title: t.reportTitle,
    body: t.body,
    files: t.files,
    captcha: t.captcha,
  };
  return labels[key];
}
