import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../RESULTS.md");

const HEADER = `# Benchmark results

Measured by the scripts in \`bench/\`; each section is rewritten by the run that produced it.
Numbers are ratios against a baseline measured in the same process and run, so they compare
across machines better than the absolute figures do. Never asserted in tests.
`;

/**
 * Replaces the \`## <name>\` section of bench/RESULTS.md (or appends it), leaving every other
 * section as it was.
 */
export function writeSection(name: string, body: string): string {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : HEADER;
  const heading = `## ${name}`;
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === heading);
  const section = `${heading}\n\n${body.trim()}\n`;
  let out: string;
  if (start === -1) {
    out = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
    if (end === -1) end = lines.length;
    out = [...lines.slice(0, start), ...section.split("\n"), ...lines.slice(end)].join("\n");
    out = `${out.replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
  }
  fs.writeFileSync(file, out);
  return file;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const today = (): string => new Date().toISOString().slice(0, 10);

/** The command as it was typed, for RESULTS.md: env overrides that were set, then the npm script. */
export function commandLine(script: string, envNames: string[]): string {
  const set = envNames.filter((n) => process.env[n] !== undefined).map((n) => `${n}=${process.env[n]}`);
  return [...set, `npm run ${script}`].join(" ");
}
