import { and, asc, desc, eq, gt, isNotNull, sql } from "drizzle-orm";
import { caseEvents, caseSupervisions, caseTransfers, identityRequests } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { openGrant } from "../../crypto/identity-grant";
import { shanghaiDate } from "../../domain/clock";
import { type DocumentKind, formatDocumentNumber } from "../../domain/document-number";
import { appendAudit } from "../audit/append";
import type { CaseRow } from "../cases/facts";
import { loadCase } from "../cases/load-case";
import { actorLabel, caseNotFound, relationTo, staffOf, worksCases } from "../cases/scope";
import { appendEvent } from "../events/append";
import { purgeExpiredGrants } from "../identity/purge-grants";
import { numberLabel, numbersOf } from "../numbering/numbers";

/** The printed forms of a case (issue 11 §5); pages site/pages/staff/cases/[id]/print/<form>.astro. */
export const PRINT_FORMS = ["register", "transfer", "supervision", "notice", "result"] as const;
export type PrintForm = (typeof PRINT_FORMS)[number];

type OfficeRef = { code: string; name: string };

/** What every form shows of the case: the sanitized content only (no reporter identity). */
export interface PrintCase {
  id: string;
  /** 信访件编号 at the office printing (or holding) it. */
  number: string | null;
  title: string;
  body: string;
  type: string;
  category: string;
  channel: string;
  receivedOn: string;
  externalReference: string | null;
  realName: boolean;
  reporterKind: string | null;
  subject: { name: string; unit: string; position: string; level: string; division: string } | null;
  office: OfficeRef;
  stage: string;
  disposition: string | null;
  department: string | null;
  attachmentCount: number;
  registeredOn: string | null;
  /** 办结: the date, the result and the reply to the reporter, from the last 办结. */
  conclusion: { on: string; result: string; reply: string } | null;
}

export type PrintData =
  | { form: "register"; case: PrintCase; printedBy: OfficeRef }
  | {
      form: "transfer";
      case: PrintCase;
      printedBy: OfficeRef;
      transfer: {
        id: number;
        kind: "forwarded" | "assigned";
        documentNumber: string;
        from: OfficeRef;
        to: OfficeRef;
        sentOn: string;
        dueOn: string;
        reportDueOn: string | null;
        note: string | null;
      };
    }
  | {
      form: "supervision";
      case: PrintCase;
      printedBy: OfficeRef;
      supervision: {
        id: number;
        documentNumber: string;
        by: OfficeRef;
        to: OfficeRef;
        on: string;
        method: string;
        note: string | null;
        dueOn: string | null;
      };
    }
  | {
      form: "notice" | "result";
      case: PrintCase;
      printedBy: OfficeRef;
      /**
       * The reporter's name as the addressee, only when asked for and the caller holds a valid
       * identity grant on the case (a custodian approved their request); otherwise null, and the
       * form leaves a line to fill in by hand.
       */
      addressee: string | null;
      /** A valid grant exists: the page may offer to fill in the addressee. */
      grantAvailable: boolean;
    };

export interface PrintInput {
  caseId: string;
  form: PrintForm;
  /** transfer / supervision: the ledger row's id (default: the caller office's latest). */
  ref?: string | null;
  /** notice / result: fill in the addressee from the caller's identity grant (audited). */
  addressee?: boolean;
}

const office = (offices: { get(c: string): { name: string } | undefined }, code: string) => ({
  code,
  name: offices.get(code)?.name ?? code,
});

/**
 * The data of one printed form. Permission as for viewing the case (404 otherwise); a 转办单/交办函
 * also to the office that sent it, and a 督办函 to the office that made it, since they are its own
 * papers (the case has left its view). Only the sanitized case: the reporter's name appears on a
 * 受理告知书/处理结果反馈书 only from the caller's own valid identity grant, when asked, and that
 * print is a case event and an audit row.
 */
