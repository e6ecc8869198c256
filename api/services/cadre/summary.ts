import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { caseEvents, cases } from "../../../db/schema/index";
import { categoryLabel, dispositionLabel, findingLabel, stageLabel } from "../../../messages/labels";
import type { StaffActor, VerbArgs } from "../../context";
import { CATEGORY_CODES } from "../../domain/categories";
import { monthBounds } from "../../domain/reconciliation";
import { CSV_BOM, csvLine } from "../../domain/register";
import { fieldError, problems } from "../../errors";
import { appendAudit } from "../audit/append";
import { actorLabel, staffOf } from "../cases/scope";
import { labelsFor } from "../numbering/numbers";
import type { CadreItemRow, CadreSummaryDoc } from "../reconciliation/schemas";

// 省管干部信访件月报 (issue 12 §3): every 信访件 about a 省管干部 (被反映人级别 `province`, the
// management level intake routes on: api/domain/routing.ts) received or concluded in a month,
// grouped by the person's unit and the category, with its 处置方式 and 办理结果.

/** The audit action: who produced the month's summary, in which format, how many cases. */
export const CADRE_SUMMARY_ACTION = "cadre_summary.produce";

/**
 * Named staff of the province office (`cadre_report`), and its leaders (书记、分管领导, who read
 * every case below them anyway). Nobody at a city or county office, whatever their roles.
 */
export function mayReadCadreSummary(actor: StaffActor, provinceCode: string): boolean {
  return (
    actor.officeCode === provinceCode &&
    (actor.roles.includes("cadre_report") || actor.roles.includes("leader"))
  );
}

