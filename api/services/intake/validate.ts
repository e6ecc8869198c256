import { z } from "zod";
import {
  CATEGORY_CODES,
  REPORT_TYPES,
  REPORTER_KINDS,
  type ReporterKind,
  subjectRule,
} from "../../domain/categories";
import { isIsoDate, shanghaiDate } from "../../domain/clock";
import type { OfficeDirectory } from "../../domain/divisions";
import { checkIdNumber, normalizeIdNumber } from "../../domain/id-number";
import { nulPaths } from "../../domain/nul";
import { normalizePhone, type PhoneKind } from "../../domain/phone";
import { MANAGEMENT_LEVELS, type ManagementLevel } from "../../domain/routing";
import { type FieldError, fieldError } from "../../errors";
import { PUBLIC_FIELDS, zodFieldErrors } from "../../zod-issues";

// Limits on every field: a report is text a person wrote, not a file.
const text = (min: number, max: number) =>
  z
    .string({ error: "invalid_type" })
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(min, { error: min <= 1 ? "required" : "too_short" })
        .max(max, { error: "too_long" }),
    )
    .meta({ minLength: min, maxLength: max });
const optionalText = (max: number) =>
  z
    .string({ error: "invalid_type" })
    .transform((s) => s.normalize("NFC").trim())
    .pipe(z.string().max(max, { error: "too_long" }))
    .meta({ maxLength: max })
    .optional();

/** A person's name is at most 50 characters; a unit's (单位名称) at most 100. */
const PERSON_NAME_MAX = 50;

/**
 * The reporter of a real-name report (checked apart, only when realName is true): a person
 * (`kind: "person"`, the default) under their real name, or a unit (`kind: "unit"`) under its
 * name. A contact number is required: a mobile or a landline with its area code. The 身份证号 is
 * optional, and checked when given.
 */
export const reporterSchema = z.strictObject(
  {
    kind: z.enum(REPORTER_KINDS, { error: "invalid_choice" }).optional(),
    name: text(1, 100),
    idNumber: optionalText(30),
    phone: text(1, 30),
    address: optionalText(200),
    email: optionalText(100),
  },
  { error: "invalid_type" },
);

/** The person reported (被反映人): required for 检举控告, optional for 批评建议, absent for 申诉. */
export const subjectSchema = z.strictObject(
  {
    name: text(1, 50),
    unit: text(1, 100),
    position: optionalText(50),
    managementLevel: z.enum(MANAGEMENT_LEVELS, { error: "invalid_choice" }),
    divisionCode: z.string({ error: "required" }).regex(/^\d{6}$/, { error: "division.unknown" }),
    /** A 纪检监察机关 or its staff: the report goes one level up (api/domain/routing.ts). */
    isDisciplineStaff: z.boolean({ error: "invalid_type" }).optional(),
    /** The 主要负责人 of a 纪检监察机关: the report goes one level up. */
    isPrincipalLeader: z.boolean({ error: "invalid_type" }).optional(),
  },
  { error: "invalid_type" },
);

/** 申诉: the decision about the reporter that they appeal against, and the office that made it. */
export const appealSchema = z.strictObject(
  {
    /** The 处分/处理 decision, e.g. 给予党内警告处分. */
    decision: text(2, 500),
    /** Who made it, as written in the decision. */
    decidingBody: text(2, 100),
    /** YYYY-MM-DD, not after today (Asia/Shanghai). */
    decisionDate: z
      .string({ error: "required" })
      .min(1, { error: "required", abort: true })
      .refine(isIsoDate, { error: "date.invalid" }),
    /** The division code of the office that made the decision: the appeal goes there. */
    officeCode: z.string({ error: "required" }).regex(/^\d{6}$/, { error: "division.unknown" }),
  },
  { error: "invalid_type" },
);

export const reportSchema = z.strictObject(
  {
    type: z.enum(REPORT_TYPES, { error: "invalid_choice" }),
    realName: z.boolean({ error: "invalid_type" }),
    reporter: z.unknown().optional(),
    // Absent or null: both say "none" (as for the reporter of an anonymous report).
    subject: subjectSchema.nullish(),
    appeal: appealSchema.nullish(),
    category: z.enum(CATEGORY_CODES, { error: "invalid_choice" }),
    title: text(2, 100),
    body: text(10, 20000),
    captcha: z.string().max(20000).optional(),
  },
  { error: "invalid_type" },
);

export interface ValidReporter {
  kind: ReporterKind;
  name: string;
  idNumber?: string;
  /** A mobile as 11 digits, or a landline as `0731-88888888`. */
  phone: string;
  phoneKind: PhoneKind;
  address?: string;
  email?: string;
}

export interface ValidSubject {
  name: string;
  unit: string;
  position: string;
  managementLevel: ManagementLevel;
  divisionCode: string;
  isDisciplineStaff: boolean;
  isPrincipalLeader: boolean;
}

export interface ValidAppeal {
  decision: string;
  decidingBody: string;
  decisionDate: string;
  officeCode: string;
}

