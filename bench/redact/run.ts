/**
 * npx tsx bench/redact/run.ts — redaction and the identity-warning scan on adversarial
 * 20,000-character inputs (the longest body a report may have), timed against plain
 * `String.prototype.indexOf` searches for the same identifiers over the same text in the same
 * run (one per pattern: what verbatim matching would cost), and against the regex
 * redaction this branch replaced. A linear scanner takes about four times as long on four times
 * the text (the `×4 text` column); a quadratic one about sixteen times.
 *
 * Env: BENCH_REPEAT (timed repetitions per case, median taken; 21).
 */
import os from "node:os";
import { identityWarnings } from "../../api/domain/identity-warnings";
import { redactionPatterns, redactWith } from "../../api/domain/redact";
import { redactOwnIdentifiers as before } from "./before-regex";

const REPEAT = Number(process.env.BENCH_REPEAT ?? 21);
const LENGTH = 20_000;

const ids = {
  name: "王小明",
  phone: "13912345678",
  idNumber: "430102199003071234",
  email: "wxm@example.com",
  address: "长沙市岳麓区麓山南路932号5栋2单元301室",
};
const patterns = redactionPatterns(ids);

const fill = (unit: string, n = LENGTH) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
const CASES: [string, (n: number) => string][] = [
  ["ordinary narrative, no identifier", (n) => fill("李四在修路工程中收受承包商回扣，群众意见很大。", n)],
  ["letters and dots, no @ (e-mail regex backtracking)", (n) => fill("a.", n)],
  ["long local part, then many @", (n) => fill("a", n / 2) + fill("@", n / 2)],
  ["a@a@a@… (many candidate addresses)", (n) => fill("a@", n)],
  ["x@ then a domain of dots without a TLD", (n) => `x@${fill("a.1", n - 2)}`],
  ["digits with a separator after each", (n) => fill("1 ", n)],
  ["phone prefix repeated (KMP partial matches)", (n) => fill("1391234567", n)],
  ["ID prefix repeated, full-width", (n) => fill("４３０１０２１９９００３０７１２３", n)],
  ["name prefix repeated with separators", (n) => fill("王·小 ", n)],
  ["address prefix repeated", (n) => fill("932号5栋2单元30", n)],
  ["cue words and fragments everywhere", (n) => fill("身份证尾号123", n)],
  ["identifiers everywhere, mixed forms", (n) => fill("王 小明１３９-１２３４-５６７８wxm@example.com", n)],
  ["astral characters and combining marks", (n) => fill("𠮷e\u0301\u200b1", n)],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

let sink = 0;
// The baseline: looking for each identifier verbatim (one indexOf per pattern), which is what
// exact matching without normalisation would cost.
const needles = patterns.patterns.map((p) => p.key);
const baseline = (text: string) =>
  time(() => {
    for (const n of needles) sink += text.indexOf(n);
  });
const ours = (text: string) =>
  time(() => {
    const out = redactWith(text, patterns);
    sink += out.length + identityWarnings(out).length;
  });
const theirs = (text: string) => time(() => (sink += before(text, ids).length));

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);

console.log(`Redaction benchmark — ${new Date().toISOString().slice(0, 10)}, Node ${process.version},`);
console.log(
  `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load ${os.loadavg()[0].toFixed(2)}; ${REPEAT} runs, median.`,
);
console.log("");
console.log(
  "| input (20,000 chars) | indexOf | redact + warnings | ratio to indexOf | ×4 text | regex before | ratio to indexOf |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [label, make] of CASES) {
  const text = make(LENGTH);
  const quadruple = make(LENGTH * 4);
  const base = baseline(text);
  const t = ours(text);
  const t4 = ours(quadruple);
  const b = theirs(text);
  console.log(
    `| ${label} | ${fmt(base)} | ${fmt(t)} | ${(t / base).toFixed(0)}× | ${(t4 / t).toFixed(1)}× | ${fmt(b)} | ${(b / base).toFixed(0)}× |`,
  );
}
if (sink === Number.MIN_SAFE_INTEGER) console.log("");
