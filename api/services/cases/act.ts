import { eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import { type DbOrTx, executePrepared, isUniqueViolation, preparedOn, type Tx } from "../../../db/client";
import { caseEvents, cases } from "../../../db/schema/index";
import type { Ctx, StaffActor, VerbArgs } from "../../context";
import { shanghaiDate } from "../../domain/clock";
import { earliestStart, planClockRules } from "../../domain/clock-plan";
import { clockRulesFor } from "../../domain/clock-rules";
import {
  type Action,
  allowedActions,
  isAction,
  judge,
  nextStage,
  TERMINAL_STAGES,
  WORKFLOW,
  type WorkflowCase,
} from "../../domain/workflow";
import { problems } from "../../errors";
import { chainEvent } from "../events/append";
import {
  arrivalFromEvent,
  arrivalOf,
  type CaseRow,
  type CaseSummary,
  caseSummary,
  ROUTING_KINDS,
  workflowCaseOf,
} from "./facts";
import { fieldError, parseActionBody } from "./inputs";
import { actorLabel, caseNotFound, isUuid, relationTo, staffOf } from "./scope";

export interface ActInput {
  caseId: string;
  /** `{ action, leaseToken, …fields }` as the client sent it. */
  body: unknown;
}

export interface ActResult {
  case: CaseSummary;
  /** The renewed lease expiry when the holder keeps the case; null when it was let go. */
  leaseExpiresAt: string | null;
}

export async function loadCase(db: DbOrTx, id: string): Promise<CaseRow | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

export const illegalStep = (action: string, allowed: Action[]) =>
  problems.conflict(["case.action_illegal", { action }], { allowedActions: allowed });

export const staleLease = () => problems.conflict("case.lease_lost", { reason: "lease" });

/**
 * POST /api/v1/staff/cases/:id/actions — one step of the workflow. One read (the case, its chain
 * head and how it arrived), permission (scope, role, stage, from the state machine), the fields,
 * then ONE statement: a conditional UPDATE fenced by stage, office and the live lease token, with
 * the case event, the reporter message and the clocks as data-modifying CTEs hanging off it.
 * An empty RETURNING is a 409 and nothing is written.
 */
export async function actOnCase({ ctx, input }: VerbArgs<ActInput>): Promise<ActResult> {
  const actor = staffOf(ctx);
  const { deps } = ctx;
  const body = input.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw problems.invalid([fieldError("action", "required")]);
  }
  const rawAction = (body as { action?: unknown }).action;
  if (typeof rawAction !== "string" || !isAction(rawAction)) {
    throw problems.invalid([fieldError("action", rawAction === undefined ? "required" : "invalid_choice")]);
  }
  const action: Action = rawAction;

  const now = deps.now();
  const today = shanghaiDate(now);
  const args = [ctx, actor, action, body as Record<string, unknown>, input.caseId] as const;
  // Locked path: take the case row (appendEvent's per-case lock) before the read, so no append
  // can slip in between the read and the write.
  const locked = async (tx: Tx): Promise<ActResult> => {
    if (!isUuid(input.caseId)) throw caseNotFound();
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, input.caseId)).for("no key update");
    return actOnce(...args, tx, now, today);
  };
  // Inside the caller's transaction a failed statement cannot be retried: lock first.
  if (ctx.tx) return locked(ctx.tx);
  // Fast path, no lock: one read, one write. An event appended in between (a reporter's message)
  // makes the write's event collide on the unique (case_id, seq) index, so the statement changes
  // nothing; the action then runs again on the locked path, which waits for such appends instead
  // of racing them (as many as arrive). Never a fork.
  try {
    return await actOnce(...args, deps.db, now, today);
  } catch (e) {
    if (!isUniqueViolation(e, "case_events_case_seq")) throw e;
  }
  return deps.db.transaction(locked);
}

// Constants written into the SQL (not parameters): the outer row's id, and the routing kinds.
const HEAD_CASE = sql.raw(`"cases"."id"`);
const ROUTING_IN = sql.raw(`(${ROUTING_KINDS.map((k) => `'${k}'`).join(", ")})`);

/** The case with its chain head (last seq and hash) and its last routing event, in one read. */
function caseWithHead(h: DbOrTx) {
  return preparedOn(h, "act_read", (db) =>
    db
      .select({
        ...getTableColumns(cases),
        headSeq: sql<number | null>`(select e.seq from case_events e where e.case_id = ${HEAD_CASE}
          order by e.seq desc limit 1)`,
        headHash: sql<Uint8Array | null>`(select e.hash from case_events e where e.case_id = ${HEAD_CASE}
          order by e.seq desc limit 1)`.mapWith(caseEvents.hash),
        arrivalKind: sql<string | null>`(select e.kind from case_events e where e.case_id = ${HEAD_CASE}
          and e.kind in ${ROUTING_IN} order by e.seq desc limit 1)`,
        arrivalData: sql<unknown>`(select e.data from case_events e where e.case_id = ${HEAD_CASE}
          and e.kind in ${ROUTING_IN} order by e.seq desc limit 1)`.mapWith(caseEvents.data),
      })
      .from(cases)
      .where(eq(cases.id, sql.placeholder("id")))
      .limit(1)
      .prepare("act_read"),
  );
}