const lastDay = (month: string) => {
  const { end } = monthBounds(month);
  return new Date(end.getTime() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
};

/**
 * Builds the month's summary. "Received" is the case's receipt day (cases.received_on); "concluded"
 * the recorded 办结 date (`concludedOn` of the last 办结 or 销号 event on its trail, else that
 * event's Asia/Shanghai day).
 */
export async function cadreSummary({
  ctx,
  input,
}: VerbArgs<{ month: string; format?: "json" | "csv" }>): Promise<CadreSummaryDoc> {
  const actor = staffOf(ctx);
  const { offices, db } = ctx.deps;
  if (!mayReadCadreSummary(actor, offices.province.code)) throw problems.forbidden("cadre.roles");
  const now = ctx.deps.now();
  const { start } = monthBounds(input.month);
  if (start > now) throw problems.invalid([fieldError("month", "month.invalid")]);
  const from = `${input.month}-01`;
  const to = lastDay(input.month);
  const concludedOnSql = sql`coalesce(${caseEvents.data}->>'concludedOn', to_char(${caseEvents.at} at time zone 'Asia/Shanghai', 'YYYY-MM-DD'))`;
  // The partial index on 省管 cases (migration 0013) keeps this to the few such cases.
  const rows = await db
    .select({
      id: cases.id,
      receivedOn: cases.receivedOn,
      title: cases.title,
      subjectName: cases.subjectName,
      subjectUnit: cases.subjectUnit,
      subjectPosition: cases.subjectPosition,
      category: cases.category,
      type: cases.type,
      officeCode: cases.officeCode,
      stage: cases.stage,
      disposition: cases.disposition,
    })
    .from(cases)
    .where(
      and(
        eq(cases.subjectLevel, "province"),
        sql`(${cases.receivedOn} between ${from}::date and ${to}::date or exists (
          select 1 from ${caseEvents} where ${caseEvents.caseId} = ${cases.id}
            and ${caseEvents.kind} in ('concluded', 'approved')
            and ${concludedOnSql} between ${from} and ${to}))`,
      ),
    );
  const ids = rows.map((r) => r.id);
  const outcome = new Map<string, { concludedOn: string | null; finding: string | null }>();
  if (ids.length > 0) {
    const events = await db
      .select({
        caseId: caseEvents.caseId,
        kind: caseEvents.kind,
        data: caseEvents.data,
        concludedOn: concludedOnSql,
      })
      .from(caseEvents)
      .where(
        and(inArray(caseEvents.caseId, ids), inArray(caseEvents.kind, ["concluded", "approved", "reported"])),
      )
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.seq));
    for (const e of events) {
      const o = outcome.get(e.caseId) ?? { concludedOn: null, finding: null };
      const d = (e.data ?? {}) as Record<string, unknown>;
      if (e.kind !== "reported") o.concludedOn = e.concludedOn as string;
      if (e.kind !== "approved" && typeof d.finding === "string") o.finding = d.finding;
      outcome.set(e.caseId, o);
    }
  }
  const province = offices.province.code;
  const numbers = await labelsFor(db, ctx.deps, [
    ...rows.map((r) => ({ caseId: r.id, officeCode: province })),
    ...rows.map((r) => ({ caseId: r.id, officeCode: r.officeCode })),
  ]);
  const items: CadreItemRow[] = rows.map((r) => {
    const o = outcome.get(r.id) ?? { concludedOn: null, finding: null };
    return {
      caseId: r.id,
      number: numbers.get(`${r.id}:${province}`) ?? numbers.get(`${r.id}:${r.officeCode}`) ?? null,
      receivedOn: r.receivedOn,
      title: r.title,
      subject: { name: r.subjectName ?? "", unit: r.subjectUnit ?? "", position: r.subjectPosition ?? "" },
      category: r.category,
      type: r.type,
      office: { code: r.officeCode, name: offices.get(r.officeCode)?.name ?? r.officeCode },
      stage: r.stage,
      disposition: r.disposition,
      finding: o.finding,
      concludedOn: o.concludedOn,
      receivedInMonth: r.receivedOn >= from && r.receivedOn <= to,
      concludedInMonth: o.concludedOn !== null && o.concludedOn >= from && o.concludedOn <= to,
    };
  });
  const catOrder = new Map<string, number>(CATEGORY_CODES.map((c, i) => [c, i]));
  items.sort(
    (a, b) =>
      a.subject.unit.localeCompare(b.subject.unit, "zh-CN") ||
      (catOrder.get(a.category) ?? 99) - (catOrder.get(b.category) ?? 99) ||
      a.receivedOn.localeCompare(b.receivedOn) ||
      a.caseId.localeCompare(b.caseId),
  );
  const groups: CadreSummaryDoc["groups"] = [];
  for (const i of items) {
    let g = groups.at(-1);
    if (!g || g.unit !== i.subject.unit || g.category !== i.category) {
      g = { unit: i.subject.unit, category: i.category, received: 0, concluded: 0, items: [] };
      groups.push(g);
    }
    g.items.push(i);
    if (i.receivedInMonth) g.received++;
    if (i.concludedInMonth) g.concluded++;
  }
  const doc: CadreSummaryDoc = {
    month: input.month,
    groups,
    totals: {
      cases: items.length,
      received: items.filter((i) => i.receivedInMonth).length,
      concluded: items.filter((i) => i.concludedInMonth).length,
    },
  };
  await appendAudit(db, {
    actor: actorLabel(actor),
    action: CADRE_SUMMARY_ACTION,
    data: { month: input.month, format: input.format ?? "json", cases: items.length },
    at: now,
  });
  return doc;
}

/** The summary as CSV for Excel: UTF-8 with BOM, one row per 信访件, Chinese headers. */
export function cadreSummaryCsv(doc: CadreSummaryDoc): string {
  const lines = [
    CSV_BOM,
    csvLine([
      "单位",
      "类别",
      "信访件编号",
      "收到日期",
      "被反映人",
      "职务",
      "标题",
      "承办机关",
      "办理阶段",
      "处置方式",
      "办理结果",
      "办结日期",
      "本月收到",
      "本月办结",
    ]),
  ];
  const yesNo = (b: boolean) => (b ? "是" : "否");
  for (const g of doc.groups) {
    for (const i of g.items) {
      lines.push(
        csvLine([
          g.unit,
          categoryLabel(g.category),
          i.number,
          i.receivedOn,
          i.subject.name,
          i.subject.position,
          i.title,
          i.office.name,
          stageLabel(i.stage),
          i.disposition ? dispositionLabel(i.disposition) : "",
          i.finding ? findingLabel(i.finding) : "",
          i.concludedOn,
          yesNo(i.receivedInMonth),
          yesNo(i.concludedInMonth),
        ]),
      );
    }
  }
  lines.push(
    csvLine([
      "合计",
      "",
      doc.totals.cases,
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      doc.totals.received,
      doc.totals.concluded,
    ]),
  );
  return lines.join("");
}