export async function printForm({ ctx, input }: VerbArgs<PrintInput>): Promise<PrintData> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  const { db, offices } = deps;
  const row = await loadCase(db, input.caseId);
  if (!row) throw caseNotFound();
  const sees = relationTo(offices, actor, row.officeCode) !== "none";
  const printedBy = office(offices, actor.officeCode);
  // The sending office's own papers are for the staff who work its cases and its leaders, not
  // for every account of that office (a custodian or an admin has no case work there).
  const papers = worksCases(actor.roles) || actor.roles.includes("leader");

  if (input.form === "transfer") {
    const refId = input.ref && /^\d{1,15}$/.test(input.ref) ? Number(input.ref) : undefined;
    const rows = await db
      .select()
      .from(caseTransfers)
      .where(
        and(
          eq(caseTransfers.caseId, row.id),
          sql`${caseTransfers.kind} in ('forwarded', 'assigned')`,
          refId !== undefined ? eq(caseTransfers.id, refId) : undefined,
        ),
      )
      .orderBy(desc(caseTransfers.id));
    const t =
      (papers ? rows.find((r) => r.fromOffice === actor.officeCode) : undefined) ??
      (sees ? rows[0] : undefined);
    if (!t) throw caseNotFound();
    const kind = t.kind as "forwarded" | "assigned";
    const [ev] = await db
      .select({ data: caseEvents.data })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, row.id), eq(caseEvents.seq, t.eventSeq)));
    return {
      form: "transfer",
      case: await printCase(ctx, row, t.fromOffice),
      printedBy,
      transfer: {
        id: t.id,
        kind,
        documentNumber: await documentNumber(ctx, kind, t.fromOffice, t.sentAt, t.id),
        from: office(offices, t.fromOffice),
        to: office(offices, t.toOffice),
        sentOn: shanghaiDate(t.sentAt),
        dueOn: t.dueOn,
        reportDueOn: t.reportDueOn,
        note: ((ev?.data ?? {}) as { note?: string }).note ?? null,
      },
    };
  }

  if (input.form === "supervision") {
    const refId = input.ref && /^\d{1,15}$/.test(input.ref) ? Number(input.ref) : undefined;
    const rows = await db
      .select()
      .from(caseSupervisions)
      .where(
        and(
          eq(caseSupervisions.caseId, row.id),
          refId !== undefined ? eq(caseSupervisions.id, refId) : undefined,
        ),
      )
      .orderBy(desc(caseSupervisions.id));
    const s =
      (papers ? rows.find((r) => r.byOffice === actor.officeCode) : undefined) ??
      (sees ? rows[0] : undefined);
    if (!s) throw caseNotFound();
    const [ev] = await db
      .select({ data: caseEvents.data })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, row.id), eq(caseEvents.seq, s.eventSeq)));
    return {
      form: "supervision",
      case: await printCase(ctx, row, s.toOffice),
      printedBy,
      supervision: {
        id: s.id,
        documentNumber: await documentNumber(ctx, "supervision", s.byOffice, s.at, s.id),
        by: office(offices, s.byOffice),
        to: office(offices, s.toOffice),
        on: shanghaiDate(s.at),
        method: s.method,
        note: s.note,
        dueOn: ((ev?.data ?? {}) as { dueOn?: string | null }).dueOn ?? null,
      },
    };
  }

  if (!sees) throw caseNotFound();
  const c = await printCase(ctx, row, actor.officeCode);
  if (input.form === "register") return { form: "register", case: c, printedBy };

  // 受理告知书 / 处理结果反馈书: the addressee from the caller's own grant, if any.
  const grant = await validGrant(ctx, row);
  let addressee: string | null = null;
  if (grant && input.addressee) {
    const contact = openGrant(deps.keys, grant.id, grant.cipher);
    addressee = contact.name?.trim() || null;
    if (addressee) {
      const at = deps.now();
      const who = actorLabel(actor);
      await db.transaction(async (tx) => {
        await appendEvent(tx, {
          caseId: row.id,
          kind: "identity_printed",
          actor: who,
          officeCode: actor.officeCode,
          isPublic: false,
          data: { requestId: grant.id, form: input.form },
          at,
        });
        await appendAudit(tx, {
          at,
          actor: who,
          action: "identity.print",
          caseId: row.id,
          reason: grant.purpose,
          data: { requestId: grant.id, form: input.form },
        });
      });
    }
  }
  return { form: input.form, case: c, printedBy, addressee, grantAvailable: grant !== undefined };
}

