import { and, eq, isNull, sql } from "drizzle-orm";
import { cases, personHistoryRequests, personLinks, persons, staff } from "../../../db/schema/index";
import type { StaffActor, VerbArgs } from "../../context";
import { maskIdentityNumbers } from "../../domain/identity-mask";
import { Problem, personFieldError, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { actorLabel, isUuid, relationTo, staffOf } from "../cases/scope";
import { personView } from "./history";
import { type PersonFields, parsePerson } from "./inputs";
import type { PersonLinkView, PersonRecordView } from "./views";

// Person records and their links (issue 12 §4). Only `integrity_reply` staff make person records
// and link or unlink a case's 被反映人 to one, for a case of any office of the province (they
// answer for the whole five-year history), except one kept from their office (sent one level up
// because its subject is 纪检监察 staff or an office's 主要负责人). Not the case's own handlers: a
// link takes a case out of every other person's history, so a county member could hide their
// office's cases from a 党风廉政意见回复, and a record's 身份证号 answers whether the province holds
// that number (red team, 2026-12-02). Every link, unlink and new record is an audit row.

const linkForbidden = () => problems.forbidden("person.link_forbidden");
const personNotFound = () => problems.notFound("person.not_found");

function mayLink(actor: StaffActor): boolean {
  return actor.roles.includes("integrity_reply");
}

/**
 * A new person record: name, unit and, when known, the 身份证号 (held as its keyed hash only; 409
 * when another record holds it). Optionally adopted by a search of the caller's (`fromRequest`), so
 * that search's answer and draft count the cases linked to it.
 */
export async function createPerson({
  ctx,
  input,
}: VerbArgs<{ body: Record<string, unknown>; fromRequest?: string }>): Promise<PersonRecordView> {
  const actor = staffOf(ctx);
  if (!mayLink(actor)) throw linkForbidden();
  const { deps } = ctx;
  const p: PersonFields = parsePerson(input.body, deps.keys);
  const at = deps.now();
  const row = await deps.db.transaction(async (tx) => {
    if (p.idHash) {
      const [taken] = await tx.select({ id: persons.id }).from(persons).where(eq(persons.idHash, p.idHash));
      if (taken) throw new Problem(409, "conflict", { detail: "person.id_taken" });
    }
    const [created] = await tx
      .insert(persons)
      .values({
        name: p.name,
        unit: p.unit,
        nameKey: p.key,
        idHash: p.idHash,
        createdBy: actor.id,
        createdAt: at,
      })
      .returning();
    if (input.fromRequest) {
      const adopted = await tx
        .update(personHistoryRequests)
        .set({ personIds: sql`array_append(${personHistoryRequests.personIds}, ${created.id}::uuid)` })
        .where(
          and(eq(personHistoryRequests.id, input.fromRequest), eq(personHistoryRequests.staffId, actor.id)),
        )
        .returning({ id: personHistoryRequests.id });
      if (adopted.length === 0) throw problems.notFound("person_history.not_found");
    }
    await appendAudit(tx, {
      at,
      actor: actorLabel(actor),
      action: "person.create",
      data: {
        person: created.id,
        name: maskIdentityNumbers(p.name),
        unit: maskIdentityNumbers(p.unit),
        idNumberGiven: p.idHash !== null,
        ...(input.fromRequest ? { request: input.fromRequest } : {}),
      },
    });
    return created;
  });
  return personView(row);
}

/** The case a link names, if the actor may link it; 422 caseId.unknown for one they may not see. */
async function linkableCase(ctx: VerbArgs<unknown>["ctx"], actor: StaffActor, caseId: unknown) {
  const { deps } = ctx;
  const unknown = () => problems.invalid([personFieldError("caseId", "caseId.unknown")]);
  if (!isUuid(caseId)) throw unknown();
  const [row] = await deps.db
    .select({
      id: cases.id,
      officeCode: cases.officeCode,
      sentAbove: sql<boolean>`(${cases.subjectIsDisciplineStaff} or ${cases.subjectIsPrincipalLeader})`,
    })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!row) throw unknown();
  if (!mayLink(actor)) throw linkForbidden();
  const relation = relationTo(deps.offices, actor, row.officeCode);
  if (row.sentAbove && relation === "none") throw unknown();
  return row;
}

