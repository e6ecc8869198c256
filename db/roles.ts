import { sql } from "drizzle-orm";
import type { DbOrTx } from "./client";
import { dbRoles } from "./schema/index";

// The three PostgreSQL roles (docs/security-trust.md):
// - the OWNER owns every table and runs migrations (`admin migrate`); only it can ALTER, DROP,
//   TRUNCATE, or switch a trigger off;
// - RUNTIME, the staff/all app: reads and writes what the staff console needs, but may only
//   SELECT and INSERT the two chains (case_events, audit_log) and the numbers given (case_numbers);
// - PUBLIC, the APP_ROLE=public app: only what intake, captcha, rate limits, idempotency and
//   /track need; nothing of staff, sessions, identity requests or login back-off, and it can
//   write sealed identities and attachments' sealed originals but never read them back.
// Grants are re-applied exactly (REVOKE ALL, then GRANT) by `admin db roles` and after every
// `admin migrate`, so a new table is covered once it is listed here.

export type RolePurpose = "runtime" | "public";

/** Tables the owner alone touches. */
const OWNER_ONLY = new Set(["db_roles"]);
/**
 * Append-only: the hash chains, and the 信访件编号 given (a number is never changed or taken back).
 * SELECT and INSERT for the app roles, nothing else.
 */
const APPEND_ONLY = new Set(["case_events", "audit_log", "case_numbers"]);

/**
 * Read-only for the runtime role: the 形势分析 summary (migration 0012) and the queue overview's
 * counts and lease marks (migration 0018) are written by their triggers alone (owner's rights), so
 * the app cannot make the numbers say something the cases do not.
 */
const READ_ONLY = new Set([
  "case_stats_monthly",
  "case_stats_delta",
  "case_queue_counts",
  "case_queue_delta",
  "case_lease_marks",
]);

/**
 * The public role's grants, table by table; a table not listed here is out of its reach (staff,
 * staff_sessions, identity_requests, login_backoff, and any table added later until listed).
 */
export const PUBLIC_GRANTS: Record<string, string[]> = {
  offices: ["SELECT"],
  // UPDATE of one column only: appending an event locks the case row (SELECT … FOR NO KEY
  // UPDATE needs an UPDATE right), and nothing on the public path changes a case.
  cases: ["SELECT", "INSERT", "UPDATE (updated_at)"],
  sealed_identities: ["INSERT"],
  case_events: ["SELECT", "INSERT"],
  case_clocks: ["SELECT", "INSERT"],
  // A reporter message's original is sealed at intake and never read back on this host.
  case_messages: ["INSERT", "SELECT (id, case_id, at, sender, staff_id, body, identity_warnings)"],
  // The originals (and their sealed names and keys) are written at intake and never read back.
  attachments: ["INSERT", "SELECT (id, case_id, position, file_name, media_type, size, created_at)"],
  idempotency_keys: ["SELECT", "INSERT"],
  rate_limit_hits: ["SELECT", "INSERT", "UPDATE", "DELETE"],
  used_captchas: ["SELECT", "INSERT", "DELETE"],
  // A new case gets its office's next 信访件编号 at intake: the counter is bumped (a trigger lets
  // it step only by one) and the number written. The staff ledgers (case_transfers,
  // case_supervisions) are not listed: out of reach.
  case_number_counters: ["SELECT", "INSERT", "UPDATE"],
  case_numbers: ["SELECT", "INSERT"],
  // Intake records the likely repeats (重复件) it finds among the earlier cases (which this role
  // already reads); it never reads the records back or changes them.
  case_repeats: ["INSERT"],
  // Deadlines of new cases count working days: the calendar is read, never written, here.
  calendar_years: ["SELECT"],
  calendar_days: ["SELECT"],
};

/**
 * Row rules (row-level security) on top of the grants: what the public role may INSERT is only
 * what the public path writes. Without them a leaked public credential could append a
 * staff-attributed event (a forged 已办结 or identity_unsealed), post a message "from the office"
 * asking the reporter for their ID number, or insert a case already concluded. The runtime role
 * gets a policy that allows every row its grants allow; the owner (table owner) is not subject to
 * row security at all.
 */
export const PUBLIC_ROW_RULES: Record<string, { insert: string; update?: string }> = {
  // Intake's first event and the reporter's own messages: nothing else starts on this host.
  case_events: {
    insert:
      "(kind = 'received' and actor = 'system:intake') or (kind = 'reporter_message' and actor = 'reporter')",
  },
  // …and arrive unread: only staff mark a follow-up read.
  case_messages: {
    insert: "sender = 'reporter' and staff_id is null and read_at is null and read_by is null",
  },
  cases: {
    insert:
      "stage = 'received' and public_status = 'received' and channel = 'online' and external_reference is null and disposition is null and merged_into is null and assignee_id is null and lease_token is null and lease_holder_id is null and lease_expires_at is null and review_office_code is null",
    // Appending a reporter message locks the case row (FOR NO KEY UPDATE needs an UPDATE policy);
    // the column grant limits what an update could change to updated_at.
    update: "true",
  },
};

