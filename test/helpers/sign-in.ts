// Signing staff in on a running server: the embedded demo's logins, and a session cookie got
// through the API or through the login form, for tests whose subject is what comes after.
import fs from "node:fs";
import path from "node:path";
import { waitFor } from "./wait";

/**
 * The demo staff logins the embedded start wrote to `${DATA_DIR}/DEMO-LOGINS.txt`: after two
 * header lines, one line per account, `username<TAB>password<TAB>office<TAB>roles`.
 */
export async function demoLogins(
  dataDir: string,
): Promise<Record<string, { password: string; office: string; roles: string[] }>> {
  const file = path.join(dataDir, "DEMO-LOGINS.txt");
  await waitFor(file, () => fs.existsSync(file), { timeoutMs: 10_000 });
  const out: Record<string, { password: string; office: string; roles: string[] }> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const parts = line.split("\t");
    if (parts.length < 4) continue;
    out[parts[0]] = { password: parts[1], office: parts[2], roles: parts[3].split(",") };
  }
  return out;
}

/** The custodian's vault passphrase from `${DATA_DIR}/DEMO-CUSTODIAN.txt` (line `passphrase: …`). */
export function demoCustodianPassphrase(dataDir: string): string {
  const note = fs.readFileSync(path.join(dataDir, "DEMO-CUSTODIAN.txt"), "utf8");
  const m = /^passphrase: (.+)$/m.exec(note);
  if (!m) throw new Error("DEMO-CUSTODIAN.txt has no passphrase line");
  return m[1].trim();
}

/** The `name=value` pair of the cookie a response sets. */
export const cookieOf = (res: Response): string => (res.headers.get("set-cookie") ?? "").split(";")[0];

/**
 * Signs a staff member in through the API (POST /api/v1/staff/session, same-origin) and returns
 * the session cookie.
 */
export async function apiStaffCookie(origin: string, username: string, password: string) {
  const res = await fetch(`${origin}/api/v1/staff/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`staff sign-in of ${username}: ${res.status} ${await res.text()}`);
  const pair = cookieOf(res);
  const eq = pair.indexOf("=");
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), header: pair };
}

/** Signs in through the login form (no JavaScript, no second factor) and returns the Cookie header value. */
export async function formSignIn(origin: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/staff/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`login form for ${username}: ${res.status}`);
  return cookieOf(res);
}
