import { readJson } from "../http/body";
import { staffCtx } from "../http/ctx";
import { objectFields } from "../http/fields";
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
import { decideIdentityRequest } from "../services/identity/decide";
import { listMyIdentityRequests } from "../services/identity/list-my-requests";
import { listIdentityRequests } from "../services/identity/list-requests";
import { requestIdentity } from "../services/identity/request";
import {
  ContactAnswer,
  IdentityDecisionRequest,
  IdentityRequestAnswer,
  IdentityRequestCreate,
  IdentityRequestList,
  IdentityRequestsQuery,
} from "../services/identity/schemas";
import { viewContact } from "../services/identity/view-contact";

const Answer = IdentityRequestAnswer.openapi("IdentityRequestAnswer");
const List = IdentityRequestList.openapi("IdentityRequestList");

export const createIdentityRequestRoute = staffRoute({
  method: "post",
  path: "/cases/{id}/identity-requests",
  operationId: "requestIdentity",
  summary:
    "Ask a custodian for the reporter's contact details of a real-name case your office holds (role identity_requester; purpose required; audited)",
  request: {
    params: IdParams,
    body: jsonBody(IdentityRequestCreate.openapi("IdentityRequest")),
  },
  responses: {
    201: json(Answer, "request"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "no identity_requester role / office does not hold the case / cross-site",
      404: "absent or out of scope",
      409: "anonymous-case / request-pending",
      422: "invalid purpose",
    }),
  },
});

export const myIdentityRequestsRoute = staffRoute({
  method: "get",
  path: "/cases/{id}/identity-requests",
  operationId: "listMyIdentityRequests",
  summary: "The caller's own identity requests on this case",
  request: { params: IdParams },
  responses: {
    200: json(List, "items"),
    ...errorAnswers({ 404: "absent or out of scope" }),
  },
});

export const identityRequestsRoute = staffRoute({
  method: "get",
  path: "/identity-requests",
  operationId: "listIdentityRequests",
  summary: "Identity requests by status (custodians; ?status=pending|approved|denied|expired)",
  request: { query: IdentityRequestsQuery },
  responses: {
    200: json(List, "items"),
    ...errorAnswers({ 403: "not a custodian", 422: "unknown status" }),
  },
});

export const decisionRoute = staffRoute({
  method: "post",
  path: "/identity-requests/{id}/decision",
  operationId: "decideIdentityRequest",
  summary: "A custodian approves (vault passphrase) or denies a pending identity request, with a reason",
  request: {
    params: IdParams,
    body: jsonBody(IdentityDecisionRequest.openapi("IdentityDecision")),
  },
  responses: {
    200: json(Answer, "request"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "not a custodian / own request / wrong passphrase / cross-site",
      404: "no such request",
      409: "already decided",
      422: "invalid fields",
      429: "too many wrong passphrases (Retry-After)",
    }),
  },
});

export const contactRoute = staffRoute({
  method: "get",
  path: "/identity-requests/{id}/contact",
  operationId: "viewContact",
  summary: "The requester reads the contact details of their approved request until it expires (audited)",
  request: { params: IdParams },
  responses: {
    200: json(ContactAnswer.openapi("Contact"), "contact and expiresAt"),
    ...errorAnswers({
      404: "no such request of yours",
      409: "pending or denied",
      410: "expired and erased",
    }),
  },
});

/**
 * Dual control for a reporter's contact details (DESIGN.md): request, the custodians' list,
 * decision, and the requester's view. Mounted under /api/v1/staff (CSRF check and no-store from
 * app.ts); every route needs a staff session.
 */
export function staffIdentityRequestRoutes() {
  const r = routeGroup();

  mount(r, createIdentityRequestRoute, async (c) => {
    const body = objectFields(await readJson(c, 8 * 1024), IdentityRequestCreate);
    const request = await requestIdentity({
      ctx: staffCtx(c),
      input: { caseId: c.req.valid("param").id, purpose: body.purpose },
    });
    return c.json({ request }, 201);
  });

  mount(r, myIdentityRequestsRoute, async (c) =>
    c.json(
      await listMyIdentityRequests({ ctx: staffCtx(c), input: { caseId: c.req.valid("param").id } }),
      200,
    ),
  );

  mount(r, identityRequestsRoute, async (c) =>
    c.json(
      await listIdentityRequests({ ctx: staffCtx(c), input: { status: c.req.valid("query").status } }),
      200,
    ),
  );

  mount(r, decisionRoute, async (c) => {
    const body = objectFields(await readJson(c, 8 * 1024), IdentityDecisionRequest);
    const out = await decideIdentityRequest({
      ctx: staffCtx(c),
      input: {
        requestId: c.req.valid("param").id,
        decision: body.decision,
        reason: body.reason,
        passphrase: body.passphrase,
      },
    });
    return c.json(out, 200);
  });

  mount(r, contactRoute, async (c) => {
    const out = await viewContact({ ctx: staffCtx(c), input: { requestId: c.req.valid("param").id } });
    return c.json({ contact: out.contact, expiresAt: out.expiresAt }, 200);
  });

  return r;
}
