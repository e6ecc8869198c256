import { z } from "@hono/zod-openapi";
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
import { readPersonHistory, searchPersonHistory } from "../services/persons/history";
import { createPerson, linkCase, unlinkCase } from "../services/persons/links";
import {
  LinkAnswer,
  LinkCreate,
  PersonAnswer,
  PersonCreate,
  PersonHistoryAnswer,
  PersonHistorySearch,
} from "../services/persons/schemas";

const History = PersonHistoryAnswer.openapi("PersonHistory");
const Link = LinkAnswer.openapi("PersonLink");

export const personHistoryRoute = staffRoute({
  method: "post",
  path: "/person-history",
  operationId: "searchPersonHistory",
  summary:
    "人员信访史 for a 党风廉政意见回复: every case of the last five years across the province about a person (normalised name and unit, linked mentions), with disposition and outcome (role integrity_reply; purpose and requester required; audited)",
  request: { body: jsonBody(PersonHistorySearch.openapi("PersonHistorySearch")) },
  responses: {
    200: json(History, "the history, the possible matches and the draft's address"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "no integrity_reply role / cross-site",
      422: "name, unit, purpose or requester missing or too long; an ID number that is not one (nothing is recorded)",
    }),
  },
});

export const personHistoryReadRoute = staffRoute({
  method: "get",
  path: "/person-history/{id}",
  operationId: "readPersonHistory",
  summary:
    "A search of the caller's read again: the cases it disclosed, as they stand now (not audited again)",
  request: { params: IdParams },
  responses: {
    200: json(History, "the recorded search"),
    ...errorAnswers({ 403: "no integrity_reply role", 404: "no such search of yours" }),
  },
});

export const createPersonRoute = staffRoute({
  method: "post",
  path: "/persons",
  operationId: "createPerson",
  summary:
    "A person record (被反映人 confirmed by staff); the ID number, if given, is kept only as a keyed hash (integrity_reply, intake, handler; audited)",
  request: { body: jsonBody(PersonCreate.openapi("PersonCreate")) },
  responses: {
    201: json(PersonAnswer.openapi("PersonRecord"), "the record"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "none of integrity_reply, intake, handler / cross-site",
      409: "another record holds this ID number",
      422: "invalid fields",
    }),
  },
});

const LinkParams = IdParams.extend({
  caseId: z.string().openapi({ param: { name: "caseId", in: "path" }, format: "uuid" }),
});

export const linkRoute = staffRoute({
  method: "post",
  path: "/persons/{id}/links",
  operationId: "linkPersonCase",
  summary:
    "Confirm that a case's 被反映人 is this person: integrity_reply for any case of the province, intake or handler for a case their office holds (audited)",
  request: { params: IdParams, body: jsonBody(LinkCreate.openapi("PersonLinkCreate")) },
  responses: {
    200: json(Link, "already linked to this person"),
    201: json(Link, "linked"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "may not link this case / cross-site",
      404: "no such person",
      409: "the case is linked to another person",
      422: "caseId: no such case in reach",
    }),
  },
});

export const unlinkRoute = staffRoute({
  method: "delete",
  path: "/persons/{id}/links/{caseId}",
  operationId: "unlinkPersonCase",
  summary: "Take back a link (same permission as linking; audited; the link is kept, dated)",
  request: { params: LinkParams },
  responses: {
    200: json(Link, "unlinked"),
    ...errorAnswers({
      403: "may not unlink this case / cross-site",
      404: "no such person or link",
      422: "caseId: no such case in reach",
    }),
  },
});

/** 党风廉政意见回复 (issue 12 §4), mounted under /api/v1/staff. */
export function staffPersonRoutes() {
  const r = routeGroup();
  mount(r, personHistoryRoute, async (c) => {
    const body = objectFields(await readJson(c, 16 * 1024), PersonHistorySearch);
    return c.json(await searchPersonHistory({ ctx: staffCtx(c), input: body }), 200);
  });
  mount(r, personHistoryReadRoute, async (c) =>
    c.json(await readPersonHistory({ ctx: staffCtx(c), input: { requestId: c.req.valid("param").id } }), 200),
  );
  mount(r, createPersonRoute, async (c) => {
    const body = objectFields(await readJson(c, 8 * 1024), PersonCreate);
    return c.json({ person: await createPerson({ ctx: staffCtx(c), input: { body } }) }, 201);
  });
  mount(r, linkRoute, async (c) => {
    const body = objectFields(await readJson(c, 8 * 1024), LinkCreate);
    const out = await linkCase({
      ctx: staffCtx(c),
      input: { personId: c.req.valid("param").id, caseId: body.caseId },
    });
    return c.json({ link: out.link }, out.created ? 201 : 200);
  });
  mount(r, unlinkRoute, async (c) => {
    const p = c.req.valid("param");
    return c.json(
      { link: await unlinkCase({ ctx: staffCtx(c), input: { personId: p.id, caseId: p.caseId } }) },
      200,
    );
  });
  return r;
}
