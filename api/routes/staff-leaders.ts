import { readJson } from "../http/body";
import { staffCtx } from "../http/ctx";
import {
  errorAnswers,
  IdParams,
  JSON_BODY_ERRORS,
  json,
  jsonBody,
  mount,
  routeGroup,
  staffRoute,
} from "../http/openapi";
import { leaderAct } from "../services/leaders/act";
import { listLeaderLedger } from "../services/leaders/ledger";
import {
  LeaderActionRequest,
  LeaderCaseView,
  LeaderLedger,
  LeaderLedgerQuery,
} from "../services/leaders/schemas";
import { getLeaderView } from "../services/leaders/view";

const LeaderAnswer = LeaderCaseView.openapi("LeaderCase");

export const leaderViewRoute = staffRoute({
  method: "get",
  path: "/cases/{id}/leader",
  operationId: "getLeaderCase",
  summary: "领导批示, 书记阅批件 and 提级 of a case, and the leader actions the caller may take",
  request: { params: IdParams },
  responses: {
    200: json(LeaderAnswer, "the case's leader view"),
    ...errorAnswers({ 404: "absent, or the caller sees it in no way" }),
  },
});

export const leaderActionRoute = staffRoute({
  method: "post",
  path: "/cases/{id}/leader-actions",
  operationId: "leaderAct",
  summary: "呈批, 批示, 列为书记阅批件, 销号, 督办批示, 提级办理, 提级审核 and its decision",
  request: { params: IdParams, body: jsonBody(LeaderActionRequest.openapi("LeaderAction")) },
  responses: {
    200: json(LeaderAnswer, "the case's leader view after the action"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "roles or office do not allow it / cross-site",
      404: "absent, or the caller sees it in no way",
      409: "not possible in the case's present state (allowedActions)",
      422: "invalid fields",
    }),
  },
});

export const leaderLedgerRoute = staffRoute({
  method: "get",
  path: "/instructions",
  operationId: "listLeaderLedger",
  summary:
    "The office's 书记阅批件 ledger with the month-end counts of concluded and pending; the items in keyset pages (pending first, then newest)",
  request: { query: LeaderLedgerQuery },
  responses: {
    200: json(
      LeaderLedger.openapi("LeaderLedger"),
      "office, month, months (counts over the whole ledger), a page of items, nextCursor (null on the last)",
    ),
    ...errorAnswers({
      403: "no leader or case-work role",
      422: "month is not YYYY-MM, a bad limit, or cursor is not a nextCursor of this month's ledger",
    }),
  },
});

/** Leaders' instructions and 提级 (issue 11 §6), mounted under /api/v1/staff. */
export function staffLeaderRoutes() {
  const r = routeGroup();

  mount(r, leaderLedgerRoute, async (c) => {
    const { month, limit, cursor } = c.req.valid("query");
    return c.json(await listLeaderLedger({ ctx: staffCtx(c), input: { month, limit, cursor } }), 200);
  });

  mount(r, leaderViewRoute, async (c) =>
    c.json(await getLeaderView({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id } }), 200),
  );

  mount(r, leaderActionRoute, async (c) => {
    const body = await readJson(c, 32 * 1024);
    return c.json(
      await leaderAct({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id, body } }),
      200,
    );
  });

  return r;
}
