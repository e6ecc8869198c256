import { eq } from "drizzle-orm";
import { cases } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import type { StaffChannel } from "../../domain/channels";
import { shanghaiDate } from "../../domain/clock";
import { routeIntake } from "../../domain/routing";
import { parseStaffFields, STAFF_FIELD_NAMES } from "../../domain/staff-intake";
import type { Stage } from "../../domain/workflow";
import { type FieldError, fieldError, problems } from "../../errors";
import { actorLabel, staffOf } from "../cases/scope";
import { currentLabel, currentNumberColumns } from "../numbering/numbers";
import { runIntake } from "./pipeline";
import { validateReport } from "./validate";

export interface RegisterInput {
  body: unknown;
  idempotencyKey?: string;
}

/** The answer of POST /api/v1/staff/intake: the case as registered and, when asked, its code. */
export interface Registered {
  case: {
    id: string;
    number: string | null;
    office: { code: string; name: string };
    stage: Stage;
    channel: StaffChannel;
    receivedOn: string;
    reference: string | null;
  };
  /** Only when the reporter asked for one (printed on the 受理回执); never stored in plaintext. */
  trackingCode?: string;
}

/** What a retry with the same key gets back: the case id and the code, sealed (pipeline.ts). */
interface StoredRegistration {
  caseId: string;
  trackingCode: string | null;
}

/**
 * POST /api/v1/staff/intake — the 信访室 registers a 信访件 that arrived by letter, visit, phone,
 * the 12388 line or from above (issue 11 §2), through the same pipeline as the online form: the
 * same validation, redaction, sealing of the identity to the vault, clocks, repeats, event and
 * idempotency. No captcha (the member is signed in). The case lands at the registering member's
 * own office at `received`, as a letter arriving there would; sending it where management
 * authority says is that office's own 转送 decision — except a report the rules send one level up
 * (about 纪检监察 staff or a 主要负责人), which lands where the online form would send it unless the
 * registering office is above that one. The clocks run from `receivedOn`.
 */
export async function registerStaffIntake({ ctx, input }: VerbArgs<RegisterInput>): Promise<Registered> {
  const actor = staffOf(ctx);
  if (!actor.roles.includes("intake")) throw problems.forbidden("intake.no_role");
  const { deps } = ctx;
  const office = deps.offices.get(actor.officeCode);
  if (!office) throw problems.forbidden("intake.no_role");

  return runIntake<StoredRegistration, Registered>(ctx, {
    body: input.body,
    idempotencyKey: input.idempotencyKey,
    // One member's keys never answer another member's request, nor a citizen's.
    keyScope: `staff:${actor.id}`,
    plan: async () => {
      const today = shanghaiDate(deps.now());
      const raw =
        input.body && typeof input.body === "object" && !Array.isArray(input.body)
          ? (input.body as Record<string, unknown>)
          : undefined;
      if (!raw) throw problems.invalid([fieldError("(body)", "invalid_type")]);
      const reportPart: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (!(STAFF_FIELD_NAMES as readonly string[]).includes(k) && k !== "captcha") reportPart[k] = v;
      }
      const errors: FieldError[] = [];
      const staff = parseStaffFields(raw, today);
      if (!staff.ok) errors.push(...staff.errors.map((e) => fieldError(e.path, e.code)));
      const checked = validateReport(reportPart, deps.offices, today);
      if (!checked.ok) errors.push(...checked.errors);
      if (!staff.ok || !checked.ok) throw problems.invalid(errors);
      const report = checked.value;
      const route = routeIntake(deps.offices, {
        subject: report.subject,
        appealOfficeCode: report.appeal?.officeCode,
      })!;
      // A report about 纪检监察 staff or an office's 主要负责人 goes one level up whatever door it
      // came in by (检举控告工作规则): it does not stay with an office the rules took it away from.
      // Only an office above the one the rules pick keeps it.
      const keptAbove =
        office.code !== route.office.code && deps.offices.isSameOrAbove(office.code, route.office.code);
      const landing = route.oneLevelUp !== null && !keptAbove ? route.office : office;
      return {
        report,
        prepared: [],
        office: { code: landing.code, name: landing.name },
        route,
        channel: staff.value.channel,
        receivedOn: staff.value.receivedOn,
        reference: staff.value.reference,
        eventActor: actorLabel(actor),
        wantsTrackingCode: staff.value.wantsTrackingCode,
      };
    },
    stored: (o) => ({ caseId: o.caseId, trackingCode: o.trackingCode }),
    finish: async (s) => {
      const [row] = await deps.db
        .select({
          id: cases.id,
          officeCode: cases.officeCode,
          stage: cases.stage,
          channel: cases.channel,
          receivedOn: cases.receivedOn,
          reference: cases.externalReference,
          ...currentNumberColumns,
        })
        .from(cases)
        .where(eq(cases.id, s.caseId))
        .limit(1);
      if (!row) throw problems.notFound("case.not_found");
      const at = deps.offices.get(row.officeCode);
      return {
        case: {
          id: row.id,
          number: currentLabel(deps, row),
          office: { code: row.officeCode, name: at?.name ?? row.officeCode },
          stage: row.stage as Stage,
          channel: row.channel as StaffChannel,
          receivedOn: row.receivedOn,
          reference: row.reference,
        },
        ...(s.trackingCode ? { trackingCode: s.trackingCode } : {}),
      };
    },
  });
}
