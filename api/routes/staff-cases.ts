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
import { actOnCase } from "../services/cases/act";
import { listMyCases } from "../services/cases/list-mine";
import { listOverdue } from "../services/cases/list-overdue";
import {
  ActionRequest,
  ActResult,
  MyCases,
  MyCasesQuery,
  OverdueCases,
  OverdueQuery,
  StaffCaseView,
} from "../services/cases/schemas";
import { getStaffCase } from "../services/cases/view";
import { claimCase, claimNext } from "../services/queue/claim";
import { queueCounts } from "../services/queue/counts";
import { Claim, QueueCounts } from "../services/queue/schemas";

const ClaimAnswer = Claim.openapi("Claim");

export const queueRoute = staffRoute({
  method: "get",
  path: "/queue",
  operationId: "queueCounts",
  summary: "Live queue counts of the caller's office",
  responses: {
    200: json(QueueCounts.openapi("QueueCounts"), "counts"),
  },
});

export const claimNextRoute = staffRoute({
  method: "post",
  path: "/queue/claim",
  operationId: "claimNext",
  summary: "Claim the next case (real-name first, then earliest deadline, then oldest)",
  responses: {
    200: json(ClaimAnswer, "case, leaseToken, leaseExpiresAt"),
    204: { description: "queue empty" },
    ...errorAnswers({ 403: "no queue work for these roles / cross-site" }),
  },
});

export const overdueRoute = staffRoute({
  method: "get",
  path: "/overdue",
  operationId: "listOverdue",
  summary:
    "Overdue cases of the office (and of offices below, for supervisors), most overdue first, in keyset pages",
  request: { query: OverdueQuery },
  responses: {
    200: json(OverdueCases.openapi("OverdueCases"), "today, a page of cases, nextCursor (null on the last)"),
    ...errorAnswers({ 422: "cursor is not a nextCursor of this list" }),
  },
});

export const myCasesRoute = staffRoute({
  method: "get",
  path: "/cases/mine",
  operationId: "listMyCases",
  summary: "Cases the caller holds or is assigned, deadlines first, in keyset pages",
  request: { query: MyCasesQuery },
  responses: {
    200: json(MyCases.openapi("MyCases"), "a page of cases, nextCursor (null on the last)"),
    ...errorAnswers({ 422: "a bad limit, or cursor is not a nextCursor of this list" }),
  },
});

export const caseRoute = staffRoute({
  method: "get",
  path: "/cases/{id}",
  operationId: "getCase",
  summary: "The sanitized case with events, clocks, messages and allowed actions",
  request: { params: IdParams },
  responses: {
    200: json(StaffCaseView.openapi("StaffCase"), "case"),
    ...errorAnswers({ 404: "absent or out of scope" }),
  },
});

export const claimCaseRoute = staffRoute({
  method: "post",
  path: "/cases/{id}/claim",
  operationId: "claimCase",
  summary: "Claim this case",
  request: { params: IdParams },
  responses: {
    200: json(ClaimAnswer, "case and lease"),
    ...errorAnswers({
      403: "a case of an office below / cross-site",
      404: "absent or out of scope",
      409: "held by someone else / nothing for these roles at this stage (allowedActions: [])",
    }),
  },
});

export const actionRoute = staffRoute({
  method: "post",
  path: "/cases/{id}/actions",
  operationId: "actOnCase",
  summary: "Act on a case",
  request: {
    params: IdParams,
    body: jsonBody(ActionRequest.openapi("Action")),
  },
  responses: {
    200: json(ActResult.openapi("ActResult"), "case"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "role or scope / cross-site",
      404: "absent or out of scope",
      409: "stale lease or illegal step (allowedActions)",
      422: "invalid fields",
    }),
  },
});

/**
 * The queue, the case workflow and the overdue list (DESIGN.md staff API). Mounted under
 * /api/v1/staff beside the session routes; app.ts adds the CSRF check and no-store to all of
 * /staff/*, and each route here requires a staff session (401 otherwise).
 */
export function staffCaseRoutes() {
  const r = routeGroup();

  mount(r, queueRoute, async (c) => c.json(await queueCounts({ ctx: staffCtx(c), input: {} }), 200));

  mount(r, claimNextRoute, async (c) => {
    const claim = await claimNext({ ctx: staffCtx(c), input: {} });
    return claim ? c.json(claim, 200) : c.body(null, 204);
  });

  mount(r, overdueRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listOverdue({ ctx: staffCtx(c), input: { limit, cursor } }), 200);
  });

  // Registered before /cases/:id so "mine" is never read as a case id.
  mount(r, myCasesRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listMyCases({ ctx: staffCtx(c), input: { limit, cursor } }), 200);
  });

  mount(r, caseRoute, async (c) =>
    c.json(await getStaffCase({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id } }), 200),
  );

  mount(r, claimCaseRoute, async (c) =>
    c.json(await claimCase({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id } }), 200),
  );

  mount(r, actionRoute, async (c) => {
    const body = await readJson(c, 64 * 1024);
    return c.json(
      await actOnCase({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id, body } }),
      200,
    );
  });

  return r;
}