export interface ValidReport {
  type: (typeof REPORT_TYPES)[number];
  realName: boolean;
  reporter?: ValidReporter;
  /** Absent for 申诉, and for a 批评建议 about no one in particular. */
  subject?: ValidSubject;
  /** Present exactly for 申诉. */
  appeal?: ValidAppeal;
  category: (typeof CATEGORY_CODES)[number];
  title: string;
  body: string;
  captcha?: string;
}

export type ValidationResult = { ok: true; value: ValidReport } | { ok: false; errors: FieldError[] };

const present = (v: unknown) => v !== undefined && v !== null;

/**
 * Validates a report body (DESIGN.md). Every problem is reported at once, each with its path.
 * `today` (Asia/Shanghai, YYYY-MM-DD) bounds an appeal's decision date.
 */
export function validateReport(
  input: unknown,
  offices: OfficeDirectory,
  today: string = shanghaiDate(new Date()),
): ValidationResult {
  const errors: FieldError[] = [];
  // PostgreSQL refuses NUL (U+0000) in text: a report carrying one is refused field by field
  // (422 with the path) instead of failing at the insert with a 500.
  for (const path of nulPaths(input)) {
    errors.push(fieldError(path, "text.nul"));
  }
  const parsed = reportSchema.safeParse(input);
  if (!parsed.success) errors.push(...zodFieldErrors(parsed.error, PUBLIC_FIELDS));
  const raw = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const type = parsed.success
    ? parsed.data.type
    : (REPORT_TYPES as readonly unknown[]).includes(raw.type)
      ? (raw.type as ValidReport["type"])
      : undefined;

  let reporter: ValidReport["reporter"];
  const realName = raw.realName;
  if (realName === true) {
    const r = reporterSchema.safeParse(raw.reporter ?? undefined);
    if (!r.success) {
      errors.push(...zodFieldErrors(r.error, PUBLIC_FIELDS, "reporter"));
    } else {
      const kind = r.data.kind ?? "person";
      const nameOk = kind === "unit" || [...r.data.name].length <= PERSON_NAME_MAX;
      if (!nameOk) errors.push(fieldError("reporter.name", "too_long"));
      const idNumber = r.data.idNumber || undefined;
      const idProblem = idNumber ? checkIdNumber(idNumber) : undefined;
      if (idProblem) {
        errors.push(fieldError("reporter.idNumber", `idNumber.${idProblem}`));
      }
      const phone = normalizePhone(r.data.phone);
      if (!phone) errors.push(fieldError("reporter.phone", "phone.invalid"));
      const email = r.data.email || undefined;
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        errors.push(fieldError("reporter.email", "email.invalid"));
      }
      if (nameOk && !idProblem && phone) {
        reporter = {
          kind,
          name: r.data.name,
          ...(idNumber ? { idNumber: normalizeIdNumber(idNumber) } : {}),
          phone: phone.number,
          phoneKind: phone.kind,
          ...(r.data.address ? { address: r.data.address } : {}),
          ...(email ? { email } : {}),
        };
      }
    }
  } else if (realName === false && present(raw.reporter)) {
    // We never receive identity we promised not to keep.
    errors.push(fieldError("reporter", "reporter.forbidden"));
  }

  // What each kind of report carries (categories.ts subjectRule): 申诉 is real-name, names the
  // decision and no person reported; only 申诉 names a decision.
  if (type === "appeal") {
    if (realName === false) errors.push(fieldError("realName", "appeal.real_name"));
    if (present(raw.subject)) errors.push(fieldError("subject", "appeal.subject_forbidden"));
    if (!present(raw.appeal)) errors.push(fieldError("appeal", "required"));
  } else {
    if (type !== undefined && present(raw.appeal)) errors.push(fieldError("appeal", "appeal.forbidden"));
    // Without a valid type, judge the subject as for 检举控告 (the form's first choice).
    if (subjectRule(type ?? "accusation") === "required" && !present(raw.subject)) {
      errors.push(fieldError("subject", "required"));
    }
  }

  if (parsed.success && parsed.data.subject && !offices.get(parsed.data.subject.divisionCode)) {
    errors.push(fieldError("subject.divisionCode", "division.unknown"));
  }
  const appeal = parsed.success ? parsed.data.appeal : undefined;
  if (appeal) {
    if (!offices.get(appeal.officeCode)) errors.push(fieldError("appeal.officeCode", "division.unknown"));
    if (appeal.decisionDate > today) errors.push(fieldError("appeal.decisionDate", "date.future"));
  }

  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  const d = parsed.data;
  const s = d.subject;
  return {
    ok: true,
    value: {
      type: d.type,
      realName: d.realName,
      reporter,
      ...(s
        ? {
            subject: {
              name: s.name,
              unit: s.unit,
              position: s.position ?? "",
              managementLevel: s.managementLevel,
              divisionCode: s.divisionCode,
              isDisciplineStaff: s.isDisciplineStaff ?? false,
              isPrincipalLeader: s.isPrincipalLeader ?? false,
            },
          }
        : {}),
      ...(d.appeal ? { appeal: d.appeal } : {}),
      category: d.category,
      title: d.title,
      body: d.body,
      captcha: d.captcha,
    },
  };
}
