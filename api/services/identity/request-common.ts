import { eq } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { cases, type identityRequests, staff } from "../../../db/schema/index";
import { IDENTITY_REQUESTS } from "../../../site/i18n/staff";
import type { OfficeDirectory } from "../../domain/divisions";
import type { RequestStatus } from "../../domain/identity-requests";
import { type FieldError, Problem, problems } from "../../errors";

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

/** The message for a field error code (zh-CN then en, as the API answers). */
export function fieldMessage(code: string): string {
  const m = IDENTITY_REQUESTS.fieldErrors[code] ?? IDENTITY_REQUESTS.fieldErrors.required;
  return `${m.zh} ${m.en}`;
}

/** A required free text (purpose, decision reason) of 4–500 characters, trimmed. */
export function checkText(value: unknown, path: string, errors: FieldError[]): string {
  const text = typeof value === "string" ? value.trim() : "";
  const n = [...text].length;
  const code = n === 0 ? "required" : n < MIN_TEXT ? "text.too_short" : n > MAX_TEXT ? "text.too_long" : "";
  if (code) errors.push({ path, code, message: fieldMessage(code) });
  return text;
}

export const requestNotFound = () =>
  problems.notFound("未找到该申请，或您无权查看。No such identity request in your scope.");

export const notRequester = () =>
  problems.forbidden(
    "您没有申请查看举报人联系方式的权限（identity_requester）。You lack the identity_requester permission.",
  );

export const notCustodianProblem = () =>
  problems.forbidden(
    "只有身份保管员（custodian）才能审批。Only a vault custodian may decide identity requests.",
  );

export const anonymousCase = () =>
  new Problem(409, "anonymous-case", "匿名举报没有联系方式 Anonymous report", {
    detail:
      "本案为匿名举报，没有举报人联系方式可以申请。This case was reported anonymously: there are no contact details to request.",
  });

export const alreadyPending = () =>
  new Problem(409, "request-pending", "已有待审批的申请 A request is already pending", {
    detail:
      "您对本案已有一件待审批的申请，请等待身份保管员处理。You already have a pending request on this case.",
  });

export const alreadyDecided = () =>
  new Problem(409, "request-decided", "该申请已处理 Already decided", {
    detail: "该申请已由他人审批或已失效。The request was already decided or has expired.",
  });

export const ownRequest = () =>
  new Problem(403, "own-request", "不能审批本人的申请 Your own request", {
    detail:
      "不能批准本人提出的申请，请由另一位身份保管员审批。You may not approve your own request: another custodian must.",
  });

export const wrongVaultPassphrase = () =>
  new Problem(403, "wrong-passphrase", "无权操作 Forbidden", {
    detail: "保管口令不正确，本次尝试已记录。Wrong vault passphrase; the attempt was recorded.",
  });

export const grantUnavailable = (status: RequestStatus) =>
  status === "expired"
    ? new Problem(410, "grant-expired", "查看期限已过 Access expired", {
        detail:
          "查看期限已过，联系方式已删除。如仍需要，请重新申请。The access period is over and the details were erased; request again if needed.",
      })
    : new Problem(409, `request-${status}`, "申请未获批准 Not approved", {
        detail:
          status === "pending"
            ? "申请尚待身份保管员审批。The request is still waiting for a custodian."
            : "申请未获批准。The request was denied.",
      });

type RequestRow = typeof identityRequests.$inferSelect;

/** The request rows with their case and requester, for the answers. */
export async function loadViews(
  db: DbOrTx,
  offices: OfficeDirectory,
  rows: RequestRow[],
): Promise<IdentityRequestView[]> {
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
