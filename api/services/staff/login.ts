import { and, eq, isNull, lt, or } from "drizzle-orm";
import { staff } from "../../../db/schema/index";
import type { StaffActor, VerbArgs } from "../../context";
import { kdfBusy } from "../../crypto/kdf-pool";
import { dummyPasswordHash, MAX_PASSWORD_LENGTH, verifyPasswordOff } from "../../crypto/password";
import { openTotpSecret, verifyTotp } from "../../crypto/totp";
import { Problem, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { claimAttempt, clearBackoff } from "./backoff";
import { createSession } from "./session";
import { type StaffView, staffView } from "./view";

export interface LoginInput {
  username: unknown;
  password: unknown;
  totp?: unknown;
  /** Where the attempt came from (the client address); the limiter keys on a keyed hash of it. */
  source?: string;
}

export interface LoginResult {
  token: string;
  staff: StaffView;
  actor: StaffActor;
}

/** Limiter bucket: login attempts per source (the per-username guard is the back-off, backoff.ts). */
export const LOGIN_SOURCE_BUCKET = "staff-login";

export const totpEnrolmentRequired = () =>
  new Problem(403, "totp-enrolment-required", { detail: "totp.enrolment_required" });

export function normalizeUsername(u: string): string {
  return u.normalize("NFKC").trim().toLowerCase();
}

/**
 * Staff login. Every wrong credential (unknown user, wrong password, disabled account, missing
 * or wrong or reused TOTP code) answers the same 401 after the same Argon2id work: an unknown
 * user is verified against a dummy hash of the same cost. The Argon2id runs in the worker pool
 * (deps.kdf), never on the event loop.
 *
 * Throttling, counted BEFORE the password check (so parallel attempts cannot all pass a check
 * that has not yet seen their failures):
 * - per source: every attempt is one hit of `staff-login` (20 per 15 minutes by default);
 * - per username: the back-off (backoff.ts): after 5 failures each further attempt waits 1 s,
 *   2 s, 4 s … up to 15 minutes after the previous one; inside the wait the answer is 429
 *   without a check, the right password after it succeeds and resets the count. No lockout.
 */
export async function login({ ctx, input }: VerbArgs<LoginInput>): Promise<LoginResult> {
  const { deps } = ctx;
  if (typeof input.username !== "string" || typeof input.password !== "string") {
    throw problems.unauthorized();
  }
  const username = normalizeUsername(input.username).slice(0, 128);
  const password = input.password.slice(0, MAX_PASSWORD_LENGTH);
  const totp = typeof input.totp === "string" ? input.totp : undefined;

  if (input.source) {
    const r = await deps.rateLimiter.hit(LOGIN_SOURCE_BUCKET, input.source, 1);
    if (!r.ok) throw problems.throttled(Math.max(1, Math.ceil(r.retryAfter)));
  }
  // A full Argon2id queue answers 503 before the attempt is counted against the username: a flood
  // of other logins must not push a real user's own retries into back-off (red-team finding).
  if (deps.kdf.saturated()) throw kdfBusy();
  await claimAttempt(deps, username);

  const [row] = await deps.db.select().from(staff).where(eq(staff.username, username)).limit(1);
  // Always one Argon2id verification, whatever the row.
  const passwordOk = await verifyPasswordOff(
    deps.kdf,
    row?.passwordHash ?? (await dummyPasswordHash(deps.kdf)),
    password,
  );
  // The attempt was counted by claimAttempt; a failure leaves it counted.
  const fail = (): never => {
    throw problems.unauthorized();
  };
  if (!row || !passwordOk || row.disabledAt) return fail();

  if (row.totpEnabled && row.totpSecretEnc) {
    if (!totp) return fail();
    const secret = openTotpSecret(deps.keys.totp!, row.totpSecretEnc);
    const step = verifyTotp(secret, totp, deps.now(), row.lastTotpStep);
    if (step === undefined) return fail();
    // Conditional: of two logins racing with the same code, one wins the step, the other fails.
    const won = await deps.db
      .update(staff)
      .set({ lastTotpStep: step })
      .where(and(eq(staff.id, row.id), or(isNull(staff.lastTotpStep), lt(staff.lastTotpStep, step))))
      .returning({ id: staff.id });
    if (won.length === 0) return fail();
  } else if (deps.config.staffTotp === "required") {
    // The password was right: refusing here tells the person what to do, and a stolen password
    // alone can never enrol the thief's own authenticator (see README, STAFF_TOTP).
    await clearBackoff(deps, username);
    throw totpEnrolmentRequired();
  }

  await clearBackoff(deps, username);
  const token = await createSession(deps, row.id);
  const actor: StaffActor = {
    kind: "staff",
    id: row.id,
    username: row.username,
    officeCode: row.officeCode,
    roles: row.roles,
  };
  await appendAudit(deps.db, { at: deps.now(), actor: `staff:${row.username}`, action: "staff.login" });
  return { token, actor, staff: staffView(deps, actor) };
}
