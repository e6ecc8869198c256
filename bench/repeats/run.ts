// Precision and recall of the repeat detector (api/domain/repeats.ts) on the labelled set of
// report pairs (test/fixtures/repeats), against pg_trgm's similarity() on the same pairs (PGlite with
// its pg_trgm extension); rewrites the `repeats` section of bench/RESULTS.md.
//
//   npm run bench:repeats
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { loadDivisionsSync } from "../../api/domain/divisions";
import {
  prepareReport,
  REPEAT_CANDIDATES,
  REPEAT_THRESHOLD,
  scorePrepared,
  UnitReader,
} from "../../api/domain/repeats";
import {
  asSubject,
  loadLabelledSet,
  PAIR_KINDS,
  type Quality,
  quality,
  type ScoredPair,
  scorePairs,
} from "../../test/fixtures/repeats/labelled";
import { commandLine, today, writeSection } from "../lib/results";

const units = new UnitReader(loadDivisionsSync("430000"));
const { reports, pairs: labelled } = loadLabelledSet();
const scored = scorePairs(units);
const repeats = labelled.filter((p) => p.repeat).length;

const pct = (x: number) => x.toFixed(3);
const row = (q: Quality) =>
  `| ${q.threshold.toFixed(3)} | ${pct(q.precision)} | ${pct(q.recall)} | ${q.truePositives} | ${q.falsePositives} | ${q.falseNegatives} |`;

// The sweep: thresholds from 0.04 to 0.20.
const sweep: Quality[] = [];
for (let t = 0.04; t <= 0.2001; t += 0.01) sweep.push(quality(scored, Math.round(t * 1000) / 1000));
const atThreshold = quality(scored, REPEAT_THRESHOLD);

/** The threshold a fold would choose: the best F1, the higher threshold on a tie. */
function chooseThreshold(pairs: readonly ScoredPair[]): number {
  let best = { f1: -1, t: 0 };
  for (let t = 0.02; t <= 0.3001; t += 0.005) {
    const q = quality(pairs, t);
    const f1 = q.precision + q.recall === 0 ? 0 : (2 * q.precision * q.recall) / (q.precision + q.recall);
    if (f1 >= best.f1) best = { f1, t: Math.round(t * 1000) / 1000 };
  }
  return best.t;
}

// Held out: the persons split in two by their tag's number; each half chooses a threshold that the
// other half is measured at (a pair belongs to the half of its first report's person).
const personOf = (id: string) => reports.get(id)!.person;
const fold = (p: ScoredPair) => Number.parseInt(personOf(p.a).slice(1), 10) % 2;
const halves = [0, 1].map((f) => scored.filter((p) => fold(p) === f));
const heldOut = [0, 1].map((f) => {
  const t = chooseThreshold(halves[f]);
  return { chosenOn: f, t, other: quality(halves[1 - f], t) };
});

// pg_trgm's similarity() of title and narrative, alone and after the same person match.
const pg = new PGlite({ extensions: { pg_trgm } });
await pg.exec("create extension pg_trgm");
const trgm: (ScoredPair & { trgm: number })[] = [];
for (const p of scored) {
  const a = reports.get(p.a)!;
  const b = reports.get(p.b)!;
  const r = await pg.query<{ s: number }>("select similarity($1, $2) as s", [
    `${a.title} ${a.body}`,
    `${b.title} ${b.body}`,
  ]);
  trgm.push({ ...p, trgm: Number(r.rows[0].s) });
}
await pg.close();
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const trgmQuality = (samePersonToo: boolean) => {
  let best: Quality | undefined;
  for (let t = 0.01; t <= 0.6; t += 0.01) {
    const q = quality(
      trgm.map((p) => ({ ...p, samePerson: samePersonToo ? p.samePerson : true, similarity: p.trgm })),
      t,
    );
    if (q.recall >= 0.8 && (!best || q.precision > best.precision)) best = q;
  }
  return best!;
};
const trgmAlone = trgmQuality(false);
const trgmPerson = trgmQuality(true);

// What scoring costs: as intake does it, the new report prepared once and each candidate prepared
// and scored against it (intake scores at most REPEAT_CANDIDATES).
const started = performance.now();
let n = 0;
while (performance.now() - started < 500) {
  for (const p of labelled) {
    const fresh = prepareReport(asSubject(reports.get(p.a)!), units);
    scorePrepared(fresh, prepareReport(asSubject(reports.get(p.b)!), units), units);
    n++;
  }
}
const perPairUs = ((performance.now() - started) * 1000) / n;

