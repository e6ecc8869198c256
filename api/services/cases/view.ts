import { and, asc, eq } from "drizzle-orm";
import { attachments, caseEvents, caseMessages, caseNumbers, cases, staff } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { eventDataForViewer } from "../../domain/leaders";
import { type Action, allowedActions, canHold, type Relation } from "../../domain/workflow";
import { type ClockView, clocksOf } from "../clocks/list";
import { type SupervisionView, supervisionsOf } from "../ledgers/supervisions";
import { numberLabel, numbersOf } from "../numbering/numbers";
import { type RepeatView, repeatsOf } from "../repeats/list";
import { arrivalFromEvent, type CaseSummary, caseSummary, ROUTING_KINDS, workflowCaseOf } from "./facts";
import { loadCase } from "./load-case";
import { caseNotFound, relationTo, staffOf } from "./scope";

export interface StaffCaseView extends CaseSummary {
  body: string;
  /** 可能含身份信息: what in title/body still looks like an ID or mobile number ("id_number", "mobile"). */
  identityWarnings: string[];
  /** The person reported; null when the report names no one (申诉, some 批评建议). */
  subject: {
    name: string;
    unit: string;
    position: string;
    level: string;
    division: { code: string; name: string };
    /** A 纪检监察机关 or its staff: routed one level up. */
    isDisciplineStaff: boolean;
    /** The 主要负责人 of a 纪检监察机关: routed one level up. */
    isPrincipalLeader: boolean;
  } | null;
  /** 报中央纪委国家监委: about a province office's own staff or 主要负责人 (no office above it here). */
  reportToCentral: boolean;
  /** A real-name report's filer: a person or a unit under its name; null when anonymous. */
  reporterKind: "person" | "unit" | null;
  /**
   * 申诉: the decision appealed against and who made it (redacted of the reporter's own
   * identifiers, like the body), its date, and the office that made it; null for other reports.
   */
  appeal: {
    decision: string;
    decidingBody: string;
    decisionDate: string;
    office: { code: string; name: string };
  } | null;
  routedOffice: { code: string; name: string };
  attachmentCount: number;
  /** The cleaned copies staff may download (GET /api/v1/staff/cases/:id/attachments/:attachmentId). */
  attachments: { id: string; fileName: string; mediaType: string; size: number }[];
  /** `act`: the caller's office holds the case; `read`: seen from an office above (督办 only). */
  relation: Exclude<Relation, "none">;
  allowedActions: Action[];
  lease: {
    live: boolean;
    heldByMe: boolean;
    holder: string | null;
    expiresAt: string | null;
    /** Only for the holder: the fencing token every action carries. */
    token: string | null;
  };
  /** The caller may take the lease now (nobody holds it and their roles have work at this stage). */
  canClaim: boolean;
  arrivedFrom: { via: string; office: { code: string; name: string } } | null;
  events: {
    seq: number;
    at: string;
    kind: string;
    actor: string;
    office: { code: string; name: string };
    isPublic: boolean;
    data: Record<string, unknown>;
  }[];
  clocks: ClockView[];
  messages: {
    at: string;
    from: "reporter" | "office";
    body: string;
    identityWarnings: string[];
    /** 补充材料: false until a staff member of the holding office marks it read (office messages: true). */
    read: boolean;
  }[];
  /** The reporter's messages not yet marked read. */
  unreadMessages: number;
  /** Every 信访件编号 the case has had, at each office it arrived at, in that order. */
  numbers: { office: { code: string; name: string }; number: string }[];
  /**
   * A repeat (重复件): the case it was merged into, by its number at the office holding it; id,
   * number and title are null when the viewer may not see that case (another office's).
   */
  joined: {
    id: string | null;
    number: string | null;
    title: string | null;
    office: { code: string; name: string };
  } | null;
  /**
   * Likely repeats (重复件) the detector found, either way round, and the cases merged into this
   * one: only what the viewer may see of each (repeats/list.ts).
   */
  repeats: RepeatView[];
  /** 督办 on the case and their replies. */
  supervisions: SupervisionView[];
}

