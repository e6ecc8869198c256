import { eq } from "drizzle-orm";
import { staff } from "../../../db/schema/index";
import type { Deps } from "../../context";
import { MAX_PASSWORD_LENGTH, verifyPasswordOff } from "../../crypto/password";
import { accountFieldError, problems } from "../../errors";
import { claimAttempt, clearBackoff } from "./backoff";

export const passwordRequired = () => problems.invalid([accountFieldError("password", "password.required")]);

export const wrongPassword = () =>
  problems.invalid([accountFieldError("password", "password.wrong")], "password.wrong");

/**
 * The signed-in staff member proves it is them by typing their current password again (before a
 * TOTP enrolment or reset: a stolen session cookie alone must not be able to change how the
 * account signs in). The check runs in the worker pool and counts against the same per-username
 * back-off as the login (counted before the check), so it is no password-guessing oracle.
 */
export async function confirmOwnPassword(deps: Deps, staffId: string, password: unknown): Promise<void> {
  if (typeof password !== "string" || password === "") throw passwordRequired();
  const [row] = await deps.db
    .select({ username: staff.username, passwordHash: staff.passwordHash, disabledAt: staff.disabledAt })
    .from(staff)
    .where(eq(staff.id, staffId))
    .limit(1);
  if (!row || row.disabledAt) throw problems.unauthorized();
  await claimAttempt(deps, row.username);
  if (!(await verifyPasswordOff(deps.kdf, row.passwordHash, password.slice(0, MAX_PASSWORD_LENGTH)))) {
    throw wrongPassword();
  }
  await clearBackoff(deps, row.username);
}
