// The words of 纪委 sites and 12388 (issue 10 §6): staff read 信访件 (not 案件), 签收/取消签收
// (not 领办/放回队列), and everyone reads 被反映人 (not 被举报人). This reads every string literal
// of the code that shows words to people (the catalogue, the pages, the API and the CLI), so a
// new string in the old words fails here; comments may still name the old words.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Old words, and what replaces them. */
const BANNED: [RegExp, string][] = [
  [/案件/, "信访件"],
  [/本案|此案/, "本件"],
  [/领办/, "签收"],
  [/放回队列/, "取消签收"],
  [/被举报人/, "被反映人"],
];

/** The text of every string and template literal of a TypeScript source (comments left out). */
function literalsOf(source: string, fileName = "x.ts"): string[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      out.push(node.head.text);
      for (const span of node.templateSpans) out.push(span.literal.text);
    } else if (ts.isJsxText(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** An .astro file's frontmatter literals, and its markup without comments. */
function astroTexts(source: string): string[] {
  const m = source.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/);
  const [front, markup] = m ? [m[1], m[2]] : ["", source];
  const bare = markup
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\{\s*\/\*[\s\S]*?\*\/\s*\}/g, "")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[\s;{(])\/\/[^\n]*/g, "$1");
  return [...literalsOf(front), bare];
}

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true }))
    if (e.isFile() && ext.test(e.name) && !e.name.endsWith(".d.ts"))
      out.push(path.join(e.parentPath, e.name));
  return out;
}

/** "file: banned word in «text» (say …)" for every literal of these files in the old words. */
function oldWordsIn(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const source = fs.readFileSync(file, "utf8");
    const texts = file.endsWith(".astro") ? astroTexts(source) : literalsOf(source, file);
    for (const text of texts)
      for (const [re, instead] of BANNED) {
        const hit = text.match(re);
        if (hit)
          found.push(
            `${path.relative(ROOT, file)}: ${hit[0]} in «${text.trim().slice(0, 80)}» (say ${instead})`,
          );
      }
  }
  return found;
}

describe("the wording of 纪委 sites", () => {
  it("finds an old word in a string but not in a comment (the check can fail)", () => {
    expect(
      // "$" + "{": a template placeholder inside the sample source, not in this file's string.
      literalsOf(
        ["// 我的案件", 'const a = "我的案件"; /* 领办 */', "const b = `由您领办 $" + "{n} 分钟`;"].join(
          "\n",
        ),
      ),
    ).toEqual(["我的案件", "由您领办 ", " 分钟"]);
    expect(
      astroTexts('---\n// 待领办队列\nconst t = "x";\n---\n{/* 案件 */}<!-- 领办 --><th>案件</th>'),
    ).toEqual(["x", "<th>案件</th>"]);
  });

  it("no string of the message catalogue or the page strings says 案件, 领办, 放回队列 or 被举报人", () => {
    expect(oldWordsIn([...filesUnder("messages", /\.ts$/), ...filesUnder("site/i18n", /\.ts$/)])).toEqual([]);
  });

  it("nor does a page, a component, the API or the CLI", () => {
    expect(
      oldWordsIn([
        ...filesUnder("site", /\.(ts|astro)$/).filter((f) => !f.includes(`${path.sep}i18n${path.sep}`)),
        ...filesUnder("api", /\.ts$/),
        ...filesUnder("cli", /\.ts$/),
      ]),
    ).toEqual([]);
  });
});
