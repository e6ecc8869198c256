import { and, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { staff, staffSessions } from "../../../db/schema/index";
import type { Deps, StaffActor } from "../../context";
import { keyedHash } from "../../crypto/keyed-hash";
import { sodiumSync } from "../../crypto/sodium";

/** last_seen_at is written at most once a minute per session, to save writes. */
const TOUCH_EVERY_MS = 60_000;
/** Even a busy session ends after this long: a stolen cookie does not live for ever. */
export const SESSION_MAX_HOURS = 12;

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: the cookie value. Only its keyed hash is stored. */
export function newSessionToken(): string {
  const s = sodiumSync();
  return s.to_base64(s.randombytes_buf(32), s.base64_variants.URLSAFE_NO_PADDING);
}

export function sessionTokenHash(deps: Deps, token: string): Uint8Array {
  return keyedHash(deps.keys.session!, "staff-session", token);
}

export async function createSession(deps: Deps, staffId: string): Promise<string> {
  const token = newSessionToken();
  const now = deps.now();
  await deps.db.insert(staffSessions).values({
    tokenHash: sessionTokenHash(deps, token),
    staffId,
    createdAt: now,
    lastSeenAt: now,
  });
  return token;
}

export interface StaffSession {
  actor: StaffActor;
  displayName: string;
  totpEnabled: boolean;
}

/**
 * The staff member behind a session token, or undefined for a forged, expired, idle or
 * disabled one (an idle or expired session is deleted on the spot).
 */
export async function resolveSession(
  deps: Deps,
  token: string | undefined,
): Promise<StaffSession | undefined> {
  if (!token || !TOKEN_RE.test(token)) return undefined;
  const tokenHash = sessionTokenHash(deps, token);
  const [row] = await deps.db
    .select({
      staffId: staff.id,
      username: staff.username,
      displayName: staff.displayName,
      officeCode: staff.officeCode,
      roles: staff.roles,
      totpEnabled: staff.totpEnabled,
      disabledAt: staff.disabledAt,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(eq(staffSessions.tokenHash, tokenHash))
    .limit(1);
  if (!row) return undefined;
  const now = deps.now().getTime();
  const idle = now - row.lastSeenAt.getTime() > deps.config.sessionIdleMinutes * 60_000;
  const old = now - row.createdAt.getTime() > SESSION_MAX_HOURS * 3_600_000;
  // TOTP may have become mandatory (STAFF_TOTP=required) since this session began.
  const totpMissing = deps.config.staffTotp === "required" && !row.totpEnabled;
  if (idle || old || row.disabledAt || totpMissing) {
    await deps.db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
    return undefined;
  }
  if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await deps.db
      .update(staffSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(and(eq(staffSessions.tokenHash, tokenHash), lt(staffSessions.lastSeenAt, new Date(now))));
  }
  return {
    actor: {
      kind: "staff",
      id: row.staffId,
      username: row.username,
      officeCode: row.officeCode,
      roles: row.roles,
    },
    displayName: row.displayName,
    totpEnabled: row.totpEnabled,
  };
}

export async function deleteSession(deps: Deps, token: string | undefined): Promise<void> {
  if (!token || !TOKEN_RE.test(token)) return;
  await deps.db.delete(staffSessions).where(eq(staffSessions.tokenHash, sessionTokenHash(deps, token)));
}

/** Ends every session of one staff member (disabled account, new password). */
export async function deleteSessionsOf(db: DbOrTx, staffId: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
}
