import { z } from "@hono/zod-openapi";
import { problems } from "../errors";
import { readJson } from "../http/body";
import { staffCtx } from "../http/ctx";
import {
  errorAnswers,
  JSON_BODY_ERRORS,
  json,
  jsonBody,
  mount,
  routeGroup,
  staffRoute,
} from "../http/openapi";
import { nestedDeeperThan } from "../http/report-body";
import { registerStaffIntake } from "../services/intake/register";
import { Registered, StaffIntakeRequest } from "../services/intake/schemas";

export const staffIntakeRoute = staffRoute({
  method: "post",
  path: "/intake",
  operationId: "registerIntake",
  summary:
    "Register a 信访件 that arrived by letter, visit, phone, 12388 or from above (intake role); header Idempotency-Key optional",
  request: {
    headers: z.object({
      "idempotency-key": z.string().optional().openapi({
        description:
          "a retry with the same key (by the same member) returns the first answer and stores nothing new",
      }),
    }),
    body: jsonBody(StaffIntakeRequest.openapi("StaffIntake")),
  },
  responses: {
    201: json(Registered.openapi("Registered"), "the case and, when asked, its tracking code"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "not the intake role / cross-site",
      409: "Idempotency-Key reused with another body",
      422: "invalid fields",
    }),
  },
});

/** The 信访室's registration of what arrives off-line (issue 11 §2). */
export function staffIntakeRoutes() {
  const r = routeGroup();
  mount(r, staffIntakeRoute, async (c) => {
    const body = await readJson(c, 256 * 1024);
    if (nestedDeeperThan(body, 16)) throw problems.malformed("body.too_deep");
    const registered = await registerStaffIntake({
      ctx: staffCtx(c),
      input: { body, idempotencyKey: c.req.valid("header")["idempotency-key"] },
    });
    return c.json(registered, 201);
  });
  return r;
}
