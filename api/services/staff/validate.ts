import { ROLES, type Role } from "../../context";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../crypto/password";
import type { OfficeDirectory } from "../../domain/divisions";
import { accountFieldError, type FieldError } from "../../errors";
import { normalizeUsername } from "./login";

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function checkUsername(raw: string, errors: FieldError[]): string {
  const u = normalizeUsername(raw);
  if (!USERNAME_RE.test(u)) {
    errors.push(accountFieldError("username", "username.invalid"));
  }
  return u;
}

export function checkOffice(offices: OfficeDirectory, code: string, errors: FieldError[]): void {
  if (!offices.get(code)) {
    errors.push(accountFieldError("office", "office.unknown", { code }));
  }
}

export function checkRoles(roles: string[], errors: FieldError[]): Role[] {
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || bad.length > 0) {
    errors.push(accountFieldError("roles", "roles.invalid", { unknown: bad, choices: ROLES }));
  }
  return [...new Set(roles)] as Role[];
}

export function checkPassword(password: string, errors: FieldError[]): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    errors.push(accountFieldError("password", "password.length", { min: MIN_PASSWORD_LENGTH }));
  }
}
