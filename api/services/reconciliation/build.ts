import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, cases, caseTransfers } from "../../../db/schema/index";
import { packHeads } from "../../crypto/anchor";
import { RECONCILIATION_FORMAT } from "../../crypto/reconciliation-seal";
import {
  classifySend,
  MISMATCH_KINDS,
  SEND_KINDS,
  type Send,
  type SendKind,
  type TrailEvent,
} from "../../domain/reconciliation";
import { labelsFor, type Numbering } from "../numbering/numbers";
import { officeHeads } from "./heads";
import type { ChildFiguresItem, MismatchItem, ReconciliationDoc } from "./schemas";

const CHUNK = 1000;

/**
 * The 对账 of `parent` for `month` as at `asOf` (unsigned): per office below it that it sent 转送 or
 * 交办 to in the month (its children always, with zeros), what became of them by the cut-off, the
 * mismatches by 编号, and the trail heads of the parent and each child. Read only from the trail
 * (and the ledger's 签收, which has no event); the same inputs give the same document, which is
 * how verification recomputes it.
 */
export async function buildReconciliation(
  db: DbOrTx,
  n: Numbering,
  p: { parent: string; month: string; start: Date; asOf: Date; producedAt: Date },
): Promise<ReconciliationDoc> {
  const { offices } = n;
  const officeRef = (code: string) => ({ code, name: offices.get(code)?.name ?? code });
  // The month's sends, on the (office_code, at) index.
  const sendRows = await db
    .select({
      caseId: caseEvents.caseId,
      seq: caseEvents.seq,
      at: caseEvents.at,
      kind: caseEvents.kind,
      data: caseEvents.data,
    })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.officeCode, p.parent),
        inArray(caseEvents.kind, [...SEND_KINDS]),
        gte(caseEvents.at, p.start),
        lt(caseEvents.at, p.asOf),
      ),
    )
    .orderBy(asc(caseEvents.at), asc(caseEvents.caseId), asc(caseEvents.seq));
  const ids = [...new Set(sendRows.map((s) => s.caseId))];
  const trails = new Map<string, TrailEvent[]>();
  const facts = new Map<string, { realName: boolean; type: string }>();
  const claims = new Map<string, { claimedAt: Date | null; dueOn: string; reportDueOn: string | null }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    const events = await db
      .select({
        caseId: caseEvents.caseId,
        seq: caseEvents.seq,
        at: caseEvents.at,
        kind: caseEvents.kind,
        officeCode: caseEvents.officeCode,
        data: caseEvents.data,
      })
      .from(caseEvents)
      .where(and(inArray(caseEvents.caseId, part), lt(caseEvents.at, p.asOf)))
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq));
    for (const e of events) {
      const list = trails.get(e.caseId) ?? [];
      list.push({ ...e, data: (e.data ?? {}) as Record<string, unknown> });
      trails.set(e.caseId, list);
    }
    const rows = await db
      .select({ id: cases.id, realName: cases.realName, type: cases.type })
      .from(cases)
      .where(inArray(cases.id, part));
    for (const r of rows) facts.set(r.id, r);
    const sent = await db
      .select({
        caseId: caseTransfers.caseId,
        eventSeq: caseTransfers.eventSeq,
        claimedAt: caseTransfers.claimedAt,
        dueOn: caseTransfers.dueOn,
        reportDueOn: caseTransfers.reportDueOn,
      })
      .from(caseTransfers)
      .where(and(inArray(caseTransfers.caseId, part), eq(caseTransfers.fromOffice, p.parent)));
    for (const r of sent) claims.set(`${r.caseId}:${r.eventSeq}`, r);
  }

  const sends: Send[] = sendRows
    .map((s) => ({ ...s, to: (s.data as Record<string, unknown> | null)?.to }))
    .filter(
      (s): s is typeof s & { to: string } =>
        typeof s.to === "string" && offices.isSameOrAbove(p.parent, s.to),
    )
    .map((s) => {
      const ledger = claims.get(`${s.caseId}:${s.seq}`);
      const f = facts.get(s.caseId);
      return {
        caseId: s.caseId,
        seq: s.seq,
        at: s.at,
        kind: s.kind as SendKind,
        from: p.parent,
        to: s.to,
        claimedAt: ledger?.claimedAt ?? null,
        dueOn: ledger?.dueOn ?? null,
        reportDueOn: ledger?.reportDueOn ?? null,
        owesFeedback: f ? f.realName && f.type === "accusation" : false,
      };
    });

  const childCodes = [
    ...new Set([...offices.childrenOf(p.parent).map((o) => o.code), ...sends.map((s) => s.to)]),
  ].sort();
  const numbers = await labelsFor(db, n, [
    ...sends.map((s) => ({ caseId: s.caseId, officeCode: p.parent })),
    ...sends.map((s) => ({ caseId: s.caseId, officeCode: s.to })),
  ]);
  const children: ChildFiguresItem[] = childCodes.map((code) => {
    const mine = sends.filter((s) => s.to === code);
    const fig: ChildFiguresItem = {
      office: officeRef(code),
      sent: mine.length,
      forwarded: mine.filter((s) => s.kind === "forwarded").length,
      assigned: mine.filter((s) => s.kind === "assigned").length,
      signed: 0,
      registered: 0,
      concluded: 0,
      closedOtherwise: 0,
      pending: 0,
      notSigned: 0,
      overdue: 0,
      mismatches: [],
    };
    const twice = new Set<string>();
    for (const s of mine) {
      const o = classifySend(s, trails.get(s.caseId) ?? [], p.asOf);
      if (o.signed) fig.signed++;
      else fig.notSigned++;
      if (o.registered) fig.registered++;
      if (o.concluded) fig.concluded++;
      if (o.closedBy) fig.closedOtherwise++;
      if (o.open) fig.pending++;
      if (o.overdue) fig.overdue++;
      const base = {
        caseId: s.caseId,
        number: numbers.get(`${s.caseId}:${p.parent}`) ?? null,
        receiverNumber: numbers.get(`${s.caseId}:${s.to}`) ?? null,
        sendKind: s.kind,
        sentAt: s.at.toISOString(),
        seq: s.seq,
        registrations: o.registrations,
        concludedOn: null,
      };
      if (!o.signed) fig.mismatches.push({ kind: "never_received", ...base });
      // Once per case, on its last send of the month (both sends show the same count).
      if (o.registrations > 1 && !twice.has(s.caseId)) {
        const last = mine.filter((x) => x.caseId === s.caseId).at(-1)!;
        if (last === s) {
          twice.add(s.caseId);
          fig.mismatches.push({ kind: "received_twice", ...base });
        }
      }
      if (o.feedbackOwedSince) {
        fig.mismatches.push({
          kind: "concluded_without_feedback",
          ...base,
          concludedOn: o.feedbackOwedSince,
        });
      }
    }
    fig.mismatches.sort(byMismatch);
    return fig;
  });

  const sum = (k: keyof Omit<ChildFiguresItem, "office" | "mismatches">) =>
    children.reduce((t, c) => t + c[k], 0);
  const heads = await officeHeads(db, [p.parent, ...childCodes], p.start, p.asOf);
  return {
    format: RECONCILIATION_FORMAT,
    month: p.month,
    office: officeRef(p.parent),
    asOf: p.asOf.toISOString(),
    producedAt: p.producedAt.toISOString(),
    totals: {
      sent: sum("sent"),
      forwarded: sum("forwarded"),
      assigned: sum("assigned"),
      signed: sum("signed"),
      registered: sum("registered"),
      concluded: sum("concluded"),
      closedOtherwise: sum("closedOtherwise"),
      pending: sum("pending"),
      notSigned: sum("notSigned"),
      overdue: sum("overdue"),
    },
    children,
    trail: [p.parent, ...childCodes].map((code) => {
      const list = heads.get(code) ?? [];
      return { office: code, cases: list.length, heads: Buffer.from(packHeads(list)).toString("base64") };
    }),
    key: null,
    signature: null,
  };
}

const KIND_ORDER = Object.fromEntries(MISMATCH_KINDS.map((k, i) => [k, i]));
function byMismatch(a: MismatchItem, b: MismatchItem): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.sentAt.localeCompare(b.sentAt) ||
    a.caseId.localeCompare(b.caseId) ||
    a.seq - b.seq
  );
}