const movedPairs = labelled.filter((p) => p.repeat && (p.a === "r026" || p.b === "r026")).length;

const byKind = PAIR_KINDS.map((kind) => {
  const of = scored.filter((p) => p.kind === kind);
  const said = of.filter((p) => p.samePerson && p.similarity >= REPEAT_THRESHOLD).length;
  return `| ${kind} | ${of.length} | ${of.filter((p) => p.repeat).length} | ${said} |`;
});
const simOf = (repeat: boolean) =>
  scored.filter((p) => p.samePerson && p.repeat === repeat).map((p) => p.similarity);

const body = `
Date: ${today()}
Command: \`${commandLine("bench:repeats", [])}\`

Goal (issue 11 §3): at least 0.9 precision at 0.8 recall on a labelled set of at least 200 report
pairs. **At the threshold ${REPEAT_THRESHOLD} (\`REPEAT_THRESHOLD\`): precision ${pct(atThreshold.precision)}, recall
${pct(atThreshold.recall)}** (${atThreshold.truePositives} of ${repeats} repeats found, ${atThreshold.falsePositives} false alarms). A unit test
(test/unit/repeats-quality.test.ts) fails when the detector falls below the goal on the set.

The set: ${reports.size} reports written for it (test/fixtures/repeats/reports.json: online reports, letters,
visits and 12388 call notes about ${new Set([...reports.values()].map((r) => r.person)).size} people in ${new Set([...reports.values()].map((r) => r.matter)).size} matters, retold in other words, with the
unit written in full, as 简称 or as a sub-unit, names with spaces or a note in brackets) and ${labelled.length}
pairs (pairs.json, made by bench/repeats/make-pairs.ts from the person and matter tags): every pair
about one matter, and the look-alikes that are not repeats — the same person on another matter, the
same name at another unit, the same surname, the same county — and 80 unrelated pairs. One report
(r026) retells a matter about a person who has since moved to another unit: the detector, which asks
for the same unit, misses its ${movedPairs} pairs by design.

The detector: the same person is the same normalised name (NFKC, no spaces, punctuation or notes
in brackets) and the same unit (division named at its start, or the case's division; then one name
an in-order abbreviation or a sub-unit of the other); the same matter is the share of the shorter
report's character bigrams (title and narrative) found in the other's, after the bigrams of both
names, units, their divisions, titles such as 局长 and the words every report uses are taken out.
The texts were written before the detector, but its threshold, word lists and unit rules were then
chosen looking at this set: the held-out line below is the fairer estimate, and real (de-identified)
reports of an office would be the next check.

| threshold | precision | recall | found | false alarms | missed |
|---|---|---|---|---|---|
${sweep.map(row).join("\n")}

By kind of pair, at ${REPEAT_THRESHOLD}:

| kind | pairs | repeats | called repeats |
|---|---|---|---|
${byKind.join("\n")}

Similarity of the pairs about the same person: repeats ${range(simOf(true))}, not repeats ${range(simOf(false))}.

Held out (the threshold chosen on half of the people, by best F1, measured on the other half):
${heldOut.map((h) => `chosen on half ${h.chosenOn}: ${h.t.toFixed(3)} → on half ${1 - h.chosenOn} precision ${pct(h.other.precision)}, recall ${pct(h.other.recall)}`).join("; ")}.

pg_trgm on the same pairs (\`similarity(title || body)\`): repeats ${range(trgm.filter((p) => p.repeat).map((p) => p.trgm))}, not repeats
${range(trgm.filter((p) => !p.repeat).map((p) => p.trgm))}; at its best threshold for 0.8 recall, precision ${pct(trgmAlone.precision)} (threshold
${trgmAlone.threshold.toFixed(2)}) alone and ${pct(trgmPerson.precision)} (threshold ${trgmPerson.threshold.toFixed(2)}, recall ${pct(trgmPerson.recall)}) after the same person match.

Reading and scoring one pair takes ${perPairUs.toFixed(0)} µs on this machine (intake scores at most ${REPEAT_CANDIDATES} earlier cases about the same name).
`;

console.log(body);
console.log(`written to ${writeSection("repeats", body)}`);
