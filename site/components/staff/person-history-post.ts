// The POSTs of /staff/person-history: search (then 303 to the recorded search, so a reload never
// searches or records again), and link / unlink a case of a recorded search to its person (the
// person record made from the search's name and unit when it has none yet).
import type { Ctx } from "../../../api/context";
import { Problem } from "../../../api/errors";
import { isSameOriginRequest } from "../../../api/http/origin-check";
import { readPersonHistory, searchPersonHistory } from "../../../api/services/persons/history";
import { createPerson, linkCase, unlinkCase } from "../../../api/services/persons/links";
import { personFieldMessage } from "../../../messages/person-fields";
import { PERSON_HISTORY } from "../../i18n/person-history";

const t = PERSON_HISTORY.zh;
const SELF = "/staff/person-history";

export interface PersonHistoryPostState {
  redirect?: string;
  status: number;
  error?: string;
  fieldErrors: Record<string, string>;
  /** The search form's values to show again (never the ID number). */
  values: Record<string, string>;
}

const SEARCH_FIELDS = ["name", "unit", "purpose", "requester", "reference"] as const;

function fromProblem(state: PersonHistoryPostState, e: unknown): PersonHistoryPostState {
  if (!(e instanceof Problem)) throw e;
  state.status = e.status;
  const detail = e.detailRef;
  state.error =
    e.status === 422 && e.errors?.some((f) => f.path !== "caseId")
      ? t.invalid
      : detail === "person_history.no_role"
        ? t.noRole
        : detail === "person_history.not_found"
          ? t.notFound
          : detail === "person.case_linked"
            ? t.caseLinked
            : detail === "person.link_forbidden" || e.status === 422
              ? t.linkForbidden
              : t.error;
  for (const f of e.errors ?? []) state.fieldErrors[f.path] = personFieldMessage(f.code);
  return state;
}

export async function handlePersonHistoryPost(
  request: Request,
  ctx: Ctx,
  form: FormData | undefined,
): Promise<PersonHistoryPostState> {
  const state: PersonHistoryPostState = { status: 200, fieldErrors: {}, values: {} };
  if (!isSameOriginRequest(request, "staff")) return { ...state, status: 403, error: t.csrf };
  if (!form) return { ...state, status: 400, error: t.error };
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v.slice(0, 2000) : "";
  };
  try {
    const op = text("op");
    if (op === "link" || op === "unlink") {
      const requestId = text("requestId");
      const caseId = text("caseId");
      const view = await readPersonHistory({ ctx, input: { requestId } });
      const back = `${SELF}?request=${encodeURIComponent(view.request.id)}`;
      if (op === "unlink") {
        await unlinkCase({ ctx, input: { personId: text("personId"), caseId } });
        return { ...state, status: 303, redirect: `${back}&done=unlink` };
      }
      const person =
        view.persons[0] ??
        (await createPerson({
          ctx,
          input: { body: { name: view.request.name, unit: view.request.unit }, fromRequest: view.request.id },
        }));
      await linkCase({ ctx, input: { personId: person.id, caseId } });
      return { ...state, status: 303, redirect: `${back}&done=link` };
    }
    for (const f of SEARCH_FIELDS) state.values[f] = text(f);
    const input: Record<string, unknown> = { ...state.values };
    const id = text("idNumber");
    if (id.trim()) input.idNumber = id;
    const view = await searchPersonHistory({ ctx, input });
    return { ...state, status: 303, redirect: `${SELF}?request=${encodeURIComponent(view.request.id)}` };
  } catch (e) {
    return fromProblem(state, e);
  }
}
