import { z } from "zod";
import { staffCtx } from "../http/ctx";
import { errorAnswers, mount, routeGroup, staffRoute } from "../http/openapi";
import { cadreSummary, cadreSummaryCsv } from "../services/cadre/summary";
import { reconciliationCsv } from "../services/reconciliation/csv";
import { produceReconciliation } from "../services/reconciliation/produce";
import {
  CadreQuery,
  CadreSummary,
  Reconciliation,
  ReconciliationQuery,
} from "../services/reconciliation/schemas";

const csvContent = {
  "text/csv": { schema: z.string().meta({ description: "UTF-8 with BOM, CRLF, Chinese headers" }) },
};

export const reconciliationRoute = staffRoute({
  method: "get",
  path: "/reconciliation",
  operationId: "reconciliation",
  summary:
    "The monthly 对账 of an office with the offices below it: 转送/交办 sent, 签收ed, 受理d, 办结ed, pending, overdue, mismatches by 编号, and each office's trail heads, signed with the anchor key when this host holds it (audited)",
  request: { query: ReconciliationQuery },
  responses: {
    200: {
      description: "the 对账, or with format=csv the same as CSV (UTF-8 with BOM)",
      content: { "application/json": { schema: Reconciliation.openapi("Reconciliation") }, ...csvContent },
    },
    ...errorAnswers({
      403: "not a supervisor or leader of that office or of one above it (an unknown office too)",
      422: "a bad month (or one not yet begun), or an office that is not six digits",
    }),
  },
});

export const cadreSummaryRoute = staffRoute({
  method: "get",
  path: "/cadre-summary",
  operationId: "cadreSummary",
  summary:
    "省管干部信访件月报: every 信访件 about a 省管干部 received or concluded in the month, by unit and category, with 处置方式 and 办理结果 (cadre_report or leader at the province office; audited)",
  request: { query: CadreQuery },
  responses: {
    200: {
      description: "the summary, or with format=csv the same as CSV (UTF-8 with BOM)",
      content: { "application/json": { schema: CadreSummary.openapi("CadreSummary") }, ...csvContent },
    },
    ...errorAnswers({
      403: "not cadre_report or leader at the province office",
      422: "a bad month, or one not yet begun",
    }),
  },
});

/** 对账 and the 省管干部 summary (issue 12 §2–3), mounted under /api/v1/staff. */
export function staffReconciliationRoutes() {
  const r = routeGroup();
  mount(r, reconciliationRoute, async (c) => {
    const input = c.req.valid("query");
    const doc = await produceReconciliation({ ctx: staffCtx(c), input });
    if (input.format === "csv") {
      return c.body(reconciliationCsv(doc), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="reconciliation-${doc.office.code}-${doc.month}.csv"`,
      });
    }
    return c.json(doc, 200);
  });
  mount(r, cadreSummaryRoute, async (c) => {
    const input = c.req.valid("query");
    const doc = await cadreSummary({ ctx: staffCtx(c), input });
    if (input.format === "csv") {
      return c.body(cadreSummaryCsv(doc), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="cadre-summary-${doc.month}.csv"`,
      });
    }
    return c.json(doc, 200);
  });
  return r;
}
