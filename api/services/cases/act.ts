import { and, desc, eq, getTableColumns, type SQL, sql, type WithSubquery } from "drizzle-orm";
import {
  type CteStatement,
  cte,
  type DbOrTx,
  executePrepared,
  isUniqueViolation,
  preparedOn,
  type Tx,
} from "../../../db/client";
import { caseEvents, caseNumbers, cases } from "../../../db/schema/index";
import type { Ctx, StaffActor, VerbArgs } from "../../context";
import { addWorkingDays, shanghaiDate } from "../../domain/clock";
import { earliestStart, planClockRules } from "../../domain/clock-plan";
import { clockRulesFor } from "../../domain/clock-rules";
import { holdsConclusion, reviewAfterMove } from "../../domain/leaders";
import {
  type Action,
  allowedActions,
  endsHandling,
  eventIsPublic,
  isAction,
  judge,
  nextPublicStatus,
  nextStage,
  WORKFLOW,
  type WorkflowCase,
} from "../../domain/workflow";
import { problems } from "../../errors";
import { chainEvent } from "../events/append";
import { type LedgerShape, ledgerCtes, ledgerShape, ledgerValues } from "../ledgers/act-ctes";
import { supervisionPendingOf } from "../ledgers/supervisions";
import { numberCtes, numberLabel, yearOf } from "../numbering/numbers";
import { type Prefetched, takeClaimRead } from "../queue/prefetch";
import { repeatTargetOf } from "../repeats/target";
import {
  type CaseRow,
  type CaseSummary,
  caseSummary,
  ROUTING_FACT_KINDS,
  type RoutingEvent,
  routingFacts,
  routingOf,
  workflowCaseOf,
} from "./facts";
import { type ActionInput, fieldError, parseActionBody } from "./inputs";
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

const illegalStep = (action: string, allowed: Action[]) =>
  problems.conflict(["case.action_illegal", { action }], { allowedActions: allowed });

const staleLease = () => problems.conflict("case.lease_lost", { reason: "lease" });

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
    return (await actOnce(...args, tx, now, today, true))!;
  };
  // Inside the caller's transaction a failed statement cannot be retried: lock first.
  if (ctx.tx) return locked(ctx.tx);
  // Fast path, no lock: one read, one write. An event appended in between (a reporter's message)
  // makes the write's event collide on the unique (case_id, seq) index, so the statement changes
  // nothing; the action then runs again on the locked path, which waits for such appends instead
  // of racing them (as many as arrive). Never a fork.
  try {
    // Faster still when this process's claim left its read (queue/prefetch.ts): no read, the
    // write fenced by the row version the claim wrote as well. Anything that read could have got
    // wrong (the row changed since: no row matched; a refusal judged on it) runs again as usual.
    const pre = takeClaimRead(deps.db, input.caseId, (body as { leaseToken?: unknown }).leaseToken, now);
    if (pre) {
      const done = await actOnce(...args, deps.db, now, today, false, pre).catch((e) => {
        if (isUniqueViolation(e, "case_events_case_seq")) throw e;
        return null;
      });
      if (done) return done;
    }
    return (await actOnce(...args, deps.db, now, today, false))!;
  } catch (e) {
    if (!isUniqueViolation(e, "case_events_case_seq")) throw e;
  }
  return deps.db.transaction(locked);
}

// Constants written into the SQL (not parameters): the outer row's id, and the routing kinds.
const HEAD_CASE = sql.raw(`"cases"."id"`);
const ROUTING_IN = sql.raw(`(${ROUTING_FACT_KINDS.map((k) => `'${k}'`).join(", ")})`);

