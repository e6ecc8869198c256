import type { Deps, Role, StaffActor } from "../../api/context";
import { cheapestLimits, hashPassword } from "../../api/crypto/password";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { staff } from "../../db/schema/index";

/**
 * Inserts a staff member (password hashed at the cheapest Argon2id cost) with a live session.
 * `cookie` is the value to send as the Cookie header.
 */
export async function createStaff(
  rig: { deps: Pick<Deps, "db" | "keys" | "now"> },
  o: { username: string; office: string; roles: Role[]; password?: string; displayName?: string },
): Promise<{ actor: StaffActor; cookie: string; password: string }> {
  const password = o.password ?? `pw-${o.username}-0123456789`;
  const [row] = await rig.deps.db
    .insert(staff)
    .values({
      username: o.username,
      displayName: o.displayName ?? o.username,
      officeCode: o.office,
      roles: o.roles,
      passwordHash: hashPassword(password, cheapestLimits()),
    })
    .returning({ id: staff.id });
  // createSession reads the database, the session key and the clock: all here.
  const token = await createSession(rig.deps as Deps, row.id);
  return {
    actor: { kind: "staff", id: row.id, username: o.username, officeCode: o.office, roles: o.roles },
    cookie: `${SESSION_COOKIE}=${token}`,
    password,
  };
}

/** Headers for a state-changing staff request that passes the CSRF check (rig requests are http://localhost). */
export function staffHeaders(cookie: string, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie, origin: "http://localhost", "content-type": "application/json", ...extra };
}
