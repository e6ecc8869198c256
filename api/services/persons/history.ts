import { and, desc, eq, gte, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { caseEvents, cases, personHistoryRequests, personLinks, persons } from "../../../db/schema/index";
import type { Deps, StaffActor, VerbArgs } from "../../context";
import { equalBytes } from "../../crypto/keyed-hash";
import { shanghaiDate } from "../../domain/clock";
import { maskIdentityNumbers } from "../../domain/identity-mask";
import {
  type CandidateMention,
  type Classified,
  classifyMentions,
  HISTORY_MAX_CASES,
  historyWindowStart,
  personMatches,
} from "../../domain/person-history";
import { subjectKey } from "../../domain/repeats";
import type { Finding } from "../../domain/workflow";
import { problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { actorLabel, isUuid, relationTo, staffOf } from "../cases/scope";
import { currentLabel, currentNumberColumns } from "../numbering/numbers";
import { unitReaderOf } from "../repeats/record";
import { parseSearch } from "./inputs";
import type { HistoryCaseView, PersonHistoryView, PersonRecordView } from "./views";

export const noIntegrityRole = () => problems.forbidden("person_history.no_role");
const requestNotFound = () => problems.notFound("person_history.not_found");

/** Only a member who answers 党风廉政意见回复 requests searches a person's history. */
function replier(actor: StaffActor): void {
  if (!actor.roles.includes("integrity_reply")) throw noIntegrityRole();
}

const caseColumns = {
  id: cases.id,
  officeCode: cases.officeCode,
  receivedOn: cases.receivedOn,
  receivedAt: cases.receivedAt,
  channel: cases.channel,
  type: cases.type,
  category: cases.category,
  title: cases.title,
  subjectName: cases.subjectName,
  subjectUnit: cases.subjectUnit,
  subjectPosition: cases.subjectPosition,
  subjectLevel: cases.subjectLevel,
  subjectDivisionCode: cases.subjectDivisionCode,
  subjectKey: cases.subjectKey,
  stage: cases.stage,
  publicStatus: cases.publicStatus,
  disposition: cases.disposition,
  sentAbove: sql<boolean>`(${cases.subjectIsDisciplineStaff} or ${cases.subjectIsPrincipalLeader})`,
  ...currentNumberColumns,
};
type CaseRowLite = Awaited<ReturnType<typeof casesByIds>>[number];

function casesByIds(db: DbOrTx, ids: string[], from: Date) {
  return db
    .select(caseColumns)
    .from(cases)
    .where(and(inArray(cases.id, ids), gte(cases.receivedAt, from)));
}

/** The live person links of these cases: case id → person id. */
async function linksOf(db: DbOrTx, caseIds: string[]): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .select({ caseId: personLinks.caseId, personId: personLinks.personId })
    .from(personLinks)
    .where(and(inArray(personLinks.caseId, caseIds), isNull(personLinks.unlinkedAt)));
  return new Map(rows.map((r) => [r.caseId, r.personId]));
}

/** The last 办结 of each case: the event that recorded a finding (办结, 报结, 销号 carry it). */
async function outcomesOf(db: DbOrTx, caseIds: string[]) {
  if (caseIds.length === 0) return new Map<string, HistoryCaseView["outcome"]>();
  const rows = await db
    .selectDistinctOn([caseEvents.caseId], {
      caseId: caseEvents.caseId,
      data: caseEvents.data,
      at: caseEvents.at,
    })
    .from(caseEvents)
    .where(and(inArray(caseEvents.caseId, caseIds), isNotNull(sql`${caseEvents.data}->>'finding'`)))
    .orderBy(caseEvents.caseId, desc(caseEvents.seq));
  return new Map(
    rows.map((r) => {
      const d = r.data as { finding?: Finding; result?: string; concludedOn?: string };
      return [
        r.caseId,
        {
          finding: d.finding ?? null,
          result: typeof d.result === "string" ? d.result : "",
          concludedOn: d.concludedOn ?? shanghaiDate(r.at),
        },
      ];
    }),
  );
}

type PersonRow = typeof persons.$inferSelect;

export function personView(p: PersonRow): PersonRecordView {
  return {
    id: p.id,
    name: p.name,
    unit: p.unit,
    hasIdNumber: p.idHash !== null,
    createdAt: p.createdAt.toISOString(),
  };
}

/** The person records the query names: by the 身份证号's hash, or by name and unit. */
async function matchingPersons(
  db: DbOrTx,
  deps: Pick<Deps, "offices">,
  q: { key: string; unit: string; idHash: Uint8Array | null },
): Promise<PersonRow[]> {
  const found = await db
    .select()
    .from(persons)
    .where(
      q.idHash ? or(eq(persons.nameKey, q.key), eq(persons.idHash, q.idHash)) : eq(persons.nameKey, q.key),
    )
    .orderBy(persons.createdAt);
  const units = unitReaderOf(deps.offices);
  return found.filter((p) => personMatches(p, q, units, equalBytes));
}

/**
 * The candidate cases of a query within the window: every case whose 被反映人 has the same key
 * (cases_subject_key_idx), those linked to the matched persons, and (a recorded answer read
 * again) those it disclosed.
 */
async function candidates(
  db: DbOrTx,
  key: string,
  personIds: string[],
  from: Date,
  disclosed: string[] = [],
): Promise<{ rows: CaseRowLite[]; truncated: boolean }> {
  const byKey = disclosed.length
    ? []
    : await db
        .select(caseColumns)
        .from(cases)
        .where(and(eq(cases.subjectKey, key), gte(cases.receivedAt, from)))
        .orderBy(desc(cases.receivedAt))
        .limit(HISTORY_MAX_CASES);
  const linked = personIds.length
    ? await db
        .select({ caseId: personLinks.caseId })
        .from(personLinks)
        .where(and(inArray(personLinks.personId, personIds), isNull(personLinks.unlinkedAt)))
    : [];
  const have = new Set(byKey.map((r) => r.id));
  const more = [...new Set([...linked.map((l) => l.caseId), ...disclosed])].filter((id) => !have.has(id));
  const extra = more.length ? await casesByIds(db, more, from) : [];
  return { rows: [...byKey, ...extra], truncated: byKey.length >= HISTORY_MAX_CASES };
}

interface Sorted {
  history: CaseRowLite[];
  possible: CaseRowLite[];
  why: Map<string, Classified>;
  links: Map<string, string>;
}

async function sortCandidates(
  db: DbOrTx,
  deps: Pick<Deps, "offices">,
  actor: StaffActor,
  rows: CaseRowLite[],
  q: { key: string; unit: string },
  personIds: string[],
): Promise<Sorted> {
  // A report sent one level up because its subject is 纪检监察 staff or an office's 主要负责人 is
  // kept from the offices below (as repeats keep it): a replier below does not learn it exists.
  const shown = rows.filter((r) => !r.sentAbove || relationTo(deps.offices, actor, r.officeCode) !== "none");
  const links = await linksOf(
    db,
    shown.map((r) => r.id),
  );
  const mentions: CandidateMention[] = shown.map((r) => ({
    caseId: r.id,
    key: r.subjectKey ?? subjectKey(r.subjectName),
    unit: r.subjectUnit,
    division: r.subjectDivisionCode,
    linkedTo: links.get(r.id) ?? null,
  }));
  const sorted = classifyMentions(mentions, q, new Set(personIds), unitReaderOf(deps.offices));
  const why = new Map(sorted.map((c) => [c.caseId, c]));
  const newest = (a: CaseRowLite, b: CaseRowLite) => b.receivedAt.getTime() - a.receivedAt.getTime();
  return {
    history: shown.filter((r) => why.get(r.id)?.inHistory === true).sort(newest),
    possible: shown.filter((r) => why.get(r.id)?.inHistory === false).sort(newest),
    why,
    links,
  };
}

type RequestRow = typeof personHistoryRequests.$inferSelect;

async function answer(
  db: DbOrTx,
  deps: Pick<Deps, "offices" | "config">,
  request: RequestRow,
  personRows: PersonRow[],
  sorted: Sorted,
): Promise<PersonHistoryView> {
  const outcomes = await outcomesOf(
    db,
    [...sorted.history, ...sorted.possible].map((r) => r.id),
  );
  const office = (code: string) => ({ code, name: deps.offices.get(code)?.name ?? code });
  const item = (r: CaseRowLite): HistoryCaseView => ({
    id: r.id,
    number: currentLabel(deps, r),
    office: office(r.officeCode),
    receivedOn: r.receivedOn,
    channel: r.channel,
    type: r.type,
    category: r.category,
    title: r.title,
    subject: {
      name: r.subjectName ?? "",
      unit: r.subjectUnit ?? "",
      position: r.subjectPosition ?? "",
      level: r.subjectLevel ?? null,
    },
    stage: r.stage,
    publicStatus: r.publicStatus,
    disposition: r.disposition ?? null,
    outcome: outcomes.get(r.id) ?? null,
    linkedTo: sorted.links.get(r.id) ?? null,
    why: sorted.why.get(r.id)!.why,
  });
  return {
    request: {
      id: request.id,
      at: request.at.toISOString(),
      purpose: request.purpose,
      requester: request.requester,
      reference: request.reference,
      name: request.name,
      unit: request.unit,
      idGiven: request.idGiven,
      windowFrom: request.windowFrom,
      office: office(request.officeCode),
      truncated: request.truncated,
    },
    persons: personRows.map(personView),
    history: sorted.history.map(item),
    possible: sorted.possible.map(item),
    draftUrl: `/staff/person-history/${request.id}/draft`,
  };
}

/**
 * 人员信访史 (issue 12 §4): every 信访件 of the last five years, at any office of the province,
 * about the person a 党风廉政意见回复 request names, with disposition and outcome; and the same
 * name at other units as possible matches. Role integrity_reply only (403 before anything is
 * read); purpose and requester required (422 before anything is read or written). The search,
 * what it was for, on whose request and which cases it disclosed are written in one transaction:
 * a person_history_requests row (the printable draft's source) and an audit row
 * (`person_history.search`), with anything that looks like an ID or mobile number masked. The
 * 身份证号, when given, is matched by its keyed hash and written nowhere.
 */
export async function searchPersonHistory({
  ctx,
  input,
}: VerbArgs<Record<string, unknown>>): Promise<PersonHistoryView> {
  const actor = staffOf(ctx);
  replier(actor);
  const { deps } = ctx;
  const q = parseSearch(input, deps.keys);
  const at = deps.now();
  const from = historyWindowStart(at);
  const db = deps.db;

  const personRows = await matchingPersons(db, deps, q);
  const personIds = personRows.map((p) => p.id);
  const { rows, truncated } = await candidates(db, q.key, personIds, from);
  const sorted = await sortCandidates(db, deps, actor, rows, q, personIds);

  const masked = {
    purpose: maskIdentityNumbers(q.purpose),
    requester: maskIdentityNumbers(q.requester),
    reference: q.reference === null ? null : maskIdentityNumbers(q.reference),
    name: maskIdentityNumbers(q.name),
    unit: maskIdentityNumbers(q.unit),
  };
  const history = sorted.history.map((r) => r.id);
  const possible = sorted.possible.map((r) => r.id);
  const request = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(personHistoryRequests)
      .values({
        staffId: actor.id,
        officeCode: actor.officeCode,
        at,
        ...masked,
        idGiven: q.idHash !== null,
        windowFrom: shanghaiDate(from),
        personIds,
        history,
        possible,
        truncated,
      })
      .returning();
    await appendAudit(tx, {
      at,
      actor: actorLabel(actor),
      action: "person_history.search",
      reason: masked.purpose,
      data: {
        request: row.id,
        office: actor.officeCode,
        requester: masked.requester,
        reference: masked.reference,
        query: { name: masked.name, unit: masked.unit, idNumberGiven: q.idHash !== null },
        windowFrom: row.windowFrom,
        persons: personIds,
        history,
        possible,
        truncated,
      },
    });
    return row;
  });
  return answer(db, deps, request, personRows, sorted);
}

