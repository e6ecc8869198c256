import type { Ctx } from "../../../api/context";
import { type Action, isAction } from "../../../api/domain/workflow";
import { Problem } from "../../../api/errors";
import { isSameOriginRequest } from "../../../api/http/origin-check";
import { actOnCase } from "../../../api/services/cases/act";
import { ACTION_FORM_FIELDS } from "../../../api/services/cases/schemas";
import { markFollowUpsRead } from "../../../api/services/followups/mark-read";
import { claimCase } from "../../../api/services/queue/claim";
import { workflowFieldMessage } from "../../../messages/staff-fields";
import { STAFF_WORK } from "../../i18n/staff";

export interface CasePostState {
  /** Where to send the browser after a successful post (PRG: a reload does not repeat it). */
  redirect?: string;
  status: number;
  error?: string;
  /** The actions that are possible now, after a 409. */
  allowedNow?: Action[];
  /** The action whose form failed, shown again with its errors and values. */
  failedAction?: string;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

const t = STAFF_WORK.case;

/** The form's fields for an action as the API takes them: empty optional fields are left out. */
function bodyFromForm(
  action: Action,
  form: FormData,
): { body: Record<string, unknown>; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const body: Record<string, unknown> = { action };
  const token = String(form.get("leaseToken") ?? "");
  if (token) body.leaseToken = token;
  for (const { name, optional } of ACTION_FORM_FIELDS[action]) {
    const v = form.get(name);
    const s = typeof v === "string" ? v : "";
    values[name] = s;
    if (s === "" && optional) continue;
    body[name] = s;
  }
  return { body, values };
}

/**
 * A form post on /staff/cases/[id] (or the 督办 form of /staff/overdue): `op=claim` takes the
 * lease; `op=read` marks the reporter's 补充材料 read; otherwise `action` with its fields and the lease token from the hidden field runs the
 * same verb as the API. Problems become messages on the page.
 */
export async function handleCasePost(
  request: Request,
  /** The signed-in staff member's ctx (Astro.locals.ctx). */
  ctx: Ctx,
  caseId: string,
  returnTo: string,
  /** The posted form, read once under its cap by site/middleware/form.ts (Astro.locals.form). */
  form: FormData | undefined,
): Promise<CasePostState> {
  const state: CasePostState = { status: 200, fieldErrors: {}, values: {} };
  if (!isSameOriginRequest(request, "staff")) return { ...state, status: 403, error: t.csrf };
  if (!form) return { ...state, status: 400, error: t.error };
  const sep = returnTo.includes("?") ? "&" : "?";
  try {
    if (form.get("op") === "claim") {
      await claimCase({ ctx, input: { caseId } });
      return { ...state, status: 303, redirect: `${returnTo}${sep}done=claim` };
    }
    // 补充材料 read: no lease needed, reading conflicts with no one's work.
    if (form.get("op") === "read") {
      await markFollowUpsRead({ ctx, input: { caseId, body: { upTo: String(form.get("upTo") ?? "") } } });
      return { ...state, status: 303, redirect: `${returnTo}${sep}done=read` };
    }
    const action = String(form.get("action") ?? "");
    if (!isAction(action)) return { ...state, status: 422, error: t.invalid };
    const { body, values } = bodyFromForm(action, form);
    state.failedAction = action;
    state.values = values;
    await actOnCase({ ctx, input: { caseId, body } });
    return { status: 303, redirect: `${returnTo}${sep}done=${action}`, fieldErrors: {}, values: {} };
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    state.status = e.status;
    if (e.status === 422) {
      state.error = t.invalid;
      for (const f of e.errors ?? []) state.fieldErrors[f.path] = workflowFieldMessage(f.code);
    } else if (e.status === 409) {
      state.error = form.get("op") === "claim" ? t.claimTaken : t.conflict;
      const allowed = e.extra.allowedActions;
      if (Array.isArray(allowed)) state.allowedNow = allowed as Action[];
    } else if (e.status === 403) state.error = t.forbidden;
    else if (e.status === 404) state.error = t.notFound;
    else state.error = t.error;
    return state;
  }
}
