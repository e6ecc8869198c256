import { eq } from "drizzle-orm";
import { cases, idempotencyKeys, sealedIdentities } from "../../../db/schema/index";
import { fieldMessage } from "../../../site/i18n/errors";
import type { VerbArgs } from "../../context";
import { canonicalJson } from "../../crypto/event-chain";
import { keyedHash } from "../../crypto/keyed-hash";
import { boxSecret, openSecret, sealJson } from "../../crypto/seal";
import { generateTrackingCode, hashTrackingCode, normalizeTrackingCode } from "../../crypto/tracking-code";
import { redactOwnIdentifiers } from "../../domain/redact";
import { routeCase } from "../../domain/routing";
import { Problem, problems } from "../../errors";
import { appendEvent } from "../events/append";
import { type IncomingFile, prepareAttachments, storeAttachments } from "../attachments/prepare";
import { startIntakeClocks } from "../clocks/start-intake";
import { type ValidReport, validateReport } from "./validate";

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

const dec = new TextDecoder();

function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  if (err?.cause && isUniqueViolation(err.cause, constraint)) return true;
  return err?.code === "23505" && (err.constraint_name ?? err.constraint ?? "").includes(constraint);
}

/**
 * validate → redact → seal identity and original text → route → insert case, sealed identity,
 * `received` event (and attachments, clocks) in one transaction → answer. The answer exists
 * only after the commit.
 */
export async function submitReport({ ctx, input }: VerbArgs<SubmitInput>): Promise<Receipt> {
  const { deps } = ctx;
  const { keys, db } = deps;

  const idem = input.idempotencyKey?.trim();
  if (idem !== undefined && (idem.length < 1 || idem.length > 200)) {
    throw problems.invalid([{ path: "Idempotency-Key", code: "invalid_type", message: fieldMessage("invalid_type") }]);
  }
  const keyHash = idem ? keyedHash(keys.serverKey, "idempotency-key", idem) : undefined;
  const requestHash = keyedHash(
    keys.serverKey,
    "idempotency-request",
    canonicalJson({
      body: input.body,
      files: (input.files ?? []).map((f) => [f.name, keyedHash(keys.serverKey, "idempotency-file", f.data)]),
    }),
  );
  const replay = async (): Promise<Receipt | undefined> => {
    if (!idem || !keyHash) return undefined;
    const [row] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.keyHash, keyHash)).limit(1);
    if (!row) return undefined;
    if (!Buffer.from(row.requestHash).equals(Buffer.from(requestHash))) {
      throw problems.conflict(
        "此 Idempotency-Key 已用于另一份不同的举报。This Idempotency-Key was already used for a different report.",
      );
    }
    const key = keyedHash(keys.serverKey, "idempotency-response", idem);
    return JSON.parse(dec.decode(openSecret(key, row.responseSealed))) as Receipt;
  };

  const first = await replay();
  if (first) return first;

  const checked = validateReport(input.body, deps.offices);
  if (!checked.ok) throw problems.invalid(checked.errors);
  const report = checked.value;

  if (!(await deps.captcha.verify(report.captcha))) {
    throw problems.invalid([{ path: "captcha", code: "captcha.failed", message: fieldMessage("captcha.failed") }]);
  }

  // After the captcha: cleaning files (sharp, PDF and DOCX rewriting) is the costly part.
  const prepared = await prepareAttachments(ctx, input.files ?? []);

  const office = routeCase(deps.offices, report.subject.managementLevel, report.subject.divisionCode)!;
  const sanitized = sanitize(report);
  const sealed = sealJson(keys.vaultPublicKey, {
    reporter: report.reporter ?? null,
    title: report.title,
    body: report.body,
  });

  for (let attempt = 0; ; attempt++) {
    const trackingCode = generateTrackingCode();
    const trackingHash = hashTrackingCode(keys.trackingKey, normalizeTrackingCode(trackingCode)!);
    const receivedAt = deps.now();
    const receipt: Receipt = {
      trackingCode,
      receivedAt: receivedAt.toISOString(),
      office: { code: office.code, name: office.name },
    };
    try {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(cases)
          .values({
            type: report.type,
            category: report.category,
            realName: report.realName,
            title: sanitized.title,
            body: sanitized.body,
            subjectName: report.subject.name,
            subjectUnit: report.subject.unit,
            subjectPosition: report.subject.position,
            subjectLevel: report.subject.managementLevel,
            subjectDivisionCode: report.subject.divisionCode,
            routedOfficeCode: office.code,
            officeCode: office.code,
            trackingHash,
            attachmentCount: prepared.length,
            receivedAt,
            updatedAt: receivedAt,
          })
          .returning({ id: cases.id });
        await tx.insert(sealedIdentities).values({ caseId: row.id, sealed });
        await appendEvent(tx, {
          caseId: row.id,
          kind: "received",
          actor: "system:intake",
          officeCode: office.code,
          isPublic: true,
          at: receivedAt,
          data: { routedTo: office.code, managementLevel: report.subject.managementLevel },
        });
        await storeAttachments(ctx, tx, row.id, prepared);
        await startIntakeClocks(ctx, tx, {
          caseId: row.id,
          realName: report.realName,
          officeCode: office.code,
          receivedAt,
        });
        if (keyHash && idem) {
          const key = keyedHash(keys.serverKey, "idempotency-response", idem);
          await tx.insert(idempotencyKeys).values({
            keyHash,
            requestHash,
            responseSealed: boxSecret(key, JSON.stringify(receipt)),
            caseId: row.id,
          });
        }
      });
      return receipt;
    } catch (e) {
      // A concurrent request with the same key committed first: answer as it did.
      if (keyHash && isUniqueViolation(e, "idempotency_keys")) {
        const again = await replay();
        if (again) return again;
      }
      // 100 random bits collide practically never; a second draw settles it.
      if (attempt === 0 && isUniqueViolation(e, "tracking_hash")) continue;
      if (e instanceof Problem) throw e;
      throw e;
    }
  }
}

function sanitize(report: ValidReport): { title: string; body: string } {
  const ids = report.reporter
    ? {
        name: report.reporter.name,
        phone: report.reporter.phone,
        idNumber: report.reporter.idNumber,
        email: report.reporter.email,
      }
    : {};
  return { title: redactOwnIdentifiers(report.title, ids), body: redactOwnIdentifiers(report.body, ids) };
}
