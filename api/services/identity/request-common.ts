import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { cases, type identityRequests, staff } from "../../../db/schema/index";
import type { RequestStatus } from "../../domain/identity-requests";
import { type FieldError, identityRequestFieldError, Problem, problems } from "../../errors";
import { currentLabel, currentNumberColumns, type Numbering } from "../numbering/numbers";

/** Dual control for a reporter's contact details: the request row as the API answers it. */

export interface IdentityRequestView {
  id: string;
  status: RequestStatus;
  purpose: string;
  requestedAt: string;
  /** The sanitized case (no identity): 编号, title, office, received date. */
  case: {
    id: string;
    serial: number;
    /** 信访件编号 at the office holding the case. */
    number: string | null;
    title: string;
    office: { code: string; name: string };
    receivedAt: string;
  };
  requester: { id: string; username: string; displayName: string; office: { code: string; name: string } };
  decider: { id: string; username: string } | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** When an approved grant ends (then its details are erased). */
  expiresAt: string | null;
}

export const MIN_TEXT = 4;
export const MAX_TEXT = 500;

/** A required free text (purpose, decision reason) of 4–500 characters, trimmed. */
export function checkText(value: unknown, path: string, errors: FieldError[]): string {
  const text = typeof value === "string" ? value.trim() : "";
  const n = [...text].length;
  const code =
    n === 0 ? "required" : n < MIN_TEXT ? "text.too_short" : n > MAX_TEXT ? "text.too_long" : undefined;
  if (code) errors.push(identityRequestFieldError(path, code));
  return text;
}

export const requestNotFound = () => problems.notFound("identity_request.not_found");

export const notRequester = () => problems.forbidden("identity_request.no_requester_role");

export const notCustodianProblem = () => problems.forbidden("identity_request.not_custodian");

export const anonymousCase = () =>
  new Problem(409, "anonymous-case", { detail: "identity_request.anonymous" });

export const alreadyPending = () =>
  new Problem(409, "request-pending", { detail: "identity_request.pending_exists" });

export const alreadyDecided = () =>
  new Problem(409, "request-decided", { detail: "identity_request.decided" });

export const ownRequest = () => new Problem(403, "own-request", { detail: "identity_request.own" });

export const wrongVaultPassphrase = () =>
  new Problem(403, "wrong-passphrase", { detail: "vault.wrong_passphrase" });

export const grantUnavailable = (status: RequestStatus) =>
  status === "expired"
    ? new Problem(410, "grant-expired", { detail: "identity_grant.expired" })
    : new Problem(409, `request-${status}`, {
        // A pending request asked for its details is "not approved" (yet), not "already pending".
        title: "request-denied",
        detail: status === "pending" ? "identity_request.still_pending" : "identity_request.denied",
      });

type RequestRow = typeof identityRequests.$inferSelect;

/** The request rows with their case and requester, for the answers. */
export async function loadViews(
  db: DbOrTx,
  numbering: Numbering,
  rows: RequestRow[],
): Promise<IdentityRequestView[]> {
  const { offices } = numbering;
  const out: IdentityRequestView[] = [];
  const staffCache = new Map<string, { username: string; displayName: string; officeCode: string }>();
  const person = async (id: string) => {
    if (!staffCache.has(id)) {
      const [p] = await db
        .select({ username: staff.username, displayName: staff.displayName, officeCode: staff.officeCode })
        .from(staff)
        .where(eq(staff.id, id))
        .limit(1);
      staffCache.set(id, p ?? { username: "?", displayName: "", officeCode: "" });
    }
    return staffCache.get(id)!;
  };
  const officeOf = (code: string) => ({ code, name: offices.get(code)?.name ?? code });
  for (const r of rows) {
    const [c] = await db
      .select({
        id: cases.id,
        serial: cases.serial,
        title: cases.title,
        officeCode: cases.officeCode,
        receivedAt: cases.receivedAt,
        ...currentNumberColumns,
      })
      .from(cases)
      .where(eq(cases.id, r.caseId))
      .limit(1);
    const requester = await person(r.requesterId);
    const decider = r.deciderId ? await person(r.deciderId) : undefined;
    out.push({
      id: r.id,
      status: r.status,
      purpose: r.purpose,
      requestedAt: r.requestedAt.toISOString(),
      case: {
        id: r.caseId,
        serial: c?.serial ?? 0,
        number: c ? currentLabel(numbering, c) : null,
        title: c?.title ?? "",
        office: officeOf(c?.officeCode ?? r.officeCode),
        receivedAt: c?.receivedAt.toISOString() ?? "",
      },
      requester: {
        id: r.requesterId,
        username: requester.username,
        displayName: requester.displayName,
        office: officeOf(requester.officeCode || r.officeCode),
      },
      decider: r.deciderId && decider ? { id: r.deciderId, username: decider.username } : null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionReason: r.decisionReason,
      expiresAt: r.expiresAt?.toISOString() ?? null,
    });
  }
  return out;
}
