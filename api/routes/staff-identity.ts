import { readJson } from "../http/body";
import { clientSource } from "../http/client-source";
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
import { UnsealRequest, UnsealResult } from "../services/identity/schemas";
import { unsealIdentity } from "../services/identity/unseal";

export const unsealRoute = staffRoute({
  method: "post",
  path: "/cases/{id}/identity",
  operationId: "unsealIdentity",
  summary: "A custodian opens the case's sealed identity (passphrase and written reason; audited)",
  request: {
    params: IdParams,
    body: jsonBody(UnsealRequest.openapi("Unseal")),
  },
  responses: {
    200: json(UnsealResult.openapi("UnsealedIdentity"), "identity and original text"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "not a custodian / wrong passphrase / cross-site",
      404: "absent",
      422: "reason too short",
      429: "too many attempts (Retry-After)",
    }),
  },
});

/** POST /api/v1/staff/cases/:id/identity — the custodian's 启封 (issue 3 part 8). */
export function staffIdentityRoutes() {
  const r = routeGroup();
  mount(r, unsealRoute, async (c) => {
    c.header("Cache-Control", "no-store");
    const body = objectFields(await readJson(c, 8 * 1024), UnsealRequest);
    const out = await unsealIdentity({
      ctx: staffCtx(c),
      input: {
        caseId: c.req.valid("param").id,
        passphrase: body.passphrase,
        reason: body.reason,
        source: clientSource(c),
      },
    });
    return c.json(out, 200);
  });
  return r;
}
