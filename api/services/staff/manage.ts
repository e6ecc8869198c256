import { asc, eq } from "drizzle-orm";
import { staff } from "../../../db/schema/index";
import type { Actor, Role, VerbArgs } from "../../context";
import { hashPasswordOff, type PasswordLimits } from "../../crypto/password";
import type { FieldError } from "../../errors";
import { problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { normalizeUsername } from "./login";
import { deleteSessionsOf } from "./session";
import { checkOffice, checkPassword, checkRoles, checkUsername } from "./validate";

// Account administration: the admin CLI (and the demo seed) call these as a system actor.

function actorName(a: Actor): string {
  return a.kind === "staff" ? `staff:${a.username}` : a.kind === "system" ? `system:${a.name}` : "reporter";
}

function requireAdmin(a: Actor): void {
  if (a.kind === "system") return;
  if (a.kind === "staff" && a.roles.includes("admin")) return;
  throw problems.forbidden();
}

export interface AddStaffInput {
  username: string;
  office: string;
  roles: string[];
  password: string;
  displayName?: string;
  /** Argon2id cost; INTERACTIVE unless a test asks for less. */
  limits?: PasswordLimits;
}

export async function addStaff({
  ctx,
  input,
}: VerbArgs<AddStaffInput>): Promise<{ id: string; username: string }> {
  requireAdmin(ctx.actor);
  const errors: FieldError[] = [];
  const username = checkUsername(input.username, errors);
  checkOffice(ctx.deps.offices, input.office, errors);
  const roles = checkRoles(input.roles, errors);
  checkPassword(input.password, errors);
  if (errors.length) throw problems.invalid(errors);
  // In the KDF pool's worker thread: Argon2id's 64 MiB of WebAssembly memory would otherwise stay
  // in this thread for good (and the hash would stall the event loop).
  const passwordHash = await hashPasswordOff(ctx.deps.kdf, input.password, input.limits);
  return ctx.deps.db.transaction(async (tx) => {
    const made = await tx
      .insert(staff)
      .values({
        username,
        displayName: input.displayName ?? "",
        officeCode: input.office,
        roles,
        passwordHash,
        createdAt: ctx.deps.now(),
      })
      .onConflictDoNothing({ target: staff.username })
      .returning({ id: staff.id });
    if (made.length === 0) throw problems.conflict(["staff.username_taken", { username }]);
    await appendAudit(tx, {
      at: ctx.deps.now(),
      actor: actorName(ctx.actor),
      action: "staff.add",
      data: { username, office: input.office, roles },
    });
    return { id: made[0].id, username };
  });
}

export interface StaffListRow {
  username: string;
  displayName: string;
  office: string;
  roles: Role[];
  totp: boolean;
  disabled: boolean;
}

export async function listStaff({ ctx }: VerbArgs<Record<string, never>>): Promise<StaffListRow[]> {
  requireAdmin(ctx.actor);
  const rows = await ctx.deps.db
    .select({
      username: staff.username,
      displayName: staff.displayName,
      office: staff.officeCode,
      roles: staff.roles,
      totp: staff.totpEnabled,
      disabledAt: staff.disabledAt,
    })
    .from(staff)
    .orderBy(asc(staff.officeCode), asc(staff.username));
  return rows.map((r) => ({
    username: r.username,
    displayName: r.displayName,
    office: r.office,
    roles: r.roles,
    totp: r.totp,
    disabled: r.disabledAt !== null,
  }));
}

export const unknownStaff = (username: string) => problems.notFound(["staff.unknown", { username }]);

/** Disables the account and ends its sessions at once. Rows stay: events name their actors. */
export async function disableStaff({ ctx, input }: VerbArgs<{ username: string }>): Promise<void> {
  requireAdmin(ctx.actor);
  const username = normalizeUsername(input.username);
  await ctx.deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(staff)
      .set({ disabledAt: ctx.deps.now() })
      .where(eq(staff.username, username))
      .returning({ id: staff.id });
    if (!row) throw unknownStaff(username);
    await deleteSessionsOf(tx, row.id);
    await appendAudit(tx, {
      at: ctx.deps.now(),
      actor: actorName(ctx.actor),
      action: "staff.disable",
      data: { username },
    });
  });
}

/** Sets a new password and ends every session of the account. */
export async function setStaffPassword({
  ctx,
  input,
}: VerbArgs<{ username: string; password: string; limits?: PasswordLimits }>): Promise<void> {
  requireAdmin(ctx.actor);
  const username = normalizeUsername(input.username);
  const errors: FieldError[] = [];
  checkPassword(input.password, errors);
  if (errors.length) throw problems.invalid(errors);
  // In the KDF pool's worker thread: Argon2id's 64 MiB of WebAssembly memory would otherwise stay
  // in this thread for good (and the hash would stall the event loop).
  const passwordHash = await hashPasswordOff(ctx.deps.kdf, input.password, input.limits);
  await ctx.deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(staff)
      .set({ passwordHash })
      .where(eq(staff.username, username))
      .returning({ id: staff.id });
    if (!row) throw unknownStaff(username);
    await deleteSessionsOf(tx, row.id);
    await appendAudit(tx, {
      at: ctx.deps.now(),
      actor: actorName(ctx.actor),
      action: "staff.password",
      data: { username },
    });
  });
}

export { actorName };
