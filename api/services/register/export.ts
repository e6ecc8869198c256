import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  LEVEL_LABELS,
  REPORT_TYPE_LABELS,
  STAGE_LABELS,
  STATUS_LABELS,
} from "../../../messages/labels";
import type { VerbArgs } from "../../context";
import { maskForAudit } from "../../domain/identity-warnings";
import { CSV_BOM, csvLine, REGISTER_EXPORT_MAX, type RegisterCursor } from "../../domain/register";
import { appendAudit } from "../audit/append";
import { actorLabel, staffOf } from "../cases/scope";
import {
  type RegisterItemRow,
  registerConditions,
  registerRows,
  registerScope,
  registerScopeOffices,
  searchesText,
} from "./query";
import type { RegisterQueryInput } from "./schemas";

/** The audit action of an export: who took which filter's cases out of the system, and how many. */
export const REGISTER_EXPORT_ACTION = "register.export";

const HEADERS = [
  "信访件编号",
  "收到日期",
  "渠道",
  "类型",
  "类别",
  "被反映人",
  "单位",
  "级别",
  "标题",
  "办理阶段",
  "公开状态",
  "承办机关",
  "办理期限",
  "是否超期",
  "实名举报",
  "有未读补充材料",
];

const zh = (labels: Record<string, { zh: string }>, code: string | null) =>
  code === null ? "" : (labels[code]?.zh ?? code);
const yesNo = (b: boolean) => (b ? "是" : "否");

function line(i: RegisterItemRow): string {
  return csvLine([
    i.number,
    i.receivedOn,
    zh(CHANNEL_LABELS, i.channel),
    zh(REPORT_TYPE_LABELS, i.type),
    zh(CATEGORY_LABELS, i.category),
    i.subject?.name,
    i.subject?.unit,
    zh(LEVEL_LABELS, i.subject?.level ?? null),
    i.title,
    zh(STAGE_LABELS, i.stage),
    zh(STATUS_LABELS, i.publicStatus),
    i.office.name,
    i.nextDueOn,
    yesNo(i.overdue),
    yesNo(i.realName),
    yesNo(i.unread),
  ]);
}

/**
 * GET /api/v1/staff/cases?format=csv — every case of the current filter (in its order, up to
 * REGISTER_EXPORT_MAX rows) as CSV for Excel: UTF-8 with BOM, Chinese headers, formula-looking
 * cells neutralised (domain/register.ts csvCell). The sanitised text only, as on the page. The
 * export is audited (REGISTER_EXPORT_ACTION, with the filter and the row count) before it is
 * answered: no audit row, no file.
 */
/** Filters typed freely (the others are validated codes, dates and numbers). */
const FREE_TEXT = new Set(["q", "subject", "unit"]);

export async function exportRegister({
  ctx,
  input,
}: VerbArgs<RegisterQueryInput>): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const actor = staffOf(ctx);
  const sort = input.sort ?? "newest";
  const where = registerConditions(ctx, actor, input);
  const parts = [CSV_BOM, csvLine(HEADERS)];
  let after: RegisterCursor | undefined;
  let rows = 0;
  let truncated = false;
  for (;;) {
    const page = await registerRows(
      ctx,
      actor,
      where,
      sort,
      after,
      Math.min(1000, REGISTER_EXPORT_MAX - rows),
      {
        textSearch: searchesText(input),
        scope: registerScope(ctx, actor, input),
        offices: registerScopeOffices(ctx, actor, input),
      },
    );
    for (const item of page.items) parts.push(line(item));
    rows += page.items.length;
    if (!page.next) break;
    if (rows >= REGISTER_EXPORT_MAX) {
      truncated = true;
      break;
    }
    after = page.next;
  }
  const { cursor: _c, limit: _l, format: _f, ...filter } = input;
  await appendAudit(ctx.deps.db, {
    actor: actorLabel(actor),
    action: REGISTER_EXPORT_ACTION,
    data: {
      office: actor.officeCode,
      filter: Object.fromEntries(
        Object.entries(filter)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, typeof v === "string" && FREE_TEXT.has(k) ? maskForAudit(v) : v]),
      ),
      rows,
      truncated,
    },
    at: ctx.deps.now(),
  });
  return { csv: parts.join(""), rows, truncated };
}
