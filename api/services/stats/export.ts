import type { VerbArgs } from "../../context";
import { CSV_BOM, csvCell } from "../../domain/register";
import { appendAudit } from "../audit/append";
import { actorLabel, staffOf } from "../cases/scope";
import { statsReport } from "./report";
import type { StatsQueryInput } from "./schemas";
import { type StatsCell, type StatsTable, statsTables } from "./tables";

/** The audit action of a statistics export: who took which office's figures for which period. */
export const STATS_EXPORT_ACTION = "stats.export";

export type StatsFileFormat = "csv" | "xlsx";

export interface StatsFile {
  body: Uint8Array | string;
  contentType: string;
  fileName: string;
}

/** A CSV cell: counts as numbers, ratios as percentages, text neutralised against formulas. */
function csvOf(cell: StatsCell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "object") return `${(cell.ratio * 100).toFixed(1)}%`;
  return csvCell(cell);
}

/**
 * Every table in one CSV for Excel: UTF-8 with BOM, CRLF; each table is its title on a line of
 * its own, its header row and its rows, then an empty line.
 */
export function statsCsv(tables: StatsTable[], heading: string): string {
  const lines = [csvCell(heading)];
  for (const t of tables) {
    lines.push("", csvCell(t.title), t.columns.map(csvCell).join(","));
    for (const row of t.rows) lines.push(row.map(csvOf).join(","));
  }
  return `${CSV_BOM}${lines.join("\r\n")}\r\n`;
}

/** Every table as a sheet of its own (counts as numbers, ratios as numbers formatted 0.0%). */
export async function statsXlsx(tables: StatsTable[], heading: string): Promise<Uint8Array> {
  // Loaded on the first export, not at start: exceljs alone is ~37 MB of a server's RSS
  // (bench/RESULTS.md "memory"), for a file a supervisor asks for now and then.
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  book.creator = "Qingfeng";
  for (const t of tables) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    const sheet = book.addWorksheet(t.title.replace(/[:\\/?*[\]]/g, " ").slice(0, 31));
    sheet.addRow([heading]);
    const header = sheet.addRow(t.columns);
    header.font = { bold: true };
    for (const row of t.rows) {
      const r = sheet.addRow(row.map((c) => (c === null ? null : typeof c === "object" ? c.ratio : c)));
      row.forEach((c, i) => {
        if (c !== null && typeof c === "object") r.getCell(i + 1).numFmt = "0.0%";
      });
    }
    sheet.columns.forEach((col, i) => {
      col.width = i === 0 ? 28 : 14;
    });
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/**
 * GET /api/v1/staff/stats?format=csv|xlsx — every table of the page as a file. The figures are
 * the same report (statsReport, its checks included); the export is audited (STATS_EXPORT_ACTION,
 * with the office, the period and the format) before it is answered: no audit row, no file.
 */
export async function exportStats({
  ctx,
  input,
}: VerbArgs<StatsQueryInput & { format: StatsFileFormat }>): Promise<StatsFile> {
  const actor = staffOf(ctx);
  const report = await statsReport({ ctx, input });
  const tables = statsTables(report, "zh");
  const heading = `${report.office.name} 形势分析 ${report.period.from} 至 ${report.period.to}（上年同期 ${report.comparison.from} 至 ${report.comparison.to}）`;
  const base = `stats-${report.office.code}-${report.period.from}-${report.period.to}`;
  const file: StatsFile =
    input.format === "csv"
      ? { body: statsCsv(tables, heading), contentType: "text/csv; charset=utf-8", fileName: `${base}.csv` }
      : {
          body: await statsXlsx(tables, heading),
          contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          fileName: `${base}.xlsx`,
        };
  await appendAudit(ctx.deps.db, {
    actor: actorLabel(actor),
    action: STATS_EXPORT_ACTION,
    data: {
      office: actor.officeCode,
      scope: report.office.code,
      period: report.period,
      format: input.format,
      tables: tables.length,
    },
    at: ctx.deps.now(),
  });
  return file;
}