/** GET /api/v1/staff/cases/:id — the sanitized case with its trail, clocks and messages; 404 outside scope. */
export async function getStaffCase({ ctx, input }: VerbArgs<{ caseId: string }>): Promise<StaffCaseView> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  const { db, offices } = deps;
  const now = deps.now();
  const today = shanghaiDate(now);
  const row = await loadCase(db, input.caseId);
  if (!row) throw caseNotFound();
  const relation = relationTo(offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();

  const events = await db
    .select()
    .from(caseEvents)
    .where(eq(caseEvents.caseId, row.id))
    .orderBy(asc(caseEvents.seq));
  const messages = await db
    .select()
    .from(caseMessages)
    .where(eq(caseMessages.caseId, row.id))
    .orderBy(asc(caseMessages.at), asc(caseMessages.id));
  const files = await db
    .select({
      id: attachments.id,
      fileName: attachments.fileName,
      mediaType: attachments.mediaType,
      size: attachments.size,
    })
    .from(attachments)
    .where(eq(attachments.caseId, row.id))
    .orderBy(asc(attachments.position));
  const clocks = await clocksOf(db, row.id, today);
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });
  const labelAt = (officeCode: string, n: { year: number | null; seq: number | null }) =>
    n.year !== null && n.seq !== null ? numberLabel(deps, { officeCode, year: n.year, seq: n.seq }) : null;
  const lastRouting = [...events]
    .reverse()
    .find((e) => (ROUTING_KINDS as readonly string[]).includes(e.kind));
  const arrival = lastRouting ? arrivalFromEvent(lastRouting.kind, lastRouting.data, row.officeCode) : null;
  const supervisions = await supervisionsOf(db, row.id, (code) => officeRef(code));
  const supervisionPending = supervisions.some((v) => v.pending && v.toOffice.code === row.officeCode);
  const wc = { ...workflowCaseOf(row, arrival, offices, today), supervisionPending };
  const live = row.leaseExpiresAt !== null && row.leaseExpiresAt > now;
  const heldByMe = live && row.leaseHolderId === actor.id;
  let holder: string | null = null;
  if (live && row.leaseHolderId) {
    const [h] = await db
      .select({ username: staff.username, displayName: staff.displayName })
      .from(staff)
      .where(eq(staff.id, row.leaseHolderId));
    holder = h ? h.displayName || h.username : null;
  }
  const numbers = await numbersOf(db, row.id);
  const current = numbers.find((n) => n.officeCode === row.officeCode);
  const repeats = await repeatsOf(db, deps, actor, row);
  let joined: StaffCaseView["joined"] = null;
  if (row.mergedInto) {
    const [kept] = await db
      .select({
        id: cases.id,
        title: cases.title,
        officeCode: cases.officeCode,
        year: caseNumbers.year,
        seq: caseNumbers.seq,
      })
      .from(cases)
      .leftJoin(
        caseNumbers,
        and(eq(caseNumbers.caseId, cases.id), eq(caseNumbers.officeCode, cases.officeCode)),
      )
      .where(eq(cases.id, row.mergedInto));
    if (kept) {
      const seen = relationTo(offices, actor, kept.officeCode) !== "none";
      joined = {
        id: seen ? kept.id : null,
        number: seen ? labelAt(kept.officeCode, kept) : null,
        title: seen ? kept.title : null,
        office: officeRef(kept.officeCode),
      };
    }
  }

  return {
    ...caseSummary({ ...row, numberYear: current?.year ?? null, numberSeq: current?.seq ?? null }, deps),
    // Merged into a case the viewer may not see: not even its id.
    mergedInto: joined ? joined.id : row.mergedInto,
    body: row.body,
    identityWarnings: row.identityWarnings ?? [],
    subject:
      row.subjectName !== null &&
      row.subjectUnit !== null &&
      row.subjectLevel !== null &&
      row.subjectDivisionCode !== null
        ? {
            name: row.subjectName,
            unit: row.subjectUnit,
            position: row.subjectPosition ?? "",
            level: row.subjectLevel,
            division: {
              code: row.subjectDivisionCode,
              name: offices.get(row.subjectDivisionCode)?.divisionName ?? row.subjectDivisionCode,
            },
            isDisciplineStaff: row.subjectIsDisciplineStaff,
            isPrincipalLeader: row.subjectIsPrincipalLeader,
          }
        : null,
    reportToCentral: row.reportToCentral,
    reporterKind: row.reporterKind,
    appeal:
      row.appealOfficeCode !== null &&
      row.appealDecision !== null &&
      row.appealDecidingBody !== null &&
      row.appealDecisionDate !== null
        ? {
            decision: row.appealDecision,
            decidingBody: row.appealDecidingBody,
            decisionDate: row.appealDecisionDate,
            office: officeRef(row.appealOfficeCode),
          }
        : null,
    routedOffice: officeRef(row.routedOfficeCode),
    attachmentCount: row.attachmentCount,
    attachments: files,
    relation,
    allowedActions: allowedActions(wc, { roles: actor.roles, relation }),
    lease: {
      live,
      heldByMe,
      holder,
      expiresAt: live ? row.leaseExpiresAt!.toISOString() : null,
      token: heldByMe ? row.leaseToken : null,
    },
    canClaim: relation === "act" && !live && canHold(actor.roles, row.stage),
    arrivedFrom: arrival ? { via: arrival.via, office: officeRef(arrival.fromOffice) } : null,
    events: events.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      kind: e.kind,
      actor: e.actor,
      office: officeRef(e.officeCode),
      isPublic: e.isPublic,
      data: eventDataForViewer(
        e.kind,
        e.data as Record<string, unknown>,
        offices.isSameOrAbove(actor.officeCode, e.officeCode),
      ),
    })),
    clocks,
    messages: messages.map((m) => ({
      at: m.at.toISOString(),
      from: m.sender,
      body: m.body,
      identityWarnings: m.identityWarnings ?? [],
      read: m.sender !== "reporter" || m.readAt !== null,
    })),
    unreadMessages: messages.filter((m) => m.sender === "reporter" && m.readAt === null).length,
    numbers: numbers.map((n) => ({ office: officeRef(n.officeCode), number: numberLabel(deps, n) })),
    joined,
    repeats,
    supervisions,
  };
}
