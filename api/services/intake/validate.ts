import { z } from "zod";
import { CATEGORY_CODES, REPORT_TYPES } from "../../domain/categories";
import type { OfficeDirectory } from "../../domain/divisions";
import { checkIdNumber, normalizeIdNumber } from "../../domain/id-number";
import { nulPaths } from "../../domain/nul";
import { normalizeMobile } from "../../domain/phone";
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

export const reporterSchema = z.strictObject(
  {
    name: text(1, 50),
    idNumber: text(1, 30),
    phone: text(1, 30),
    address: optionalText(200),
    email: optionalText(100),
  },
  { error: "invalid_type" },
);

export const reportSchema = z.strictObject(
  {
    type: z.enum(REPORT_TYPES, { error: "invalid_choice" }),
    realName: z.boolean({ error: "invalid_type" }),
    reporter: z.unknown().optional(),
    subject: z.strictObject(
      {
        name: text(1, 50),
        unit: text(1, 100),
        position: optionalText(50),
        managementLevel: z.enum(["province", "city", "county", "other"], { error: "invalid_choice" }),
        divisionCode: z.string({ error: "required" }).regex(/^\d{6}$/, { error: "division.unknown" }),
      },
      { error: "invalid_type" },
    ),
    category: z.enum(CATEGORY_CODES, { error: "invalid_choice" }),
    title: text(2, 100),
    body: text(10, 20000),
    captcha: z.string().max(20000).optional(),
  },
  { error: "invalid_type" },
);

export interface ValidReport {
  type: (typeof REPORT_TYPES)[number];
  realName: boolean;
  reporter?: { name: string; idNumber: string; phone: string; address?: string; email?: string };
  subject: {
    name: string;
    unit: string;
    position: string;
    managementLevel: "province" | "city" | "county" | "other";
    divisionCode: string;
  };
  category: (typeof CATEGORY_CODES)[number];
  title: string;
  body: string;
  captcha?: string;
}

export type ValidationResult = { ok: true; value: ValidReport } | { ok: false; errors: FieldError[] };

/** Validates a report body (DESIGN.md). Every problem is reported at once, each with its path. */
export function validateReport(input: unknown, offices: OfficeDirectory): ValidationResult {
  const errors: FieldError[] = [];
  // PostgreSQL refuses NUL (U+0000) in text: a report carrying one is refused field by field
  // (422 with the path) instead of failing at the insert with a 500.
  for (const path of nulPaths(input)) {
    errors.push(fieldError(path, "text.nul"));
  }
  const parsed = reportSchema.safeParse(input);
  if (!parsed.success) errors.push(...zodFieldErrors(parsed.error, PUBLIC_FIELDS));
  const raw = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;

  let reporter: ValidReport["reporter"];
  const realName = raw.realName;
  if (realName === true) {
    const r = reporterSchema.safeParse(raw.reporter ?? undefined);
    if (!r.success) {
      errors.push(...zodFieldErrors(r.error, PUBLIC_FIELDS, "reporter"));
    } else {
      const idProblem = checkIdNumber(r.data.idNumber);
      if (idProblem) {
        errors.push(fieldError("reporter.idNumber", `idNumber.${idProblem}`));
      }
      const phone = normalizeMobile(r.data.phone);
      if (!phone) errors.push(fieldError("reporter.phone", "phone.invalid"));
      const email = r.data.email || undefined;
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        errors.push(fieldError("reporter.email", "email.invalid"));
      }
      if (!idProblem && phone) {
        reporter = {
          name: r.data.name,
          idNumber: normalizeIdNumber(r.data.idNumber),
          phone,
          ...(r.data.address ? { address: r.data.address } : {}),
          ...(email ? { email } : {}),
        };
      }
    }
  } else if (realName === false && raw.reporter !== undefined && raw.reporter !== null) {
    // We never receive identity we promised not to keep.
    errors.push(fieldError("reporter", "reporter.forbidden"));
  }

  if (parsed.success && !offices.get(parsed.data.subject.divisionCode)) {
    errors.push(fieldError("subject.divisionCode", "division.unknown"));
  }

  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    value: {
      type: d.type,
      realName: d.realName,
      reporter,
      subject: { ...d.subject, position: d.subject.position ?? "" },
      category: d.category,
      title: d.title,
      body: d.body,
      captcha: d.captcha,
    },
  };
}
