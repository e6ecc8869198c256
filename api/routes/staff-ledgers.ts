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
import { listFollowUps } from "../services/followups/list";
import { markFollowUpsRead } from "../services/followups/mark-read";
import { FollowUps, FollowUpsQuery, MarkedRead, MarkReadRequest } from "../services/followups/schemas";
import { listSent } from "../services/ledgers/list-sent";
import { SentLedger, SentQuery, SupervisionList, SupervisionQuery } from "../services/ledgers/schemas";
import { listSupervisions } from "../services/ledgers/supervisions";

export const sentLedgerRoute = staffRoute({
  method: "get",
  path: "/ledger/sent",
  operationId: "listSent",
  summary:
    "The office's 转送/交办 ledger: what it sent, the receiver's 签收 and 受理, overdue first, then newest, in keyset pages",
  request: { query: SentQuery },
  responses: {
    200: json(SentLedger.openapi("SentLedger"), "today, a page of items, nextCursor (null on the last)"),
    ...errorAnswers({
      403: "no case-work role (intake, handler, supervisor)",
      422: "a bad limit, or cursor is not a nextCursor of this list",
    }),
  },
});

export const supervisionsRoute = staffRoute({
  method: "get",
  path: "/supervisions",
  operationId: "listSupervisions",
  summary:
    "督办 the office received (default) or made (?direction=sent), pending first, then newest, in keyset pages",
  request: { query: SupervisionQuery },
  responses: {
    200: json(
      SupervisionList.openapi("SupervisionList"),
      "a page of supervisions, nextCursor (null on the last)",
    ),
    ...errorAnswers({
      403: "no case-work role (intake, handler, supervisor)",
      422: "a bad limit, or cursor is not a nextCursor of this list (and direction)",
    }),
  },
});

export const followUpsRoute = staffRoute({
  method: "get",
  path: "/follow-ups",
  operationId: "listFollowUps",
  summary:
    "Cases of the office with 补充材料 from the reporter not yet marked read, longest waiting first, in keyset pages",
  request: { query: FollowUpsQuery },
  responses: {
    200: json(FollowUps.openapi("FollowUps"), "a page of cases, nextCursor (null on the last)"),
    ...errorAnswers({
      403: "no case-work role (intake, handler, supervisor)",
      422: "a bad limit, or cursor is not a nextCursor of this list",
    }),
  },
});

export const markReadRoute = staffRoute({
  method: "post",
  path: "/cases/{id}/messages/read",
  operationId: "markFollowUpsRead",
  summary: "Mark the reporter's unread messages on the case read, up to the latest one shown",
  request: { params: IdParams, body: jsonBody(MarkReadRequest.openapi("MarkRead")) },
  responses: {
    200: json(MarkedRead.openapi("MarkedRead"), "how many were marked"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "seen from an office above / no case-work role / cross-site",
      404: "absent or out of scope",
      422: "upTo missing or not a date-time",
    }),
  },
});

/**
 * The offices' ledgers (issue 10 §5): the 转送/交办 ledger of the sending office, 督办 received and
 * made, and the reporter's unread 补充材料. Mounted under /api/v1/staff like the case routes.
 */
export function staffLedgerRoutes() {
  const r = routeGroup();

  mount(r, sentLedgerRoute, async (c) => {
    const { open, limit, cursor } = c.req.valid("query");
    return c.json(await listSent({ ctx: staffCtx(c), input: { open, limit, cursor } }), 200);
  });

  mount(r, supervisionsRoute, async (c) => {
    const { direction, limit, cursor } = c.req.valid("query");
    return c.json(await listSupervisions({ ctx: staffCtx(c), input: { direction, limit, cursor } }), 200);
  });

  mount(r, followUpsRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listFollowUps({ ctx: staffCtx(c), input: { limit, cursor } }), 200);
  });

  mount(r, markReadRoute, async (c) => {
    const body = await readJson(c, 4 * 1024);
    return c.json(
      await markFollowUpsRead({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id, body } }),
      200,
    );
  });

  return r;
}
