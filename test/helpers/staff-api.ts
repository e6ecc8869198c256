// The staff API as a test drives it: filing a report and finding its case, JSON calls as a staff
// member, and claim-then-act. The same calls go to a rig (`rig.app.request`) or a running server.
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Deps } from "../../api/context";
import { hashTrackingCode, normalizeTrackingCode } from "../../api/crypto/tracking-code";
import { reportRoute } from "../../api/routes/public";
import { cases } from "../../db/schema/index";
import { expectResponse } from "./contract";

/** Sends one request to the app under test: `(p, i) => rig.app.request(p, i)`, or fetch on a server. */
export type Requester = (path: string, init: RequestInit) => Response | Promise<Response>;

/** Files `report` through the public API (expects 201) and returns its tracking code. */
export async function postReport(request: Requester, report: Record<string, unknown>): Promise<string> {
  const res = await request("/api/v1/reports", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(report),
  });
  return (await expectResponse(res, reportRoute, 201)).trackingCode;
}

/** The case a tracking code belongs to, found as the app finds it (by the keyed hash). */
export async function caseIdOf(deps: Pick<Deps, "db" | "keys">, code: string): Promise<string> {
  const hash = hashTrackingCode(deps.keys.trackingKey, normalizeTrackingCode(code)!);
  const [row] = await deps.db.select({ id: cases.id }).from(cases).where(eq(cases.trackingHash, hash));
  return row.id;
}

/** Files `report` through the rig's API and finds its case: its id and tracking code. */
export async function fileReport(
  rig: { app: { request: Requester }; deps: Pick<Deps, "db" | "keys"> },
  report: Record<string, unknown>,
): Promise<{ id: string; code: string }> {
  const code = await postReport((p, i) => rig.app.request(p, i), report);
  return { id: await caseIdOf(rig.deps, code), code };
}

export interface StaffAnswer {
  status: number;
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are checked field by field
  body: any;
}

/**
 * JSON calls to the staff API as the staff member whose session cookie is passed, from a page of
 * `origin` (the rig answers as http://localhost), so state-changing calls pass the cross-site check.
 */
export function staffCalls(request: Requester, origin: string | (() => string) = "http://localhost") {
  const call = async (cookie: string, method: string, path: string, body?: unknown): Promise<StaffAnswer> => {
    const res = await request(path, {
      method,
      headers: {
        cookie,
        origin: typeof origin === "string" ? origin : origin(),
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get("content-type") ?? "",
      body: text ? JSON.parse(text) : null,
    };
  };
  return {
    call,
    /** Takes the oldest unclaimed case of the caller's office (204 when there is none). */
    claimNext: (cookie: string) => call(cookie, "POST", "/api/v1/staff/queue/claim"),
    /** Claims case `id` (expects 200) and returns the lease token. */
    claimById: async (cookie: string, id: string): Promise<string> => {
      const r = await call(cookie, "POST", `/api/v1/staff/cases/${id}/claim`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.leaseToken as string;
    },
    act: (cookie: string, id: string, body: Record<string, unknown>) =>
      call(cookie, "POST", `/api/v1/staff/cases/${id}/actions`, body),
  };
}

export type StaffCalls = ReturnType<typeof staffCalls>;

/**
 * Claims a case (case `id`, or the next in the queue) and takes each step under the lease, each
 * expected to answer 200: the set-up of a test whose subject is what follows.
 */
export async function claimThenAct(
  api: StaffCalls,
  cookie: string,
  steps: Record<string, unknown>[],
  opts: { id?: string } = {},
): Promise<{ id: string; leaseToken: string }> {
  let id = opts.id;
  let leaseToken: string;
  if (id) leaseToken = await api.claimById(cookie, id);
  else {
    const c = await api.claimNext(cookie);
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    id = c.body.case.id as string;
    leaseToken = c.body.leaseToken as string;
  }
  for (const step of steps) {
    const r = await api.act(cookie, id, { ...step, leaseToken });
    expect(r.status, `${JSON.stringify(step)}: ${JSON.stringify(r.body)}`).toBe(200);
  }
  return { id, leaseToken };
}
