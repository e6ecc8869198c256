import { eq } from "drizzle-orm";
import { staff } from "../../../db/schema/index";
import type { Deps } from "../../context";
import { MAX_PASSWORD_LENGTH, verifyPasswordOff } from "../../crypto/password";
import { Problem, problems } from "../../errors";
import { claimAttempt, clearBackoff } from "./backoff";

export const passwordRequired = () =>
  problems.invalid([
    { path: "password", code: "password.required", message: "请输入当前密码。Enter your current password." },
  ]);

export const wrongPassword = () =>
  new Problem(422, "invalid-fields", "填写的内容有误 Some fields are invalid", {
    detail: "当前密码不正确。The current password is wrong.",
    errors: [{ path: "password", code: "password.wrong", message: "当前密码不正确。Wrong password." }],
  });

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
