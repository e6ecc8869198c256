// Writes test/fixtures/repeats/pairs.json from the report pool (reports.json): every pair of reports
// about the same matter (a repeat), and the pairs that are not repeats but look alike — the same
// person on another matter, the same name at another unit, the same surname, the same county — plus
// a fixed sample of unrelated pairs. Labels follow from the pool's person and matter tags, which were
// written with the texts; run again after adding reports: `npx tsx bench/repeats/make-pairs.ts`.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LabelledReport, PairKind } from "../../test/fixtures/repeats/labelled";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures/repeats");
const reports = JSON.parse(fs.readFileSync(path.join(dir, "reports.json"), "utf8")) as LabelledReport[];

const pairs: { a: string; b: string; repeat: boolean; kind: PairKind }[] = [];
const seen = new Set<string>();
const add = (a: LabelledReport, b: LabelledReport, kind: PairKind) => {
  const key = [a.id, b.id].sort().join("|");
  if (seen.has(key)) return;
  seen.add(key);
  pairs.push({ a: a.id, b: b.id, repeat: a.matter === b.matter, kind });
};
const cleanName = (n: string) => n.replace(/[\s（(].*$/u, "").replace(/\s+/gu, "");

// Positives first, then the look-alikes, hardest first (a pair gets the first kind that fits).
for (const [i, a] of reports.entries())
  for (const b of reports.slice(i + 1)) {
    if (a.matter === b.matter)
      add(a, b, a.unit === b.unit ? "same_matter" : "same_matter_unit_written_otherwise");
  }
for (const [i, a] of reports.entries())
  for (const b of reports.slice(i + 1)) {
    if (a.person === b.person) add(a, b, "same_person_other_matter");
    else if (cleanName(a.name) === cleanName(b.name)) add(a, b, "same_name_other_person");
  }
for (const [i, a] of reports.entries())
  for (const b of reports.slice(i + 1)) {
    if (a.name.trim()[0] === b.name.trim()[0]) add(a, b, "same_surname");
    else if (a.division === b.division) add(a, b, "same_county_other_person");
  }
// Unrelated pairs: a fixed pseudo-random sample (a linear congruential generator, seed 11).
let seed = 11;
const next = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
for (let n = 0; n < 80; ) {
  const a = reports[Math.floor(next() * reports.length)];
  const b = reports[Math.floor(next() * reports.length)];
  const key = [a.id, b.id].sort().join("|");
  if (a.id === b.id || seen.has(key)) continue;
  add(a, b, "unrelated");
  n++;
}

fs.writeFileSync(path.join(dir, "pairs.json"), `${JSON.stringify(pairs, null, 2)}\n`);
const count = (k: PairKind) => pairs.filter((p) => p.kind === k).length;
console.log(
  `${pairs.length} pairs, ${pairs.filter((p) => p.repeat).length} repeats:`,
  [...new Set(pairs.map((p) => p.kind))].map((k) => `${k} ${count(k)}`).join(", "),
);
