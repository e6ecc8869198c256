import { asc, eq } from "drizzle-orm";
import { attachments, caseEvents, caseMessages, staff } from "../../../db/schema/index";
import type { VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { type Action, allowedActions, canHold, type Relation } from "../../domain/workflow";
import { type ClockView, clocksOf } from "../clocks/list";
import { arrivalFromEvent, type CaseSummary, caseSummary, ROUTING_KINDS, workflowCaseOf } from "./facts";
import { loadCase } from "./load-case";
import { caseNotFound, relationTo, staffOf } from "./scope";

export interface StaffCaseView extends CaseSummary {
  body: string;
  /** 可能含身份信息: what in title/body still looks like an ID or mobile number ("id_number", "mobile"). */
  identityWarnings: string[];
  subject: {
    name: string;
    unit: string;
    position: string;
    level: string;
    division: { code: string; name: string };
  };
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
  messages: { at: string; from: "reporter" | "office"; body: string; identityWarnings: string[] }[];
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
  const lastRouting = [...events]
    .reverse()
    .find((e) => (ROUTING_KINDS as readonly string[]).includes(e.kind));
  const arrival = lastRouting ? arrivalFromEvent(lastRouting.kind, lastRouting.data, row.officeCode) : null;
  const wc = workflowCaseOf(row, arrival, offices, today);
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
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });

  return {
    ...caseSummary(row, offices),
    body: row.body,
    identityWarnings: row.identityWarnings ?? [],
    subject: {
      name: row.subjectName,
      unit: row.subjectUnit,
      position: row.subjectPosition,
      level: row.subjectLevel,
      division: {
        code: row.subjectDivisionCode,
        name: offices.get(row.subjectDivisionCode)?.divisionName ?? row.subjectDivisionCode,
      },
    },
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
      data: e.data as Record<string, unknown>,
    })),
    clocks,
    messages: messages.map((m) => ({
      at: m.at.toISOString(),
      from: m.sender,
      body: m.body,
      identityWarnings: m.identityWarnings ?? [],
    })),
  };
}
