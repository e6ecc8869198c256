import type { Ctx, StaffActor } from "../../context";
import type { OfficeDirectory } from "../../domain/divisions";
import type { Relation } from "../../domain/workflow";
import { problems } from "../../errors";

/**
 * Who may see a case: the staff of the office that holds it act on it; a supervisor (or a leader:
 * 提级办理/提级审核 are theirs) of an office above reads it (a supervisor may press it, 督办);
 * everyone else is told it does not exist.
 */
export function relationTo(offices: OfficeDirectory, actor: StaffActor, officeCode: string): Relation {
  if (actor.officeCode === officeCode) return "act";
  if (readsBelow(actor.roles) && offices.isSameOrAbove(actor.officeCode, officeCode)) return "read";
  return "none";
}

/** Roles that read the cases of the offices below their own: supervisor, leader. */
export function readsBelow(roles: readonly string[]): boolean {
  return roles.includes("supervisor") || roles.includes("leader");
}

/** The offices whose cases `actor` sees: their own, and for a supervisor or leader every office below. */
export function officesInView(offices: OfficeDirectory, actor: StaffActor): string[] {
  if (!readsBelow(actor.roles)) return [actor.officeCode];
  return [actor.officeCode, ...offices.descendantsOf(actor.officeCode).map((o) => o.code)];
}

/** Staff who work an office's cases (its ledgers too): intake, handler, supervisor. */
export function worksCases(roles: readonly string[]): boolean {
  return roles.some((r) => r === "intake" || r === "handler" || r === "supervisor");
}

/** The staff actor of a verb, or 401: staff verbs are never run for a reporter or the system. */
export function staffOf(ctx: Ctx): StaffActor {
  if (ctx.actor.kind !== "staff") throw problems.unauthorized();
  return ctx.actor;
}

export function actorLabel(actor: StaffActor): string {
  return `staff:${actor.username}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: unknown): s is string {
  return typeof s === "string" && UUID_RE.test(s);
}

/** The one answer for a case outside the caller's scope and for one that does not exist. */
export const caseNotFound = () => problems.notFound("case.not_found");
