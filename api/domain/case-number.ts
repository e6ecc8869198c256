// 信访件编号: each office numbers its 信访件 per year, from 1, without gaps (the counter lives in
// the database: db/schema/ledgers.ts). How a number reads is a deployment setting,
// CASE_NUMBER_PATTERN (api/config.ts), with three placeholders:
//   {office}  the office's short name (api/domain/short-names.ts), e.g. 长沙
//   {year}    the year the case arrived at the office (Asia/Shanghai)
//   {n}       the number within the office's year; {n:4} pads it with zeros to 4 digits
// The default reads 长沙〔2026〕第123号.

export const DEFAULT_CASE_NUMBER_PATTERN = "{office}〔{year}〕第{n}号";

type Part = { text: string } | { office: true } | { year: true } | { n: number };

/** A checked pattern: its literal text and placeholders in order. */
export interface CaseNumberPattern {
  source: string;
  parts: Part[];
}

export class CaseNumberPatternError extends Error {}

const PLACEHOLDER = /\{(office|year|n)(?::(\d))?\}/g;

/**
 * Parses a pattern; throws CaseNumberPatternError unless it has exactly one {year} and one {n}
 * (numbers restart every year, so a pattern without the year would repeat), at most one
 * {office}, and no other brace.
 */
export function parseCaseNumberPattern(source: string): CaseNumberPattern {
  const parts: Part[] = [];
  const count = { office: 0, year: 0, n: 0 };
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push({ text: source.slice(last, m.index) });
    const name = m[1] as keyof typeof count;
    count[name]++;
    if (m[2] !== undefined && name !== "n") {
      throw new CaseNumberPatternError(`{${name}} takes no width: ${source}`);
    }
    parts.push(
      name === "office" ? { office: true } : name === "year" ? { year: true } : { n: Number(m[2] ?? 0) },
    );
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ text: source.slice(last) });
  if (parts.some((p) => "text" in p && /[{}]/.test(p.text))) {
    throw new CaseNumberPatternError(`unknown placeholder in ${source}: use {office}, {year}, {n} or {n:4}`);
  }
  if (count.year !== 1 || count.n !== 1 || count.office > 1) {
    throw new CaseNumberPatternError(
      `a case number pattern needs one {year} and one {n} (and at most one {office}): ${source}`,
    );
  }
  return { source, parts };
}

export interface CaseNumberFields {
  /** The office's short name. */
  office: string;
  year: number;
  seq: number;
}

/** The number as staff read it, e.g. 长沙〔2026〕第123号. */
export function formatCaseNumber(pattern: CaseNumberPattern, f: CaseNumberFields): string {
  return pattern.parts
    .map((p) =>
      "text" in p
        ? p.text
        : "office" in p
          ? f.office
          : "year" in p
            ? String(f.year)
            : String(f.seq).padStart(p.n, "0"),
    )
    .join("");
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Typing-insensitive form: full-width folded (NFKC), no spaces, any bracket as ( and ). */
const canon = (s: string) =>
  s
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/[〔【[(]/g, "(")
    .replace(/[〕】\])]/g, ")");

/**
 * Reads a number of one office back into its year and seq (what staff type to name a case, e.g.
 * 合并至 长沙〔2026〕第12号). Spaces, full-width digits and the kind of bracket do not matter, and the
 * office part may be left out. Undefined when the text is not such a number.
 */
export function parseCaseNumber(
  pattern: CaseNumberPattern,
  office: string,
  text: string,
): { year: number; seq: number } | undefined {
  const source = pattern.parts
    .map((p) =>
      "text" in p
        ? escapeRegExp(canon(p.text))
        : "office" in p
          ? `(?:${escapeRegExp(canon(office))})?`
          : "year" in p
            ? "(?<year>\\d{4})"
            : "(?<seq>\\d{1,9})",
    )
    .join("");
  const m = new RegExp(`^${source}$`).exec(canon(text));
  if (!m?.groups) return undefined;
  const seq = Number(m.groups.seq);
  return seq > 0 ? { year: Number(m.groups.year), seq } : undefined;
}
