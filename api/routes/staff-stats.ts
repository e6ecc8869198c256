import { z } from "zod";
import { staffCtx } from "../http/ctx";
import { errorAnswers, mount, routeGroup, staffRoute } from "../http/openapi";
import { exportStats } from "../services/stats/export";
import { statsReport } from "../services/stats/report";
import { StatsQuery, StatsReport } from "../services/stats/schemas";

export const statsRoute = staffRoute({
  method: "get",
  path: "/stats",
  operationId: "getStats",
  summary:
    "形势分析: counts of the cases received in a period at the caller's office (or one below) and every office below it, beside the same period a year earlier; format=csv|xlsx exports every table (audited)",
  request: { query: StatsQuery },
  responses: {
    200: {
      description:
        "the report as JSON; with format=csv every table in one CSV (UTF-8 with BOM), with format=xlsx one sheet per table",
      content: {
        "application/json": { schema: StatsReport.openapi("StatsReport") },
        "text/csv": { schema: z.string().meta({ description: "UTF-8 with BOM, CRLF, Chinese headers" }) },
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
          schema: z.string().meta({ format: "binary", description: "one sheet per table" }),
        },
      },
    },
    ...errorAnswers({
      403: "the caller is neither a supervisor nor a leader (stats.forbidden)",
      422: "a bad parameter: a bad date, from after to, an office outside the caller's view, an unknown format",
    }),
  },
});

/** 形势分析 (issue 12 §1), mounted under /api/v1/staff. */
export function staffStatsRoutes() {
  const r = routeGroup();
  mount(r, statsRoute, async (c) => {
    const input = c.req.valid("query");
    if (input.format === "csv" || input.format === "xlsx") {
      const file = await exportStats({ ctx: staffCtx(c), input: { ...input, format: input.format } });
      return c.body(typeof file.body === "string" ? file.body : new Uint8Array(file.body), 200, {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.fileName}"`,
      });
    }
    return c.json(await statsReport({ ctx: staffCtx(c), input }), 200);
  });
  return r;
}