/** The caller's approved, unexpired grant on the case, as the contact view requires it. */
async function validGrant(ctx: VerbArgs<unknown>["ctx"], row: CaseRow) {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  if (!row.realName || !actor.roles.includes("identity_requester") || row.officeCode !== actor.officeCode) {
    return undefined;
  }
  await purgeExpiredGrants(deps);
  const [g] = await deps.db
    .select({
      id: identityRequests.id,
      cipher: identityRequests.grantCipher,
      purpose: identityRequests.purpose,
    })
    .from(identityRequests)
    .where(
      and(
        eq(identityRequests.caseId, row.id),
        eq(identityRequests.requesterId, actor.id),
        eq(identityRequests.status, "approved"),
        gt(identityRequests.expiresAt, deps.now()),
        isNotNull(identityRequests.grantCipher),
      ),
    )
    .orderBy(desc(identityRequests.decidedAt))
    .limit(1);
  return g?.cipher ? { id: g.id, cipher: g.cipher, purpose: g.purpose } : undefined;
}

/** 文号: the office's forms of that kind in the sent year, counted up to this one (never changes). */
async function documentNumber(
  ctx: VerbArgs<unknown>["ctx"],
  kind: DocumentKind,
  officeCode: string,
  at: Date,
  id: number,
): Promise<string> {
  const { db, offices, config } = ctx.deps;
  const year = Number(shanghaiDate(at).slice(0, 4));
  const yearOfAt = (col: unknown) => sql`extract(year from (${col} at time zone 'Asia/Shanghai'))::int`;
  const [n] =
    kind === "supervision"
      ? await db
          .select({ n: sql<number>`count(*)::int` })
          .from(caseSupervisions)
          .where(
            and(
              eq(caseSupervisions.byOffice, officeCode),
              sql`${yearOfAt(caseSupervisions.at)} = ${year}`,
              sql`${caseSupervisions.id} <= ${id}`,
            ),
          )
      : await db
          .select({ n: sql<number>`count(*)::int` })
          .from(caseTransfers)
          .where(
            and(
              eq(caseTransfers.fromOffice, officeCode),
              eq(caseTransfers.kind, kind),
              sql`${yearOfAt(caseTransfers.sentAt)} = ${year}`,
              sql`${caseTransfers.id} <= ${id}`,
            ),
          );
  const short = offices.get(officeCode)?.shortName ?? officeCode;
  return formatDocumentNumber(config.documentNumberPattern, kind, { office: short, year, seq: n?.n ?? 1 });
}

/** The sanitized case as the forms show it, numbered at `numberAt` (else where it is held). */
async function printCase(ctx: VerbArgs<unknown>["ctx"], row: CaseRow, numberAt: string): Promise<PrintCase> {
  const { deps } = ctx;
  const { db, offices } = deps;
  const numbers = await numbersOf(db, row.id);
  const n =
    numbers.find((x) => x.officeCode === numberAt) ?? numbers.find((x) => x.officeCode === row.officeCode);
  const events = await db
    .select({ kind: caseEvents.kind, at: caseEvents.at, data: caseEvents.data })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, row.id), sql`${caseEvents.kind} in ('registered', 'concluded')`))
    .orderBy(asc(caseEvents.seq));
  const registered = events.find((e) => e.kind === "registered");
  const concluded = events.findLast((e) => e.kind === "concluded");
  const cd = (concluded?.data ?? {}) as { result?: string; reply?: string };
  return {
    id: row.id,
    number: n ? numberLabel(deps, n) : null,
    title: row.title,
    body: row.body,
    type: row.type,
    category: row.category,
    channel: row.channel,
    receivedOn: row.receivedOn,
    externalReference: row.externalReference,
    realName: row.realName,
    reporterKind: row.reporterKind,
    subject:
      row.subjectName !== null && row.subjectUnit !== null && row.subjectLevel !== null
        ? {
            name: row.subjectName,
            unit: row.subjectUnit,
            position: row.subjectPosition ?? "",
            level: row.subjectLevel,
            division:
              offices.get(row.subjectDivisionCode ?? "")?.divisionName ?? row.subjectDivisionCode ?? "",
          }
        : null,
    office: office(offices, row.officeCode),
    stage: row.stage,
    disposition: row.disposition,
    department: row.department,
    attachmentCount: row.attachmentCount,
    registeredOn: registered ? shanghaiDate(registered.at) : null,
    conclusion: concluded
      ? { on: shanghaiDate(concluded.at), result: cd.result ?? "", reply: cd.reply ?? "" }
      : null,
  };
}

export function isPrintForm(s: string): s is PrintForm {
  return (PRINT_FORMS as readonly string[]).includes(s);
}
