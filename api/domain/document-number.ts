// 文号 of the forms an office sends (转办单, 交办函, 督办函), read like the 信访件编号: a deployment
// setting, DOCUMENT_NUMBER_PATTERN (api/config.ts), with the case number's placeholders {office},
// {year}, {n} (or {n:4}) and one more, {kind}: the form's word (转, 交, 督). The default reads
// 长沙纪转〔2026〕3号. {n} counts the office's forms of that kind in the year from 1, in the order
// they were sent (the ledger rows are never deleted, so the count never changes).
import { type CaseNumberPattern, formatCaseNumber, parseCaseNumberPattern } from "./case-number";

export const DEFAULT_DOCUMENT_NUMBER_PATTERN = "{office}纪{kind}〔{year}〕{n}号";

/** The forms that carry a 文号, and the word {kind} becomes. */
export const DOCUMENT_KINDS = { forwarded: "转", assigned: "交", supervision: "督" } as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export interface DocumentNumberPattern {
  source: string;
  byKind: Record<DocumentKind, CaseNumberPattern>;
}

/** Checks the pattern as a case number pattern once {kind} is filled in (throws CaseNumberPatternError). */
export function parseDocumentNumberPattern(source: string): DocumentNumberPattern {
  const byKind = {} as Record<DocumentKind, CaseNumberPattern>;
  for (const [kind, word] of Object.entries(DOCUMENT_KINDS) as [DocumentKind, string][]) {
    byKind[kind] = parseCaseNumberPattern(source.replaceAll("{kind}", word));
  }
  return { source, byKind };
}

export function formatDocumentNumber(
  pattern: DocumentNumberPattern,
  kind: DocumentKind,
  f: { office: string; year: number; seq: number },
): string {
  return formatCaseNumber(pattern.byKind[kind], f);
}
