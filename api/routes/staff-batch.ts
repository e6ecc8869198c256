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
import { runBatch } from "../services/batch/run";
import { BatchAnswer, BatchRequest } from "../services/batch/schemas";

export const batchRoute = staffRoute({
  method: "post",
  path: "/cases/batch",
  operationId: "batchCases",
  summary: "签收, 转送, 留存备查 or assign a handler for up to 100 cases, each in its own transaction",
  request: { body: jsonBody(BatchRequest.openapi("BatchRequest")) },
  responses: {
    200: json(BatchAnswer.openapi("BatchAnswer"), "one result per case, in the order given"),
    ...errorAnswers({
      ...JSON_BODY_ERRORS,
      403: "roles that do not work cases / cross-site",
      422: "invalid request (each case's own failure is in its result)",
    }),
  },
});

/** Batch work on the register's selection (issue 11 §4). */
export function staffBatchRoutes() {
  const r = routeGroup();
  mount(r, batchRoute, async (c) => {
    const body = await readJson(c, 64 * 1024);
    return c.json(await runBatch({ ctx: staffCtx(c), input: { body } }), 200);
  });
  return r;
}
