import { z } from "zod";
import { staffCtx } from "../http/ctx";
import { errorAnswers, mount, routeGroup, staffRoute } from "../http/openapi";
import { exportRegister } from "../services/register/export";
import { listRegister } from "../services/register/list";
import { RegisterPage, RegisterQuery } from "../services/register/schemas";

export const registerRoute = staffRoute({
  method: "get",
  path: "/cases",
  operationId: "listRegister",
  summary:
    "The register (信访件台账): the cases the caller may see, filtered, in keyset pages; format=csv exports the filter (audited)",
  request: { query: RegisterQuery },
  responses: {
    200: {
      description:
        "a page `{ items, nextCursor }`, or with format=csv the whole filter as CSV (UTF-8 with BOM)",
      content: {
        "application/json": { schema: RegisterPage.openapi("RegisterPage") },
        "text/csv": { schema: z.string().meta({ description: "UTF-8 with BOM, CRLF, Chinese headers" }) },
      },
    },
    ...errorAnswers({
      422: "a bad parameter: unknown value, bad date or range, foreign office, bad cursor or number",
    }),
  },
});

/** The register (issue 11 §1), mounted under /api/v1/staff beside the case routes. */
export function staffRegisterRoutes() {
  const r = routeGroup();
  mount(r, registerRoute, async (c) => {
    const input = c.req.valid("query");
    if (input.format === "csv") {
      const { csv } = await exportRegister({ ctx: staffCtx(c), input });
      const day = new Date().toISOString().slice(0, 10);
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="register-${day}.csv"`,
      });
    }
    return c.json(await listRegister({ ctx: staffCtx(c), input }), 200);
  });
  return r;
}
