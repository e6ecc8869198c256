import type { MismatchKind } from "../../domain/reconciliation";
import { CSV_BOM, csvLine } from "../../domain/register";
import type { ReconciliationDoc } from "./schemas";

// The 对账 as CSV for Excel (UTF-8 with BOM, CRLF, Chinese headers, formula-looking cells
// neutralised by csvCell): one block of figures per office below, then every mismatch by 编号,
// then the trail heads and the signature, so the file carries what the parent keeps.

export const MISMATCH_LABELS_ZH: Record<MismatchKind, string> = {
  never_received: "已转送未签收",
  received_twice: "重复受理",
  concluded_without_feedback: "已办结未反馈",
};

const SEND_KIND_ZH: Record<string, string> = { forwarded: "转送", assigned: "交办" };

export function reconciliationCsv(doc: ReconciliationDoc): string {
  const lines = [
    CSV_BOM,
    csvLine(["对账机关", doc.office.name, doc.office.code]),
    csvLine(["月份", doc.month, "截止时间", doc.asOf]),
    csvLine([]),
    csvLine([
      "下级机关",
      "机关代码",
      "转送交办",
      "其中转送",
      "其中交办",
      "已签收",
      "已受理",
      "已办结",
      "另行处理",
      "在办",
      "未签收",
      "超期",
      "不一致",
    ]),
  ];
  const row = (name: string, code: string, f: ReconciliationDoc["totals"], mismatches: number) =>
    csvLine([
      name,
      code,
      f.sent,
      f.forwarded,
      f.assigned,
      f.signed,
      f.registered,
      f.concluded,
      f.closedOtherwise,
      f.pending,
      f.notSigned,
      f.overdue,
      mismatches,
    ]);
  for (const c of doc.children) lines.push(row(c.office.name, c.office.code, c, c.mismatches.length));
  lines.push(
    row(
      "合计",
      "",
      doc.totals,
      doc.children.reduce((t, c) => t + c.mismatches.length, 0),
    ),
  );
  lines.push(csvLine([]));
  lines.push(
    csvLine([
      "不一致事项",
      "下级机关",
      "本机关编号",
      "下级机关编号",
      "方式",
      "发出时间",
      "受理次数",
      "办结日期",
      "信访件ID",
    ]),
  );
  for (const c of doc.children) {
    for (const m of c.mismatches) {
      lines.push(
        csvLine([
          MISMATCH_LABELS_ZH[m.kind],
          c.office.name,
          m.number,
          m.receiverNumber,
          SEND_KIND_ZH[m.sendKind] ?? m.sendKind,
          m.sentAt,
          m.registrations,
          m.concludedOn,
          m.caseId,
        ]),
      );
    }
  }
  lines.push(csvLine([]));
  lines.push(csvLine(["办理轨迹", "机关代码", "信访件数", "链头（base64）"]));
  for (const t of doc.trail) lines.push(csvLine(["链头", t.office, t.cases, t.heads]));
  lines.push(csvLine(["签名公钥", doc.key ?? "（未签名）"]));
  lines.push(csvLine(["签名", doc.signature ?? "（未签名）"]));
  return lines.join("");
}