/**
 * SECURITY DEFINER functions both app roles call (their EXECUTE is revoked from PUBLIC): the one
 * narrow change the public path makes to a case, reopening a concluded case for 核查 when its
 * reporter objects (migration 0007_clocks), without a column grant on cases.stage.
 */
const APP_FUNCTIONS = ["public.qf_reopen_on_objection(uuid, timestamptz)"];

/**
 * SECURITY DEFINER functions the runtime (staff) role alone calls: folding the waiting changes of
 * the queue overview's counts (0018) and of the 形势分析 summary (0019) into them, which changes
 * no figure, only where it is kept.
 */
const RUNTIME_FUNCTIONS = ["public.qf_case_stats_compact()", "public.qf_case_queue_compact()"];

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class RoleError extends Error {}

export function checkRoleName(name: string): string {
  if (!NAME.test(name)) throw new RoleError(`role name ${JSON.stringify(name)}: use a-z, 0-9 and _ (max 63)`);
  return name;
}

const ident = (name: string) => sql.raw(`"${checkRoleName(name)}"`);

async function rows<T>(db: DbOrTx, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as T[] | { rows: T[] };
  return Array.isArray(r) ? r : r.rows;
}

/** The grants of one app role: table → privileges (table-level, or `SELECT (col, …)`). */
export async function grantPlan(db: DbOrTx, purpose: RolePurpose): Promise<Record<string, string[]>> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
  );
  const plan: Record<string, string[]> = {};
  for (const { name } of tables) {
    if (OWNER_ONLY.has(name)) continue;
    if (purpose === "public") {
      if (PUBLIC_GRANTS[name]) plan[name] = PUBLIC_GRANTS[name];
    } else {
      plan[name] = READ_ONLY.has(name)
        ? ["SELECT"]
        : APPEND_ONLY.has(name)
          ? ["SELECT", "INSERT"]
          : ["SELECT", "INSERT", "UPDATE", "DELETE"];
    }
  }
  return plan;
}

/**
 * Re-applies one role's grants exactly, in one transaction: everything revoked, then what the
 * plan says, plus USAGE on the identity sequences of the tables it may INSERT into, and SELECT on
 * drizzle's migration journal (so an app started with MIGRATE=off can tell it is up to date).
 */
export async function applyGrants(db: DbOrTx, purpose: RolePurpose, role: string): Promise<void> {
  const r = ident(role);
  await db.transaction(async (tx) => {
    const plan = await grantPlan(tx, purpose);
    await tx.execute(sql`revoke all on all tables in schema public from ${r}`);
    await tx.execute(sql`revoke all on all sequences in schema public from ${r}`);
    await tx.execute(sql`grant usage on schema public to ${r}`);
    for (const [table, privileges] of Object.entries(plan)) {
      for (const p of privileges) {
        await tx.execute(sql`grant ${sql.raw(p)} on table ${sql.identifier(table)} to ${r}`);
      }
    }
    const seqs = await rows<{ seq: string; tbl: string }>(
      tx,
      sql`select s.relname as seq, t.relname as tbl
          from pg_depend d
          join pg_class s on s.oid = d.objid and s.relkind = 'S'
          join pg_class t on t.oid = d.refobjid
          where d.deptype in ('a', 'i') and s.relnamespace = 'public'::regnamespace`,
    );
    for (const { seq, tbl } of seqs) {
      if (plan[tbl]?.includes("INSERT")) {
        await tx.execute(sql`grant usage on sequence ${sql.identifier(seq)} to ${r}`);
      }
    }
    await applyRowRules(tx, purpose, role);
    for (const fn of purpose === "runtime" ? [...APP_FUNCTIONS, ...RUNTIME_FUNCTIONS] : APP_FUNCTIONS) {
      const found = await rows<{ ok: boolean }>(tx, sql`select to_regprocedure(${fn}) is not null as ok`);
      if (found[0]?.ok) await tx.execute(sql`grant execute on function ${sql.raw(fn)} to ${r}`);
    }
    const journal = await rows<{ ok: boolean }>(
      tx,
      sql`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`,
    );
    if (journal[0]?.ok) {
      await tx.execute(sql`grant usage on schema drizzle to ${r}`);
      await tx.execute(sql`grant select on drizzle.__drizzle_migrations to ${r}`);
    }
  });
}

/**
 * Enables row security on the tables with rules and (re)creates this role's policies on them:
 * `qf_<role>_*`, dropped first, so re-running is exact. Runs as the table owner.
 */
