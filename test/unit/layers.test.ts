// Imports point down (CONVENTIONS.md): api/ and db/ never import site/, and the message
// catalogue (messages/) is a leaf that imports nothing from api/, site/ or db/, so both the API
// and the pages can read it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every module specifier a source names: static and dynamic imports, re-exports. */
function specifiersOf(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^"'`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})(?:\s+as\s+\w+)?\s*from\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]);
  return out;
}

/** The top-level folder a relative specifier of `file` reaches, or undefined for a package. */
function layerOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = path.relative(ROOT, path.resolve(path.dirname(file), specifier));
  return target.split(path.sep)[0];
}

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|mts|mjs|js)$/.test(entry.name))
      out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

/** Each import of a file under `dir` that reaches one of `forbidden`, as "file → specifier". */
function crossings(dir: string, forbidden: string[]): string[] {
  const out: string[] = [];
  for (const file of sourcesUnder(dir)) {
    for (const spec of specifiersOf(fs.readFileSync(file, "utf8"))) {
      const layer = layerOf(file, spec);
      if (layer && forbidden.includes(layer)) out.push(`${path.relative(ROOT, file)} → ${spec}`);
    }
  }
  return out;
}

describe("layers", () => {
  it("finds every kind of import (the scan itself)", () => {
    const source = [
      'import { a } from "../site/x";',
      'import type { B } from "../../site/y";',
      'export { c } from "../site/z";',
      'export * from "../db/w";',
      'import "../site/side-effect";',
      'const m = await import("../site/lazy");',
      "import {\n  d,\n  e,\n} from '../api/errors';",
    ].join("\n");
    expect(specifiersOf(source)).toEqual(
      expect.arrayContaining([
        "../site/x",
        "../../site/y",
        "../site/z",
        "../db/w",
        "../site/side-effect",
        "../site/lazy",
        "../api/errors",
      ]),
    );
    expect(layerOf(path.join(ROOT, "api/services/x/y.ts"), "../../../site/i18n/staff")).toBe("site");
    expect(layerOf(path.join(ROOT, "api/services/x/y.ts"), "../../errors")).toBe("api");
    expect(layerOf(path.join(ROOT, "api/services/x/y.ts"), "zod")).toBeUndefined();
  });

  it("api/ and db/ never import site/", () => {
    expect(sourcesUnder("api").length).toBeGreaterThan(50);
    expect(crossings("api", ["site"])).toEqual([]);
    expect(crossings("db", ["site"])).toEqual([]);
  });

  it("messages/ imports nothing from api/, site/ or db/", () => {
    expect(sourcesUnder("messages").length).toBeGreaterThan(0);
    expect(crossings("messages", ["api", "site", "db"])).toEqual([]);
  });
});
