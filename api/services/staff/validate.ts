import { ROLES, type Role } from "../../context";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../../crypto/password";
import type { OfficeDirectory } from "../../domain/divisions";
import type { FieldError } from "../../errors";
import { normalizeUsername } from "./login";

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function checkUsername(raw: string, errors: FieldError[]): string {
  const u = normalizeUsername(raw);
  if (!USERNAME_RE.test(u)) {
    errors.push({
      path: "username",
      code: "username.invalid",
      message: "用户名为 2–64 个小写字母、数字、点、连字符或下划线。Username: 2–64 of a-z 0-9 . - _",
    });
  }
  return u;
}

export function checkOffice(offices: OfficeDirectory, code: string, errors: FieldError[]): void {
  if (!offices.get(code)) {
    errors.push({
      path: "office",
      code: "office.unknown",
      message: `没有代码为 ${code} 的纪委监委。No office with division code ${code} (e.g. 430000, 430100, 430112).`,
    });
  }
}

export function checkRoles(roles: string[], errors: FieldError[]): Role[] {
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || bad.length > 0) {
    errors.push({
      path: "roles",
      code: "roles.invalid",
      message: `${bad.length ? `未知角色 unknown role(s): ${bad.join(", ")}. ` : "至少一个角色 at least one role. "}可选 choose from: ${ROLES.join(", ")}`,
    });
  }
  return [...new Set(roles)] as Role[];
}

export function checkPassword(password: string, errors: FieldError[]): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    errors.push({
      path: "password",
      code: "password.length",
      message: `密码至少 ${MIN_PASSWORD_LENGTH} 个字符。The password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
    });
  }
}
