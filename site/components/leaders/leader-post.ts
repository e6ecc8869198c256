import type { Ctx } from "../../../api/context";
import { isLeaderAction, type LeaderAction } from "../../../api/domain/leaders";
import { Problem } from "../../../api/errors";
import { isSameOriginRequest } from "../../../api/http/origin-check";
import { leaderAct } from "../../../api/services/leaders/act";
import { LEADER_FIELDS } from "../../../api/services/leaders/inputs";
import { leaderFieldMessage } from "../../../messages/staff-fields";
import { LEADERS } from "../../i18n/leaders";

export interface LeaderPostState {
  /** Where to send the browser after a successful post (PRG). */
  redirect?: string;
  status: number;
  error?: string;
  action?: LeaderAction;
  fieldErrors: Record<string, string>;
  values: Record<string, string>;
}

const t = LEADERS.post;

/**
 * A leader-action form post (the case page's 领导批示与提级 card, the 书记阅批件 ledger): `action`
 * and its fields, run through the same verb as the API. Success redirects to `returnTo` with
 * `leader=<action>`; problems become messages.
 */
export async function handleLeaderPost(
  request: Request,
  ctx: Ctx,
  caseId: string,
  returnTo: string,
  form: FormData | undefined,
): Promise<LeaderPostState> {
  const state: LeaderPostState = { status: 200, fieldErrors: {}, values: {} };
  if (!isSameOriginRequest(request, "staff")) return { ...state, status: 403, error: t.csrf };
  if (!form) return { ...state, status: 400, error: t.error };
  const action = String(form.get("action") ?? "");
  if (!isLeaderAction(action)) return { ...state, status: 422, error: t.invalid };
  state.action = action;
  const body: Record<string, unknown> = { action };
  for (const f of LEADER_FIELDS[action]) {
    const v = form.get(f.name);
    const s = typeof v === "string" ? v : "";
    state.values[f.name] = s;
    if (s === "" && f.optional) continue;
    body[f.name] = s;
  }
  try {
    await leaderAct({ ctx, input: { caseId, body } });
    const [path, hash] = returnTo.split("#");
    const sep = path.includes("?") ? "&" : "?";
    return { ...state, status: 303, redirect: `${path}${sep}leader=${action}${hash ? `#${hash}` : ""}` };
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    state.status = e.status;
    if (e.status === 422) {
      state.error = t.invalid;
      for (const f of e.errors ?? []) state.fieldErrors[f.path] = leaderFieldMessage(f.code);
    } else if (e.status === 409) state.error = t.conflict;
    else if (e.status === 403) state.error = t.forbidden;
    else if (e.status === 404) state.error = t.notFound;
    else state.error = t.error;
    return state;
  }
}
