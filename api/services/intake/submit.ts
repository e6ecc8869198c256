import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { routeIntake } from "../../domain/routing";
import { fieldError, problems } from "../../errors";
import { type IncomingFile, prepareAttachments } from "../attachments/prepare";
import { runIntake } from "./pipeline";
import { validateReport } from "./validate";

export interface SubmitInput {
  body: unknown;
  idempotencyKey?: string;
  files?: IncomingFile[];
}

export interface Receipt {
  trackingCode: string;
  receivedAt: string;
  office: { code: string; name: string };
}

/**
 * POST /api/v1/reports — the citizen's form through the shared intake pipeline (pipeline.ts):
 * validate, captcha, clean the files, route by management authority; the case lands at the routed
 * office with channel `online`, and the answer is the receipt with the tracking code.
 */
export async function submitReport({ ctx, input }: VerbArgs<SubmitInput>): Promise<Receipt> {
  const { deps } = ctx;
  return runIntake<Receipt, Receipt>(ctx, {
    body: input.body,
    files: input.files,
    idempotencyKey: input.idempotencyKey,
    keyScope: "",
    plan: async () => {
      const checked = validateReport(input.body, deps.offices, shanghaiDate(deps.now()));
      if (!checked.ok) throw problems.invalid(checked.errors);
      const report = checked.value;
      if (!(await deps.captcha.verify(report.captcha))) {
        throw problems.invalid([fieldError("captcha", "captcha.failed")]);
      }
      // After the captcha: cleaning files (sharp, PDF and DOCX rewriting) is the costly part.
      const prepared = await prepareAttachments(ctx, input.files ?? []);
      // validateReport checked the division and the appeal's office against the directory.
      const route = routeIntake(deps.offices, {
        subject: report.subject,
        appealOfficeCode: report.appeal?.officeCode,
      })!;
      return {
        report,
        prepared,
        office: { code: route.office.code, name: route.office.name },
        route,
        channel: "online",
        reference: null,
        eventActor: "system:intake",
        wantsTrackingCode: true,
      };
    },
    stored: (o) => ({
      trackingCode: o.trackingCode!,
      receivedAt: o.receivedAt.toISOString(),
      office: o.office,
    }),
    finish: async (r) => r,
  });
}