/** The case with its chain head (last seq and hash) and its routing events, in one read. */
function caseWithHead(h: DbOrTx) {
  return preparedOn(h, "act_read", (db) =>
    db
      .select({
        ...getTableColumns(cases),
        headSeq: sql<number | null>`(select e.seq from case_events e where e.case_id = ${HEAD_CASE}
          order by e.seq desc limit 1)`,
        headHash: sql<Uint8Array | null>`(select e.hash from case_events e where e.case_id = ${HEAD_CASE}
          order by e.seq desc limit 1)`.mapWith(caseEvents.hash),
        routing: sql<
          RoutingEvent[]
        >`(select coalesce(jsonb_agg(jsonb_build_object('kind', e.kind, 'data', e.data)
          order by e.seq), '[]'::jsonb) from case_events e where e.case_id = ${HEAD_CASE}
          and e.kind in ${ROUTING_IN})`.mapWith(caseEvents.data),
        supervisionPending:
          sql<boolean>`exists (select 1 from case_supervisions s where s.case_id = ${HEAD_CASE}
          and s.to_office = "cases"."office_code" and s.replied_at is null)`.mapWith(Boolean),
      })
      .from(cases)
      .where(eq(cases.id, sql.placeholder("id")))
      .limit(1)
      .prepare("act_read"),
  );
}