/**
 * A recorded search read again by the member who made it (the page after a link, the printable
 * draft): the cases it disclosed, sorted afresh (a link or unlink made since shows), as they stand
 * now. Nothing new is disclosed, so nothing is recorded; 404 for anyone else's search.
 */
export async function readPersonHistory({
  ctx,
  input,
}: VerbArgs<{ requestId: string }>): Promise<PersonHistoryView> {
  const actor = staffOf(ctx);
  replier(actor);
  const { deps } = ctx;
  if (!isUuid(input.requestId)) throw requestNotFound();
  const [request] = await deps.db
    .select()
    .from(personHistoryRequests)
    .where(and(eq(personHistoryRequests.id, input.requestId), eq(personHistoryRequests.staffId, actor.id)));
  if (!request) throw requestNotFound();
  const personRows = request.personIds.length
    ? await deps.db
        .select()
        .from(persons)
        .where(inArray(persons.id, request.personIds))
        .orderBy(persons.createdAt)
    : [];
  const from = new Date(`${request.windowFrom}T00:00:00+08:00`);
  const disclosed = [...request.history, ...request.possible];
  const rows = disclosed.length ? (await candidates(deps.db, "", [], from, disclosed)).rows : [];
  const key = subjectKey(request.name) ?? "";
  const sorted = await sortCandidates(
    deps.db,
    deps,
    actor,
    rows,
    { key, unit: request.unit },
    request.personIds,
  );
  return answer(deps.db, deps, request, personRows, sorted);
}