async function applyRowRules(tx: DbOrTx, purpose: RolePurpose, role: string): Promise<void> {
  const r = ident(role);
  for (const [table, rule] of Object.entries(PUBLIC_ROW_RULES)) {
    const exists = await rows<{ ok: boolean }>(
      tx,
      sql`select to_regclass(${`public.${table}`}) is not null as ok`,
    );
    if (!exists[0]?.ok) continue;
    const t = sql.identifier(table);
    await tx.execute(sql`alter table ${t} enable row level security`);
    const mine = await rows<{ name: string }>(
      tx,
      sql`select policyname as name from pg_policies where schemaname = 'public' and tablename = ${table}
          and policyname like ${`qf_${role}_%`}`,
    );
    for (const { name } of mine) await tx.execute(sql`drop policy ${sql.identifier(name)} on ${t}`);
    const policy = (what: string) => sql.identifier(`qf_${role}_${what}`);
    if (purpose === "runtime") {
      await tx.execute(
        sql`create policy ${policy("all")} on ${t} for all to ${r} using (true) with check (true)`,
      );
      continue;
    }
    await tx.execute(sql`create policy ${policy("select")} on ${t} for select to ${r} using (true)`);
    await tx.execute(
      sql`create policy ${policy("insert")} on ${t} for insert to ${r} with check (${sql.raw(rule.insert)})`,
    );
    if (rule.update) {
      await tx.execute(
        sql`create policy ${policy("update")} on ${t} for update to ${r} using (${sql.raw(rule.update)}) with check (${sql.raw(rule.update)})`,
      );
    }
  }
}

export interface RoleSetup {
  runtime: string;
  public: string;
  /** With passwords, the roles get LOGIN and these passwords; without, NOLOGIN (group roles). */
  passwords?: { runtime: string; public: string };
}

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolbypassrls: boolean;
  rolcreaterole: boolean;
  owns: number;
}

/**
 * Creates the two app roles when missing (or sets LOGIN and a password on them), refuses a role
 * that could undo its own limits (superuser, BYPASSRLS, CREATEROLE, the current user, or the owner
 * of a table), records them in db_roles and applies their grants. Idempotent. Run as the owner.
 */
export async function setupRoles(db: DbOrTx, setup: RoleSetup): Promise<{ created: string[] }> {
  const created: string[] = [];
  if (setup.runtime === setup.public) throw new RoleError("the runtime and public roles must differ");
  const [{ me }] = await rows<{ me: string }>(db, sql`select current_user as me`);
  for (const purpose of ["runtime", "public"] as const) {
    const name = checkRoleName(setup[purpose]);
    if (name === me)
      throw new RoleError(`${name} is the user running this (the owner): pick another role name`);
    const [existing] = await rows<RoleRow>(
      db,
      sql`select rolname, rolsuper, rolbypassrls, rolcreaterole,
            (select count(*)::int from pg_tables where tableowner = rolname) as owns
          from pg_roles where rolname = ${name}`,
    );
    if (
      existing &&
      (existing.rolsuper || existing.rolbypassrls || existing.rolcreaterole || existing.owns > 0)
    ) {
      throw new RoleError(
        `${name} is a superuser, may create roles, bypasses row security or owns tables: an app role must not; pick another name`,
      );
    }
    const password = setup.passwords?.[purpose];
    // The password goes as a literal (format %L): CREATE/ALTER ROLE take no bind parameters.
    const stmt = existing
      ? password !== undefined
        ? sql`select format('alter role %I login password %L', ${name}::text, ${password}::text) as q`
        : undefined
      : password !== undefined
        ? sql`select format('create role %I login password %L', ${name}::text, ${password}::text) as q`
        : sql`select format('create role %I nologin', ${name}::text) as q`;
    if (stmt) {
      const [{ q }] = await rows<{ q: string }>(db, stmt);
      await db.execute(sql.raw(q));
    }
    if (!existing) created.push(name);
    await db
      .insert(dbRoles)
      .values({ purpose, roleName: name })
      .onConflictDoUpdate({ target: dbRoles.purpose, set: { roleName: name } });
    await applyGrants(db, purpose, name);
  }
  return { created };
}

/** Re-applies the grants of the roles `setupRoles` recorded (after a migration); their names. */
export async function reapplyRecordedGrants(db: DbOrTx): Promise<string[]> {
  const recorded = await db.select().from(dbRoles);
  const done: string[] = [];
  for (const r of recorded) {
    const [exists] = await rows<{ n: number }>(
      db,
      sql`select 1 as n from pg_roles where rolname = ${r.roleName}`,
    );
    if (!exists) continue;
    await applyGrants(db, r.purpose as RolePurpose, r.roleName);
    done.push(r.roleName);
  }
  return done;
}