const CASE_COLUMNS = getTableColumns(cases);
/** The updated case with its number at its office, read in the RETURNING (no statement after). */
const ACTED_COLUMNS = {
  ...CASE_COLUMNS,
  numberYear: sql<number | null>`number_year`.as("number_year"),
  numberSeq: sql<number | null>`number_seq`.as("number_seq"),
};

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
  /** In the locked path's transaction: other rows it appends to are locked before their read too. */
  locked: boolean,
  /** The claim's read in place of the read; the write then also requires the claimed row version. */
  pre?: Prefetched,
): Promise<ActResult | null> {
  const { deps } = ctx;
  const spec = WORKFLOW[action];
  if (!isUuid(caseId)) throw caseNotFound();
  const [read] = pre ? [pre.read] : await caseWithHead(db).execute({ id: caseId });
  if (!read) throw caseNotFound();
  const { headSeq, headHash, routing, supervisionPending, ...row } = read;
  const relation = relationTo(deps.offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  const wc = {
    ...workflowCaseOf(row, routingFacts(routing as RoutingEvent[], row.officeCode), deps.offices, today),
    supervisionPending,
  };
  const who = { roles: actor.roles, relation };
  const verdict = judge(action, wc, who);
  if (!verdict.ok) {
    if (verdict.why === "scope") throw caseNotFound();
    if (verdict.why === "forbidden") {
      throw problems.forbidden(relation === "read" ? "case.read_only" : "case.roles_forbid");
    }
    throw illegalStep(action, allowedActions(wc, who));
  }

  // The fields are parsed once the step is allowed: a refused step answers as such, whatever its body.
  const parsed = parseActionBody(body);
  if (!parsed.ok) throw problems.invalid(parsed.errors);
  const input = parsed.input;
  const effect = await effectOf(ctx, db, actor, input, row, wc, today);
  // 提级审核 (api/domain/leaders.ts): a conclusion the higher office reviews is held from the
  // reporter (no public status, no public event) until it approves.
  // That is 办结 (conclude), or 销号 of the last open 交办 (approve at the outermost assigning office).
  const held = holdsConclusion(action, row.reviewOfficeCode, wc.review?.outerAssignedBy ?? null);
  // 合并/留存备查 across offices: the earlier case's office is told, by an event on that case's own
  // chain, in this statement (its head read here; a concurrent append to it makes the statement
  // collide on (case_id, seq) and the action run again on the locked path, which locks it first).
  let told: ReturnType<typeof chainEvent> | undefined;
  if (effect.tell) {
    const t = effect.tell;
    if (locked)
      await db.select({ id: cases.id }).from(cases).where(eq(cases.id, t.caseId)).for("no key update");
    const [head] = await db
      .select({ seq: caseEvents.seq, hash: caseEvents.hash })
      .from(caseEvents)
      .where(eq(caseEvents.caseId, t.caseId))
      .orderBy(desc(caseEvents.seq))
      .limit(1);
    told = chainEvent(head ?? null, {
      caseId: t.caseId,
      kind: t.kind,
      actor: actorLabel(actor),
      officeCode: actor.officeCode,
      isPublic: false,
      at: now,
      data: t.data,
    });
  }

  const leaseUntil = new Date(now.getTime() + deps.config.leaseMinutes * 60_000);
  // A held conclusion stays at 已办结 below, out of the reporter's sight: no 反馈 is owed (nor its
  // clock started) until the reviewing office approves it (leaders/act.ts approve_review).
  const toStage = held ? "concluded" : nextStage(action, wc);
  const statusAfter = (held ? undefined : nextPublicStatus(action, wc)) ?? row.publicStatus;
  // The case as the update leaves it: the clock rules judge these facts (type and real name never
  // change; office, disposition and merge only through the action's own columns).
  const officeAfter = effect.set.officeCode ?? row.officeCode;
  const dispositionAfter = effect.set.disposition !== undefined ? effect.set.disposition : row.disposition;
  const mergedAfter = effect.set.mergedInto !== undefined ? effect.set.mergedInto : row.mergedInto;
  const event = spec.event
    ? chainEvent(headSeq !== null && headHash !== null ? { seq: headSeq, hash: headHash } : null, {
        caseId: row.id,
        kind: spec.event,
        actor: actorLabel(actor),
        officeCode: actor.officeCode,
        isPublic: !held && eventIsPublic(action, wc, row.publicStatus),
        at: now,
        data: effect.data,
      })
    : undefined;
  const plan =
    spec.event !== null
      ? planClockRules(
          clockRulesFor(deps.config.province, officeAfter),
          {
            kind: spec.event,
            at: now,
            data: effect.data,
            caseReceivedAt: row.receivedAt,
            stopAll: endsHandling(toStage),
          },
          {
            realName: row.realName,
            disposition: dispositionAfter ?? null,
            officeLevel: deps.offices.get(officeAfter)?.level ?? "county",
            type: row.type,
            // 重复件: merged into another case, or kept for reference (留存备查); Art.13 告知 not again.
            repeat: mergedAfter !== null || toStage === "kept",
            publicStatus: statusAfter,
            stage: toStage,
          },
        )
      : undefined;

  // Columns the update sets, by database name.
  const set: [string, unknown][] = [];
  for (const [key, value] of Object.entries(effect.set))
    set.push([CASE_COLUMNS[key as keyof typeof CASE_COLUMNS].name, value]);
  set.push(["stage", toStage]);
  if (statusAfter !== row.publicStatus) set.push(["public_status", statusAfter]);
  if (spec.afterLease === "clear")
    set.push(["lease_token", null], ["lease_holder_id", null], ["lease_expires_at", null]);
  const stops = plan && plan.stop !== "all" ? plan.stop : { rules: [], officeRules: [] };

  const shape: ActShape = {
    set: set.map(([column]) => column),
    keepLease: spec.afterLease === "keep",
    leased: spec.lease,
    // 督办 from above presses an overdue case only; inside the office it needs no overdue clock.
    overdueOnly: action === "supervise" && relation === "read",
    nextDue: !plan?.changes ? "keep" : plan.stop === "all" ? "set" : "least",
    stop: plan?.stop === "all" ? "all" : { case: stops.rules.length, office: stops.officeRules.length },
    event: event !== undefined,
    startClocks: plan !== undefined && plan.start.length > 0,
    message: input.action === "message",
    number: spec.moves !== "none",
    ledger: ledgerShape(spec.event),
    tell: told !== undefined,
    version: pre !== undefined,
  };

  // The values the statement binds, by placeholder.
  const values: Record<string, unknown> = {
    id: row.id,
    stage: row.stage,
    office: row.officeCode,
    now: now.toISOString(),
  };
  if (pre) values.version = pre.version;
  set.forEach(([, value], i) => {
    values[`set${i}`] = value;
  });
  stops.rules.forEach((rule, i) => {
    values[`stop${i}`] = rule;
  });
  stops.officeRules.forEach((rule, i) => {
    values[`stopOffice${i}`] = rule;
  });
  if (shape.keepLease) values.leaseUntil = leaseUntil.toISOString();
  if (plan?.changes) values.nextDue = earliestStart(plan);
  if (shape.leased) {
    values.token = input.leaseToken;
    values.holder = actor.id;
  }
  if (shape.overdueOnly) values.today = today;
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
  if (told) {
    Object.assign(values, {
      tellCase: told.caseId,
      tellSeq: told.seq,
      tellKind: told.kind,
      tellPublic: told.isPublic,
      tellData: JSON.stringify(told.data),
      tellPrev: told.prevHash ? bytes(told.prevHash) : null,
      tellHash: bytes(told.hash),
    });
  }
  if (plan && shape.startClocks) {
    values.starts = JSON.stringify(
      plan.start.map((c) => ({ rule: c.rule, started_on: c.startedOn, due_on: c.dueOn })),
    );
  }
  if (input.action === "message") {
    values.staff = actor.id;
    values.message = input.body;
  }
  // The receiving office's 信访件编号, drawn when the case arrives there (a new one per year).
  if (shape.number) values.year = yearOf(today);
  Object.assign(
    values,
    ledgerValues(shape.ledger, {
      today,
      reportDueOn: input.action === "assign" ? input.dueDate : undefined,
      method: input.action === "supervise" ? input.method : undefined,
      note: input.action === "supervise" ? input.note : undefined,
      reply: input.action === "respond" ? input.answer : undefined,
    }),
  );

  // One statement: the fenced update, the event, the clocks and the message are written
  // together or not at all. An empty answer is a conflict and nothing was written.
  const [updated] = await executePrepared(
    db,
    `act:${JSON.stringify(shape)}`,
    () => actStatement(shape),
    values,
  );
  // With the claim's read, an empty answer may only mean the row moved on since: read afresh.
  if (!updated) {
    if (pre) return null;
    throw await explainConflict(db, ctx, actor, action, row.id, today);
  }
  // The RETURNING read the number at the office the case is at; a case that arrives at another
  // office draws its number there in this very statement, which that subquery cannot see yet.
  const [number] = shape.number
    ? await db
        .select({ numberYear: caseNumbers.year, numberSeq: caseNumbers.seq })
        .from(caseNumbers)
        .where(and(eq(caseNumbers.caseId, updated.id), eq(caseNumbers.officeCode, updated.officeCode)))
    : [];

  const summary = caseSummary({ ...updated, ...number }, deps);
  // Merged into a case the actor may not see: not even its id.
  if (effect.hidden) summary.mergedInto = null;
  return { case: summary, leaseExpiresAt: shape.keepLease ? leaseUntil.toISOString() : null };
}

/**
 * Everything the text of an action's statement depends on; its values only bind. The statement
 * is built from this alone (actStatement), and its prepared-statement key is this, serialized.
 */
interface ActShape {
  /** Columns the update sets from the placeholders set0, set1, … (database names, in order). */
  set: string[];
  /** The holder keeps the case: lease_expires_at := leaseUntil. */
  keepLease: boolean;
  /** Fenced by the lease: token, holder and expiry. */
  leased: boolean;
  /** 督办 presses an overdue case only: still overdue when the update runs. */
  overdueOnly: boolean;
  /** next_due_on: untouched; the earliest new due date; or the least of it and the clocks left running. */
  nextDue: "keep" | "set" | "least";
  /**
   * The running clocks the event stops: all of them, or those of `case` named rules (stop0, stop1,
   * …) and those of `office` named rules (stopOffice0, …) that run at the case's office.
   */
  stop: "all" | { case: number; office: number };
  /** Appends the case event. */
  event: boolean;
  /** Starts the clocks in `starts` (a JSON array). */
  startClocks: boolean;
  /** Writes the office's message to the reporter. */
  message: boolean;
  /** The case arrives at another office: its number there (numbering/numbers.ts). */
  number: boolean;
  /** The ledgers' rows (ledgers/act-ctes.ts). */
  ledger: LedgerShape;
  /** Appends the event that tells another case's office (合并/留存备查 of a repeat of it). */
  tell: boolean;
  /** Fenced by the row version (`xmin`) too: the action used the claim's read (queue/prefetch.ts). */
  version: boolean;
}

/** The conditional UPDATE with the event, the clocks and the message as CTEs hanging off it. */
function actStatement(s: ActShape): CteStatement<typeof ACTED_COLUMNS> {
  const p = (name: string) => sql.placeholder(name);
  const list = (prefix: string, n: number) =>
    sql.join(
      Array.from({ length: n }, (_, i) => sql`${p(`${prefix}${i}`)}`),
      sql`, `,
    );
  // The running clocks this event stops by name (not "all"): `k` is the clock row's alias.
  const named = s.stop === "all" ? { case: 0, office: 0 } : s.stop;
  const stopsNamed = named.case + named.office > 0;
  const isStopped = (k: string) => {
    const col = (c: string) => sql.raw(`${k}.${c}`);
    const byCase = sql`${col("rule")} in (${list("stop", named.case)})`;
    const byOffice = sql`(${col("rule")} in (${list("stopOffice", named.office)}) and ${col("office_code")} = ${p("office")})`;
    if (named.case > 0 && named.office > 0) return sql`(${byCase} or ${byOffice})`;
    return named.case > 0 ? byCase : byOffice;
  };
  const parts: SQL[] = s.set.map((column, i) => sql`${sql.identifier(column)} = ${p(`set${i}`)}`);
  if (s.keepLease) parts.push(sql`lease_expires_at = ${p("leaseUntil")}::timestamptz`);
  parts.push(sql`updated_at = ${p("now")}::timestamptz`);
  // cases.next_due_on := the earliest running due date once the clocks this event stops are
  // stopped and those it starts are running (the statement's subqueries see the clocks as they
  // were before it).
  if (s.nextDue === "set") parts.push(sql`next_due_on = ${p("nextDue")}::date`);
  if (s.nextDue === "least") {
    const stillRunning = sql`(select min(k.due_on) from case_clocks k where k.case_id = ${p("id")}::uuid and k.stopped_at is null${
      s.stop !== "all" && stopsNamed ? sql` and not ${isStopped("k")}` : sql``
    })`;
    parts.push(sql`next_due_on = least(${stillRunning}, ${p("nextDue")}::date)`);
  }
  const where: SQL[] = [
    sql`id = ${p("id")}::uuid`,
    sql`stage = ${p("stage")}`,
    sql`office_code = ${p("office")}`,
  ];
  if (s.leased) {
    // The token acts only for the staff member who holds it: a colleague who learns it (shared
    // screen, a copied request) cannot act with it.
    where.push(
      sql`lease_token = ${p("token")}::uuid`,
      sql`lease_holder_id = ${p("holder")}::uuid`,
      sql`lease_expires_at > ${p("now")}::timestamptz`,
    );
  }
  if (s.overdueOnly) where.push(sql`next_due_on < ${p("today")}::date`);
  // The row version the claim wrote and read (queue/prefetch.ts): any update since changed it.
  if (s.version) where.push(sql`xmin = ${p("version")}::xid`);

  const u = cte(
    "u",
    sql`update cases set ${sql.join(parts, sql`, `)} where ${sql.join(where, sql` and `)} returning cases.*,
      (select n.year from case_numbers n where n.case_id = cases.id and n.office_code = cases.office_code) as number_year,
      (select n.seq from case_numbers n where n.case_id = cases.id and n.office_code = cases.office_code) as number_seq`,
    ACTED_COLUMNS,
  );
  const ctes: WithSubquery[] = [u];
  if (s.event) {
    ctes.push(
      cte(
        "e",
        sql`insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select id, ${p("eventSeq")}::int, ${p("eventAt")}::timestamptz, ${p("eventKind")}, ${p("eventActor")},
        ${p("eventOffice")}, ${p("eventPublic")}::boolean, ${p("eventData")}::jsonb, ${p("eventPrev")}::bytea,
        ${p("eventHash")}::bytea from u`,
      ),
    );
  }
  if (s.stop === "all" || stopsNamed) {
    ctes.push(
      cte(
        "k",
        sql`update case_clocks set stopped_at = ${p("now")}::timestamptz
      where case_id in (select id from u) and stopped_at is null${s.stop === "all" ? sql`` : sql` and ${isStopped("case_clocks")}`}`,
      ),
    );
  }
  if (s.startClocks) {
    ctes.push(
      cte(
        "s",
        sql`insert into case_clocks (case_id, rule, office_code, started_on, due_on)
      select u.id, c.rule, u.office_code, c.started_on::date, c.due_on::date
      from u, jsonb_to_recordset(${p("starts")}::jsonb) as c(rule text, started_on text, due_on text)`,
      ),
    );
  }
  if (s.message) {
    ctes.push(
      cte(
        "m",
        sql`insert into case_messages (case_id, at, sender, staff_id, body)
      select id, ${p("now")}::timestamptz, 'office', ${p("staff")}::uuid, ${p("message")} from u`,
      ),
    );
  }
  if (s.tell) {
    ctes.push(
      cte(
        "t",
        sql`insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, prev_hash, hash)
      select ${p("tellCase")}::uuid, ${p("tellSeq")}::int, ${p("eventAt")}::timestamptz, ${p("tellKind")}, ${p("eventActor")},
        ${p("eventOffice")}, ${p("tellPublic")}::boolean, ${p("tellData")}::jsonb, ${p("tellPrev")}::bytea,
        ${p("tellHash")}::bytea from u`,
      ),
    );
  }
  if (s.number) ctes.push(...numberCtes("u", { year: "year", at: "now" }));
  ctes.push(...ledgerCtes(s.ledger));
  return { with: ctes, from: u };
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
  const routing = routingFacts(await routingOf(tx, now.id), now.officeCode);
  const wc = {
    ...workflowCaseOf(now, routing, ctx.deps.offices, today),
    supervisionPending: await supervisionPendingOf(tx, now.id, now.officeCode),
  };
  const who = { roles: actor.roles, relation };
  if (!judge(action, wc, who).ok) return illegalStep(action, allowedActions(wc, who));
  return staleLease();
}

/** 办结's outcome as the event records it: the finding, the result, the 办结 date (default today). */
function outcomeOf(
  input: { finding: string; result: string; concludedOn?: string },
  row: CaseRow,
  today: string,
): Record<string, unknown> {
  const concludedOn = input.concludedOn ?? today;
  if (concludedOn > today || concludedOn < shanghaiDate(row.receivedAt)) {
    throw problems.invalid([fieldError("concludedOn", "concludedOn.invalid")]);
  }
  return { finding: input.finding, result: input.result, concludedOn };
}

interface Effect {
  /** Columns the action sets beyond stage, public status, lease and updated_at. */
  set: Partial<typeof cases.$inferInsert>;
  /** The case event's data. */
  data: Record<string, unknown>;
  /** An event for another case (the earlier case of a repeat), appended in the same statement. */
  tell?: { caseId: string; kind: "repeat_merged" | "repeat_kept"; data: Record<string, unknown> };
  /** The case named is one the actor may not see: answers leave out its id. */
  hidden?: boolean;
}

/** What each action changes; also the checks of its fields that need the directory or the database. */
async function effectOf(
  ctx: Ctx,
  db: DbOrTx,
  actor: StaffActor,
  input: ActionInput,
  row: CaseRow,
  wc: WorkflowCase,
  today: string,
): Promise<Effect> {
  const { offices } = ctx.deps;
  // A 提级审核 follows the case only while the reviewing office stays above its holder.
  const moved = (to: string) => ({
    officeCode: to,
    department: null,
    assigneeId: null,
    reviewOfficeCode: reviewAfterMove(row.reviewOfficeCode, to, (a, b) => offices.isSameOrAbove(a, b)),
  });
  const lowerOffice = (code: string) => {
    if (code === row.officeCode || !offices.get(code) || !offices.isSameOrAbove(row.officeCode, code)) {
      throw problems.invalid([fieldError("office", "office.not_lower")]);
    }
    return code;
  };
  switch (input.action) {
    case "register":
      return { set: { assigneeId: actor.id }, data: {} };
    case "decline":
      return { set: {}, data: { reason: input.reason, guidance: input.guidance } };
    case "transfer":
      return {
        set: { department: input.department },
        data: { department: input.department, previous: row.department },
      };
    case "forward": {
      const to = lowerOffice(input.office);
      return { set: moved(to), data: { from: row.officeCode, to, fromStage: row.stage, note: input.note } };
    }
    case "assign": {
      const to = lowerOffice(input.office);
      const dueOn = input.dueDate;
      if (dueOn < today) throw problems.invalid([fieldError("dueDate", "dueDate.invalid")]);
      return {
        set: moved(to),
        data: { from: row.officeCode, to, fromStage: row.stage, dueOn, note: input.note },
      };
    }
    case "escalate": {
      const to = offices.get(row.officeCode)!.parentCode!;
      return {
        set: moved(to),
        data: { from: row.officeCode, to, fromStage: row.stage, reason: input.reason },
      };
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
          reason: input.reason,
        },
      };
    }
    case "merge":
    case "keep": {
      // The earlier case: by the match of one of this case's repeats (any office), by the id of a
      // case the actor may see, or by its 信访件编号 at this office (repeats/target.ts).
      if (input.action === "keep" && input.caseId === undefined) {
        return { set: {}, data: input.note ? { note: input.note } : {} };
      }
      const target = await repeatTargetOf(db, ctx.deps, actor, row, input.caseId!);
      if (!target) throw problems.invalid([fieldError("caseId", "caseId.unknown")]);
      const t = target.row;
      const shown = target.visible;
      const sim = target.similarity !== null ? { similarity: target.similarity } : {};
      // The earlier case's office learns of the repeat; the repeat's id and number only when that
      // office is this one or above it (an office never learns the id of a case above it).
      const fromBelow = ctx.deps.offices.isSameOrAbove(t.officeCode, row.officeCode);
      const [own] = fromBelow
        ? await db
            .select({ year: caseNumbers.year, seq: caseNumbers.seq })
            .from(caseNumbers)
            .where(and(eq(caseNumbers.caseId, row.id), eq(caseNumbers.officeCode, row.officeCode)))
        : [];
      const tellData = {
        fromOffice: row.officeCode,
        ...(fromBelow ? { repeat: row.id, repeatSerial: row.serial } : {}),
        ...(own ? { repeatNumber: numberLabel(ctx.deps, { officeCode: row.officeCode, ...own }) } : {}),
        ...sim,
      };
      if (input.action === "merge") {
        return {
          set: { mergedInto: t.id },
          data: {
            ...(shown ? { into: t.id, intoSerial: t.serial } : {}),
            ...(shown && target.number ? { intoNumber: target.number } : {}),
            intoOffice: t.officeCode,
            ...sim,
          },
          tell: { caseId: t.id, kind: "repeat_merged", data: tellData },
          hidden: !shown,
        };
      }
      return {
        set: {},
        data: {
          ...(shown ? { repeatOf: t.id, repeatOfSerial: t.serial } : {}),
          ...(shown && target.number ? { repeatOfNumber: target.number } : {}),
          repeatOfOffice: t.officeCode,
          ...sim,
          ...(input.note ? { note: input.note } : {}),
        },
        tell: {
          caseId: t.id,
          kind: "repeat_kept",
          data: { ...tellData, ...(input.note ? { note: input.note } : {}) },
        },
        hidden: !shown,
      };
    }
    case "dispose":
      return {
        set: { disposition: input.disposition, assigneeId: actor.id },
        data: { disposition: input.disposition, previous: row.disposition },
      };
    case "conclude":
      return { set: {}, data: outcomeOf(input, row, today) };
    case "report": {
      // 报结: the result goes to the assigning office for 审核/销号.
      const to = wc.assignedBy!;
      return {
        set: moved(to),
        data: { from: row.officeCode, to, fromStage: row.stage, ...outcomeOf(input, row, today) },
      };
    }
    case "approve":
      // 销号: the case is 办结 today at this office (the 反馈 clock counts from it).
      return { set: {}, data: { of: wc.review!.of, concludedOn: today, note: input.note } };
    case "rework": {
      const to = wc.review!.of;
      if (input.dueDate < today) throw problems.invalid([fieldError("dueDate", "dueDate.invalid")]);
      return {
        set: moved(to),
        data: { from: row.officeCode, to, fromStage: row.stage, reason: input.reason, dueOn: input.dueDate },
      };
    }
    case "feedback": {
      // data.reply is what /track shows the reporter (api/services/track/lookup.ts), as events
      // concluded before 办结 and 反馈 were two steps carry it.
      const givenOn = input.givenOn ?? today;
      // A 反馈 follows the 办结 it reports (its recorded date) and any 异议 recheck begun since.
      const [last] = await db
        .select({ kind: caseEvents.kind, at: caseEvents.at, data: caseEvents.data })
        .from(caseEvents)
        .where(
          and(
            eq(caseEvents.caseId, row.id),
            sql`${caseEvents.kind} in ('concluded', 'approved', 'review_approved', 'recheck_started')`,
          ),
        )
        .orderBy(desc(caseEvents.seq))
        .limit(1);
      const notBefore = last
        ? ((last.data as { concludedOn?: string } | null)?.concludedOn ?? shanghaiDate(last.at))
        : shanghaiDate(row.receivedAt);
      if (givenOn > today || givenOn < notBefore || givenOn < shanghaiDate(row.receivedAt)) {
        throw problems.invalid([fieldError("givenOn", "givenOn.invalid")]);
      }
      return {
        set: {},
        data: {
          method: input.method,
          givenOn,
          reply: input.body,
          view: input.view,
          viewNote: input.viewNote,
        },
      };
    }
    case "recheck": {
      // 异议: the office sets the time to recheck, as a date or as working days from today.
      if ((input.dueDate === undefined) === (input.workingDays === undefined)) {
        throw problems.invalid([fieldError("dueDate", "recheck.due_required")]);
      }
      let dueOn = input.dueDate;
      // No later than the longest recheck the working-day form allows (60 working days): a date
      // years ahead would keep the clock from ever showing the case as overdue.
      if (dueOn !== undefined && dueOn < today)
        throw problems.invalid([fieldError("dueDate", "dueDate.invalid")]);
      if (dueOn !== undefined && dueOn > addWorkingDays(today, 60))
        throw problems.invalid([fieldError("dueDate", "recheck.due_too_late")]);
      const days = input.workingDays === undefined ? undefined : Number(input.workingDays);
      if (days !== undefined) {
        if (!Number.isInteger(days) || days < 1 || days > 60) {
          throw problems.invalid([fieldError("workingDays", "workingDays.invalid")]);
        }
        dueOn = addWorkingDays(today, days);
      }
      return { set: {}, data: { dueOn, workingDays: days, note: input.note } };
    }
    case "message":
      return { set: {}, data: {} };
    case "release":
      return { set: {}, data: {} };
    case "supervise":
      return {
        set: {},
        data: {
          byOffice: actor.officeCode,
          method: input.method,
          note: input.note,
          dueOn: row.nextDueOn,
          // 信访室 → 承办部门 inside one office: the department pressed.
          ...(row.officeCode === actor.officeCode ? { withinOffice: true, department: row.department } : {}),
        },
      };
    case "respond":
      return { set: {}, data: { answer: input.answer } };
  }
}
