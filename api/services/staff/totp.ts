import { and, eq } from "drizzle-orm";
import { staff } from "../../../db/schema/index";
import type { Deps, VerbArgs } from "../../context";
import {
  generateTotpSecret,
  openTotpSecret,
  otpauthUri,
  sealTotpSecret,
  verifyTotp,
} from "../../crypto/totp";
import { accountFieldError, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { normalizeUsername } from "./login";
import { actorName, unknownStaff } from "./manage";
import { confirmOwnPassword } from "./reauth";

/**
 * TOTP enrolment. A pending secret is stored (sealed) with totp_enabled = false, shown to the
 * person as text and an otpauth URI, and turned on only once they type a current code from it.
 *
 * Self-service (a staff actor acting on their own account) needs the current password for every
 * step — showing the pending secret, confirming it, resetting — so a stolen session cookie alone
 * can neither read the secret nor put the thief's authenticator on the account (which would lock
 * the owner out). The admin CLI (system actor, named account) needs no password. Enrolment and
 * reset leave an audit row (`totp.enrol`, `totp.reset`: actor and username, never a secret).
 */
export interface TotpEnrolment {
  enabled: boolean;
  secret?: string;
  uri?: string;
}

export const TOTP_ISSUER = "清风";

export const wrongTotpCode = () => problems.invalid([accountFieldError("code", "totp.wrong")], "totp.wrong");

async function rowOf(deps: Deps, where: { id?: string; username?: string }) {
  const cond = where.id
    ? eq(staff.id, where.id)
    : eq(staff.username, normalizeUsername(where.username ?? ""));
  const [row] = await deps.db
    .select({
      id: staff.id,
      username: staff.username,
      totpEnabled: staff.totpEnabled,
      totpSecretEnc: staff.totpSecretEnc,
      lastTotpStep: staff.lastTotpStep,
    })
    .from(staff)
    .where(cond)
    .limit(1);
  return row;
}

/**
 * Whose TOTP an enrolment verb acts on: the signed-in staff member's own, or (admin CLI only,
 * a system actor) the named account's.
 */
async function enrolmentRow(
  ctx: VerbArgs<unknown>["ctx"],
  target: { username: string } | undefined,
  password: unknown,
) {
  const who = target
    ? { username: target.username }
    : ctx.actor.kind === "staff"
      ? { id: ctx.actor.id }
      : undefined;
  if (!who || (target && ctx.actor.kind !== "system")) throw problems.forbidden();
  // Self-service: the password first, before anything is read or written.
  if (!target && ctx.actor.kind === "staff") await confirmOwnPassword(ctx.deps, ctx.actor.id, password);
  const row = await rowOf(ctx.deps, who);
  if (!row) throw target ? unknownStaff(target.username) : problems.unauthorized();
  return row;
}

/** The pending secret, made on first call and kept across page reloads until confirmed. */
export async function beginTotpEnrolment(
  { ctx, input }: VerbArgs<{ password?: unknown }>,
  target?: { username: string },
): Promise<TotpEnrolment> {
  const { deps } = ctx;
  const row = await enrolmentRow(ctx, target, input.password);
  if (row.totpEnabled) return { enabled: true };
  let secret = row.totpSecretEnc ? openTotpSecret(deps.keys.totp!, row.totpSecretEnc) : undefined;
  if (!secret) {
    secret = generateTotpSecret();
    await deps.db
      .update(staff)
      .set({ totpSecretEnc: sealTotpSecret(deps.keys.totp!, secret) })
      .where(and(eq(staff.id, row.id), eq(staff.totpEnabled, false)));
  }
  return { enabled: false, secret, uri: otpauthUri(TOTP_ISSUER, row.username, secret) };
}

/** Turns TOTP on when `code` is current for the pending secret; 422 otherwise. */
export async function confirmTotpEnrolment(
  { ctx, input }: VerbArgs<{ code: unknown; password?: unknown }>,
  target?: { username: string },
): Promise<void> {
  const { deps } = ctx;
  const row = await enrolmentRow(ctx, target, input.password);
  if (row.totpEnabled) throw problems.conflict("totp.already_enabled");
  if (!row.totpSecretEnc) throw problems.conflict("totp.not_started");
  const secret = openTotpSecret(deps.keys.totp!, row.totpSecretEnc);
  const step =
    typeof input.code === "string" ? verifyTotp(secret, input.code, deps.now(), row.lastTotpStep) : undefined;
  if (step === undefined) throw wrongTotpCode();
  await deps.db.transaction(async (tx) => {
    const done = await tx
      .update(staff)
      .set({ totpEnabled: true, lastTotpStep: step })
      .where(and(eq(staff.id, row.id), eq(staff.totpEnabled, false)))
      .returning({ id: staff.id });
    if (done.length === 0) throw problems.conflict("totp.already_enabled");
    await appendAudit(tx, {
      at: deps.now(),
      actor: actorName(ctx.actor),
      action: "totp.enrol",
      data: { username: row.username },
    });
  });
}

/** Admin only (CLI): removes TOTP so the person enrols again (lost phone). */
export async function resetTotp({ ctx, input }: VerbArgs<{ username: string }>): Promise<void> {
  if (ctx.actor.kind !== "system") throw problems.forbidden();
  const username = normalizeUsername(input.username);
  await ctx.deps.db.transaction(async (tx) => {
    const r = await tx
      .update(staff)
      .set({ totpEnabled: false, totpSecretEnc: null, lastTotpStep: null })
      .where(eq(staff.username, username))
      .returning({ id: staff.id });
    if (r.length === 0) throw unknownStaff(username);
    await appendAudit(tx, {
      at: ctx.deps.now(),
      actor: actorName(ctx.actor),
      action: "totp.reset",
      data: { username },
    });
  });
}

/**
 * Self-service reset (account page): the signed-in person turns their own TOTP off with their
 * current password AND a current code, then enrols again. A lost phone goes through an admin
 * (`resetTotp`, CLI).
 */
export async function resetOwnTotp({
  ctx,
  input,
}: VerbArgs<{ password: unknown; code: unknown }>): Promise<void> {
  const { deps } = ctx;
  if (ctx.actor.kind !== "staff") throw problems.forbidden();
  const row = await enrolmentRow(ctx, undefined, input.password);
  if (!row.totpEnabled || !row.totpSecretEnc) throw problems.conflict("totp.not_enabled");
  const secret = openTotpSecret(deps.keys.totp!, row.totpSecretEnc);
  const step =
    typeof input.code === "string" ? verifyTotp(secret, input.code, deps.now(), row.lastTotpStep) : undefined;
  if (step === undefined) throw wrongTotpCode();
  await deps.db.transaction(async (tx) => {
    const done = await tx
      .update(staff)
      .set({ totpEnabled: false, totpSecretEnc: null, lastTotpStep: step })
      .where(and(eq(staff.id, row.id), eq(staff.totpEnabled, true)))
      .returning({ id: staff.id });
    if (done.length === 0) throw problems.conflict("totp.not_enabled");
    await appendAudit(tx, {
      at: deps.now(),
      actor: actorName(ctx.actor),
      action: "totp.reset",
      data: { username: row.username },
    });
  });
}
