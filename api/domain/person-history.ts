// The five-year history of a person reported (党风廉政意见回复, issue 12 §4): which 信访件 are about
// the person asked about. Pure; the SQL is in api/services/persons/. A case is the person's when
// staff linked it to one of the person's records (person_links), whatever the spelling; else when
// its 被反映人 has the same normalised name (api/domain/repeats.ts subjectKey: full-width, spaces,
// notes in brackets all read alike) and a unit that is the same as two reporters would write it
// (UnitReader.sameUnit: 简称, suffixes, the division named or not). The same name at another unit
// is only a possible match: staff confirm it by linking, or leave it out. A case linked to another
// person record is that person's, not a possible match.
import type { UnitParts, UnitReader } from "./repeats";

/** How far back the history goes (the 回复意见 covers the last five years). */
export const HISTORY_YEARS = 5;
/**
 * At most this many cases bearing the name are read for one search (the most recent first); a
 * search that reaches it says so (`truncated`), so a reply is never silently incomplete.
 */
export const HISTORY_MAX_CASES = 5000;

/** The instant five years before `now` (the same day and time, in UTC). */
export function historyWindowStart(now: Date): Date {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - HISTORY_YEARS);
  return d;
}

export type HistoryWhy = "name_and_unit" | "linked" | "same_name_other_unit";

export interface CandidateMention {
  caseId: string;
  /** The stored subject key (null: the report names no one the key can read). */
  key: string | null;
  unit: string | null;
  division: string | null;
  /** The person record the case is linked to now, if any. */
  linkedTo: string | null;
}

export interface Classified {
  caseId: string;
  why: HistoryWhy;
  inHistory: boolean;
}

/**
 * Sorts the candidate cases of one search: the person's (linked to one of `personIds`, or the same
 * key and unit), possible (the same key, another or no unit), or neither (linked to someone else,
 * another name). A recorded answer read again is sorted afresh among the cases it disclosed, so a
 * link or unlink made since shows.
 */
export function classifyMentions(
  mentions: CandidateMention[],
  query: { key: string; unit: string },
  personIds: ReadonlySet<string>,
  units: UnitReader,
): Classified[] {
  const asked: UnitParts = units.parse(query.unit, null);
  const out: Classified[] = [];
  for (const m of mentions) {
    if (m.linkedTo !== null) {
      if (personIds.has(m.linkedTo)) out.push({ caseId: m.caseId, why: "linked", inHistory: true });
      // Confirmed to be another person: not theirs, and not a possible match either.
      continue;
    }
    if (m.key !== query.key) continue;
    const same = m.unit !== null && units.sameUnit(asked, units.parse(m.unit, m.division));
    if (same) out.push({ caseId: m.caseId, why: "name_and_unit", inHistory: true });
    else out.push({ caseId: m.caseId, why: "same_name_other_unit", inHistory: false });
  }
  return out;
}

/** A person record matches the query: the same 身份证号 hash, or (none on either side differing) name and unit. */
export function personMatches(
  person: { nameKey: string; unit: string; idHash: Uint8Array | null },
  query: { key: string; unit: string; idHash: Uint8Array | null },
  units: UnitReader,
  equal: (a: Uint8Array, b: Uint8Array) => boolean,
): boolean {
  if (query.idHash && person.idHash) return equal(query.idHash, person.idHash);
  if (person.nameKey !== query.key) return false;
  return units.sameUnit(units.parse(query.unit, null), units.parse(person.unit, null));
}