async function personOf(ctx: VerbArgs<unknown>["ctx"], personId: string) {
  if (!isUuid(personId)) throw personNotFound();
  const [p] = await ctx.deps.db.select({ id: persons.id }).from(persons).where(eq(persons.id, personId));
  if (!p) throw personNotFound();
  return p;
}

async function linkView(
  ctx: VerbArgs<unknown>["ctx"],
  row: typeof personLinks.$inferSelect,
): Promise<PersonLinkView> {
  const name = async (id: string | null) => {
    if (!id) return null;
    const [s] = await ctx.deps.db.select({ username: staff.username }).from(staff).where(eq(staff.id, id));
    return s?.username ?? null;
  };
  return {
    personId: row.personId,
    caseId: row.caseId,
    linkedBy: (await name(row.linkedBy)) ?? "",
    linkedAt: row.linkedAt.toISOString(),
    unlinkedBy: await name(row.unlinkedBy),
    unlinkedAt: row.unlinkedAt?.toISOString() ?? null,
  };
}

/**
 * Confirms that case `caseId`'s 被反映人 is person `personId` (a staff decision, audited
 * `person.link`). Linking it again to the same person answers the existing link (`created` false);
 * a case already linked to another person answers 409 (unlink it there first).
 */
export async function linkCase({
  ctx,
  input,
}: VerbArgs<{ personId: string; caseId: unknown }>): Promise<{ link: PersonLinkView; created: boolean }> {
  const actor = staffOf(ctx);
  if (!mayLink(actor)) throw linkForbidden();
  const person = await personOf(ctx, input.personId);
  const c = await linkableCase(ctx, actor, input.caseId);
  const at = ctx.deps.now();
  const out = await ctx.deps.db.transaction(async (tx) => {
    // The case row lock serialises two links racing for the same case.
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, c.id)).for("no key update");
    const [live] = await tx
      .select()
      .from(personLinks)
      .where(and(eq(personLinks.caseId, c.id), isNull(personLinks.unlinkedAt)));
    if (live) {
      if (live.personId !== person.id) throw new Problem(409, "conflict", { detail: "person.case_linked" });
      return { row: live, created: false };
    }
    const [row] = await tx
      .insert(personLinks)
      .values({ personId: person.id, caseId: c.id, linkedBy: actor.id, linkedAt: at })
      .returning();
    await appendAudit(tx, {
      at,
      actor: actorLabel(actor),
      action: "person.link",
      caseId: c.id,
      data: { person: person.id, office: c.officeCode },
    });
    return { row, created: true };
  });
  return { link: await linkView(ctx, out.row), created: out.created };
}

/** Takes back the link of case `caseId` to person `personId` (audited `person.unlink`); 404 when there is none. */
export async function unlinkCase({
  ctx,
  input,
}: VerbArgs<{ personId: string; caseId: unknown }>): Promise<PersonLinkView> {
  const actor = staffOf(ctx);
  if (!mayLink(actor)) throw linkForbidden();
  const person = await personOf(ctx, input.personId);
  const c = await linkableCase(ctx, actor, input.caseId);
  const at = ctx.deps.now();
  const row = await ctx.deps.db.transaction(async (tx) => {
    const [done] = await tx
      .update(personLinks)
      .set({ unlinkedAt: at, unlinkedBy: actor.id })
      .where(
        and(
          eq(personLinks.caseId, c.id),
          eq(personLinks.personId, person.id),
          isNull(personLinks.unlinkedAt),
        ),
      )
      .returning();
    if (!done) throw problems.notFound("person.link_not_found");
    await appendAudit(tx, {
      at,
      actor: actorLabel(actor),
      action: "person.unlink",
      caseId: c.id,
      data: { person: person.id, office: c.officeCode },
    });
    return done;
  });
  return linkView(ctx, row);
}
