import type { Ctx } from "../../../api/context";
import { Problem } from "../../../api/errors";
import { isSameOriginRequest } from "../../../api/http/origin-check";
import { decideIdentityRequest } from "../../../api/services/identity/decide";
import { requestIdentity } from "../../../api/services/identity/request";
import { type ContactView, viewContact } from "../../../api/services/identity/view-contact";
import { identityRequestFieldMessage } from "../../../messages/staff-fields";
import { IDENTITY_REQUESTS } from "../../i18n/staff";

const t = IDENTITY_REQUESTS["zh-CN"];
const fieldZh = (code: string) => identityRequestFieldMessage(code);

export interface IdentityPostState {
  redirect?: string;
  status: number;
  error?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
  /** The request a decision form was posted for (to show its errors next to it). */
  requestId?: string;
  /** The contact details, shown once on the answer to the requester's "show" POST. */
  contact?: ContactView;
}

/** The words for a problem of the dual-control verbs, by its type. */
function messageFor(e: Problem): string {
  const type = e.type;
  if (e.status === 422) return t.invalid;
  if (e.status === 429) return t.throttled;
  if (e.status === 404) return t.notFound;
  if (e.status === 410) return t.expired;
  const byType: Record<string, string> = {
    "anonymous-case": t.anonymous,
    "request-pending": t.pendingExists,
    "request-decided": t.decided,
    "request-denied": t.notApproved,
    "own-request": t.ownRequest,
    "wrong-passphrase": t.wrongPassphrase,
  };
  return byType[type] ?? (e.status === 403 ? t.notRequester : t.error);
}

function fromProblem(state: IdentityPostState, e: unknown): IdentityPostState {
  if (!(e instanceof Problem)) throw e;
  state.status = e.status;
  state.error = messageFor(e);
  for (const f of e.errors ?? []) state.fieldErrors[f.path] = fieldZh(f.code);
  return state;
}

/**
 * A POST on /staff/cases/[id]/contact: `op=request` asks for the contact details (PRG: 303 back
 * with done=request); `op=view` shows an approved grant's details on this answer only.
 */
export async function handleContactPost(
  request: Request,
  /** The signed-in staff member's ctx (Astro.locals.ctx). */
  ctx: Ctx,
  caseId: string,
  self: string,
  /** The form as the middleware read it, once, under its cap (Astro.locals.form). */
  form: FormData | undefined,
): Promise<IdentityPostState> {
  const state: IdentityPostState = { status: 200, fieldErrors: {}, values: {} };
  if (!isSameOriginRequest(request, "staff")) return { ...state, status: 403, error: t.csrf };
  if (!form) return { ...state, status: 400, error: t.error };
  try {
    if (form.get("op") === "view") {
      const requestId = String(form.get("requestId") ?? "");
      state.requestId = requestId;
      state.contact = await viewContact({ ctx, input: { requestId } });
      return state;
    }
    const purpose = String(form.get("purpose") ?? "").slice(0, 2000);
    state.values.purpose = purpose;
    await requestIdentity({ ctx, input: { caseId, purpose } });
    return { status: 303, redirect: `${self}?done=request`, fieldErrors: {}, values: {} };
  } catch (e) {
    return fromProblem(state, e);
  }
}

/** A custodian's decision on /staff/identity-requests (PRG: 303 back with done=approve|deny). */
export async function handleDecisionPost(
  request: Request,
  /** The signed-in staff member's ctx (Astro.locals.ctx). */
  ctx: Ctx,
  self: string,
  /** The form as the middleware read it, once, under its cap (Astro.locals.form). */
  form: FormData | undefined,
): Promise<IdentityPostState> {
  const state: IdentityPostState = { status: 200, fieldErrors: {}, values: {} };
  if (!isSameOriginRequest(request, "staff")) return { ...state, status: 403, error: t.csrf };
  if (!form) return { ...state, status: 400, error: t.error };
  const requestId = String(form.get("requestId") ?? "");
  const decision = String(form.get("decision") ?? "");
  const reason = String(form.get("reason") ?? "").slice(0, 2000);
  state.requestId = requestId;
  state.values.reason = reason;
  try {
    await decideIdentityRequest({
      ctx,
      input: { requestId, decision, reason, passphrase: String(form.get("passphrase") ?? "") },
    });
    return {
      status: 303,
      redirect: `${self}?done=${decision === "approve" ? "approve" : "deny"}`,
      fieldErrors: {},
      values: {},
    };
  } catch (e) {
    return fromProblem(state, e);
  }
}