const CASE_COLUMNS = getTableColumns(cases);
const CASE_FIELDS: SelectedFieldsOrdered = Object.entries(CASE_COLUMNS).map(([key, column]) => ({
  path: [key],
  field: column,
}));
const CASE_SELECT = sql.join(
  Object.values(CASE_COLUMNS).map((c) => sql.identifier(c.name)),
  sql`, `,
);

/** bytea parameters: postgres.js sends a Buffer as bytea; PGlite takes any Uint8Array. */
const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

async function actOnce(
  ctx: Ctx,
  actor: StaffActor,
  action: Action,
  body: Record<string, unknown>,
  caseId: string,
  db: DbOrTx,
  now: Date,
  today: string,
): Promise<ActResult> {
  const { deps } = ctx;
  const spec = WORKFLOW[action];
  if (!isUuid(caseId)) throw caseNotFound();
  const [read] = await caseWithHead(db).execute({ id: caseId });
  if (!read) throw caseNotFound();
  const { headSeq, headHash, arrivalKind, arrivalData, ...row } = read;
  const relation = relationTo(deps.offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  const arrival = arrivalKind ? arrivalFromEvent(arrivalKind, arrivalData, row.officeCode) : null;
  const wc = workflowCaseOf(row, arrival, deps.offices, today);
  const who = { roles: actor.roles, relation };
  const verdict = judge(action, wc, who);
  if (!verdict.ok) {
    if (verdict.why === "scope") throw caseNotFound();
    if (verdict.why === "forbidden") {
      throw problems.forbidden(relation === "read" ? "case.read_only" : "case.roles_forbid");
    }
    throw illegalStep(action, allowedActions(wc, who));
  }

  const parsed = parseActionBody(action, body, spec.lease);
  if (!parsed.ok) throw problems.invalid(parsed.errors);
  const fields = parsed.fields;
  const effect = await effectOf(ctx, actor, action, row, wc, fields, today);

  const leaseUntil = new Date(now.getTime() + deps.config.leaseMinutes * 60_000);
  const toStage = nextStage(action, wc);
  const terminal = TERMINAL_STAGES.includes(toStage);
  // The case as the update leaves it: the clock rules judge these facts (type and real name never
  // change; office and disposition only through the action's own columns).
  const officeAfter = effect.set.officeCode ?? row.officeCode;
  const dispositionAfter = effect.set.disposition !== undefined ? effect.set.disposition : row.disposition;
  const event = spec.event
    ? chainEvent(headSeq !== null && headHash !== null ? { seq: headSeq, hash: headHash } : null, {
        caseId: row.id,
        kind: spec.event,
        actor: actorLabel(actor),
        officeCode: actor.officeCode,
        isPublic: spec.publicEvent && (action !== "dispose" || row.publicStatus !== "in_progress"),
        at: now,
        data: effect.data,
      })
    : undefined;
  const plan =
    spec.event !== null
      ? planClockRules(
          clockRulesFor(deps.config.province),
          { kind: spec.event, at: now, data: effect.data, terminal },
          {
            realName: row.realName,
            disposition: dispositionAfter ?? null,
            officeLevel: deps.offices.get(officeAfter)?.level ?? "county",
            type: row.type,
          },
        )
      : undefined;

  // Columns the update sets, by database name.
  const set: [string, unknown][] = [];
  for (const [key, value] of Object.entries(effect.set))
    set.push([CASE_COLUMNS[key as keyof typeof CASE_COLUMNS].name, value]);
  set.push(["stage", toStage]);
  if (spec.publicStatus) set.push(["public_status", spec.publicStatus]);
  if (spec.afterLease === "clear")
    set.push(["lease_token", null], ["lease_holder_id", null], ["lease_expires_at", null]);

  const stops = plan && plan.stop !== "all" ? plan.stop : [];
  const values: Record<string, unknown> = {
    id: row.id,
    stage: row.stage,
    office: row.officeCode,
    now: now.toISOString(),
  };
  set.forEach(([, value], i) => {
    values[`set${i}`] = value;
  });
  stops.forEach((rule, i) => {
    values[`stop${i}`] = rule;
  });
  if (spec.afterLease === "keep") values.leaseUntil = leaseUntil.toISOString();
  if (plan?.changes) values.nextDue = earliestStart(plan);
  if (spec.lease) {
    values.token = parsed.leaseToken!;
    values.holder = actor.id;
  }
  if (action === "supervise") values.today = today;
  if (event) {
    Object.assign(values, {
      eventSeq: event.seq,
      eventAt: event.at.toISOString(),
      eventKind: event.kind,
      eventActor: event.actor,
      eventOffice: event.officeCode,
      eventPublic: event.isPublic,
      eventData: JSON.stringify(event.data),
      eventPrev: event.prevHash ? bytes(event.prevHash) : null,
      eventHash: bytes(event.hash),
    });
  }
  if (plan && plan.start.length > 0) {
    values.starts = JSON.stringify(
      plan.start.map((c) => ({ rule: c.rule, started_on: c.startedOn, due_on: c.dueOn })),
    );
  }
  if (action === "message") {
    values.staff = actor.id;
    values.message = fields.body as string;
  }
  // Everything that changes the SQL text; the values above only bind.
  const shape = [
    `act_${action}`,
    set.map(([column]) => column).join(","),
    plan ? (plan.stop === "all" ? "*" : plan.stop.join(",")) : "-",
    plan && plan.start.length > 0 ? "start" : "",
    plan?.changes ? "due" : "",
    event ? "event" : "",
  ].join("|");

  const build = (): SQL => {
    const p = (name: string) => sql.placeholder(name);
    const inStops = sql.join(
      stops.map((_, i) => sql`${p(`stop${i}`)}`),
      sql`, `,
    );
    const parts: SQL[] = set.map(([column], i) => sql`${sql.identifier(column)} = ${p(`set${i}`)}`);
    if (spec.afterLease === "keep") parts.push(sql`lease_expires_at = ${p("leaseUntil")}::timestamptz`);
    parts.push(sql`updated_at = ${p("now")}::timestamptz`);
    if (plan?.changes) {
      // cases.next_due_on := the earliest running due date once the clocks this event stops are
      // stopped and those it starts are running (the statement's subqueries see the clocks as
      // they were before it).
      if (plan.stop === "all") parts.push(sql`next_due_on = ${p("nextDue")}::date`);
      else {
        const stillRunning = sql`(select min(k.due_on) from case_clocks k where k.case_id = ${p("id")}::uuid and k.stopped_at is null${
          stops.length > 0 ? sql` and k.rule not in (${inStops})` : sql``
        })`;
        parts.push(sql`next_due_on = least(${stillRunning}, ${p("nextDue")}::date)`);
      }
    }
    const where: SQL[] = [
      sql`id = ${p("id")}::uuid`,
      sql`stage = ${p("stage")}`,
      sql`office_code = ${p("office")}`,
    ];
    if (spec.lease) {
      // The token acts only for the staff member who holds it: a colleague who learns it (shared
      // screen, a copied request) cannot act with it.
      where.push(
        sql`lease_token = ${p("token")}::uuid`,
        sql`lease_holder_id = ${p("holder")}::uuid`,
        sql`lease_expires_at > ${p("now")}::timestamptz`,
      );
    }
    // 督办 presses an overdue case only: still overdue when the update runs.
    if (action === "supervise") where.push(sql`next_due_on < ${p("today")}::date`);

    const ctes: SQL[] = [
      sql`u as (update cases set ${sql.join(parts, sql`, `)} where ${sql.join(where, sql` and `)} returning *)`,
    ];
    if (event) {
      ctes.push(sql`e as (insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select id, ${p("eventSeq")}::int, ${p("eventAt")}::timestamptz, ${p("eventKind")}, ${p("eventActor")},
        ${p("eventOffice")}, ${p("eventPublic")}::boolean, ${p("eventData")}::jsonb, ${p("eventPrev")}::bytea,
        ${p("eventHash")}::bytea from u)`);
    }
    if (plan && (plan.stop === "all" || stops.length > 0)) {
      ctes.push(sql`k as (update case_clocks set stopped_at = ${p("now")}::timestamptz
      where case_id in (select id from u) and stopped_at is null${plan.stop === "all" ? sql`` : sql` and rule in (${inStops})`})`);
    }
    if (plan && plan.start.length > 0) {
      ctes.push(sql`s as (insert into case_clocks (case_id, rule, office_code, started_on, due_on)
      select u.id, c.rule, u.office_code, c.started_on::date, c.due_on::date
      from u, jsonb_to_recordset(${p("starts")}::jsonb) as c(rule text, started_on text, due_on text))`);
    }
    if (action === "message") {
      ctes.push(sql`m as (insert into case_messages (case_id, at, sender, staff_id, body)
      select id, ${p("now")}::timestamptz, 'office', ${p("staff")}::uuid, ${p("message")} from u)`);
    }
    return sql`with ${sql.join(ctes, sql`, `)} select ${CASE_SELECT} from u`;
  };

  // One statement: the fenced update, the event, the clocks and the message are written
  // together or not at all. An empty answer is a conflict and nothing was written.
  const [updated] = await executePrepared<CaseRow>(db, shape, build, values, CASE_FIELDS);
  if (!updated) throw await explainConflict(db, ctx, actor, action, row.id, today);

  return {
    case: caseSummary(updated, deps.offices),
    leaseExpiresAt: spec.afterLease === "keep" ? leaseUntil.toISOString() : null,
  };
}

/** Why the fenced update matched nothing: the case moved on (illegal step now) or the lease is stale. */
async function explainConflict(
  tx: DbOrTx,
  ctx: Ctx,
  actor: StaffActor,
  action: Action,
  caseId: string,
  today: string,
): Promise<Error> {
  const [now] = await tx.select().from(cases).where(eq(cases.id, caseId));
  const relation = relationTo(ctx.deps.offices, actor, now.officeCode);
  if (relation === "none") return caseNotFound();
  const wc = workflowCaseOf(now, await arrivalOf(tx, now.id, now.officeCode), ctx.deps.offices, today);
  const who = { roles: actor.roles, relation };
  if (!judge(action, wc, who).ok) return illegalStep(action, allowedActions(wc, who));
  return staleLease();
}

interface Effect {
  /** Columns the action sets beyond stage, public status, lease and updated_at. */
  set: Partial<typeof cases.$inferInsert>;
  /** The case event's data. */
  data: Record<string, unknown>;
}

/** What each action changes; also the checks of its fields that need the directory or the database. */
async function effectOf(
  ctx: Ctx,
  actor: StaffActor,
  action: Action,
  row: CaseRow,
  wc: WorkflowCase,
  f: Record<string, unknown>,
  today: string,
): Promise<Effect> {
  const { offices } = ctx.deps;
  const moved = (to: string) => ({ officeCode: to, department: null, assigneeId: null });
  const lowerOffice = (code: string) => {
    if (code === row.officeCode || !offices.get(code) || !offices.isSameOrAbove(row.officeCode, code)) {
      throw problems.invalid([fieldError("office", "office.not_lower")]);
    }
    return code;
  };
  switch (action) {
    case "register":
      return { set: { assigneeId: actor.id }, data: {} };
    case "decline":
      return { set: {}, data: { reason: f.reason, guidance: f.guidance } };
    case "transfer":
      return {
        set: { department: f.department as string },
        data: { department: f.department, previous: row.department },
      };
    case "forward": {
      const to = lowerOffice(f.office as string);
      return { set: moved(to), data: { from: row.officeCode, to, fromStage: row.stage, note: f.note } };
    }
    case "assign": {
      const to = lowerOffice(f.office as string);
      const dueOn = f.dueDate as string;
      if (dueOn < today) throw problems.invalid([fieldError("dueDate", "dueDate.invalid")]);
      return {
        set: moved(to),
        data: { from: row.officeCode, to, fromStage: row.stage, dueOn, note: f.note },
      };
    }
    case "escalate": {
      const to = offices.get(row.officeCode)!.parentCode!;
      return { set: moved(to), data: { from: row.officeCode, to, fromStage: row.stage, reason: f.reason } };
    }
    case "return": {
      const arrival = wc.arrival!;
      return {
        set: moved(arrival.fromOffice),
        data: {
          from: row.officeCode,
          to: arrival.fromOffice,
          fromStage: row.stage,
          toStage: arrival.fromStage,
          reason: f.reason,
        },
      };
    }
    case "merge": {
      const target = await loadCase(ctx.deps.db, f.caseId as string);
      if (
        !target ||
        target.id === row.id ||
        target.officeCode !== actor.officeCode ||
        target.stage === "merged"
      ) {
        throw problems.invalid([fieldError("caseId", "caseId.unknown")]);
      }
      return { set: { mergedInto: target.id }, data: { into: target.id, intoSerial: target.serial } };
    }
    case "dispose":
      return {
        set: { disposition: f.disposition as string, assigneeId: actor.id },
        data: { disposition: f.disposition, previous: row.disposition },
      };
    case "conclude":
      // data.reply is what /track shows the reporter (api/services/track/lookup.ts).
      return { set: {}, data: { result: f.result, reply: f.reply } };
    case "message":
      return { set: {}, data: {} };
    case "release":
      return { set: {}, data: {} };
    case "supervise":
      return { set: {}, data: { byOffice: actor.officeCode, note: f.note, dueOn: row.nextDueOn } };
  }
}
