import { unzipSync, zipSync } from "fflate";
import { CleanError } from "./clean-error";
import { scrubJpegSegments, scrubPngChunks } from "./scrub-embedded";
import { type Attr, localName, rewriteXml, type StartTag, XmlError } from "./xml-rewrite";

/**
 * A DOCX is unzipped with fflate, its parts cleaned, and zipped anew (every entry dated
 * 1980-01-01, no extra fields, no comments):
 *
 * - docProps/core.xml, app.xml and custom.xml become empty property sets (creator,
 *   lastModifiedBy, title, subject, keywords, dates, revision, company, manager, template,
 *   editing time, custom fields);
 * - `customXml/` parts go, with their relationships and content-type overrides;
 * - every relationship with TargetMode="External", in any .rels part, goes (attached template on
 *   a UNC path, linked pictures, frames, subdocuments, OLE links, hyperlinks), and attributes
 *   that pointed to one (r:id, r:link, r:embed…) are dropped, so a hyperlink stays as its text;
 * - word/settings.xml loses w:attachedTemplate, and any part loses w:subDoc elements;
 * - field codes that fetch from outside (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, DDEAUTO,
 *   IMPORT) are emptied, in w:instrText and in w:fldSimple's w:instr;
 * - authors of comments and tracked changes: every `author`, `initials`, `userId`,
 *   `providerId` attribute in word/ is emptied, whatever its prefix or quote style; revision
 *   dates (`w:date`) and editing-session ids (`w:rsid*`) are dropped; people.xml's presence info
 *   goes; comment and revision text stays (it is content);
 * - XML comments and processing instructions other than the declaration are dropped;
 * - photos under word/media lose EXIF/XMP/IPTC (GPS included) and PNG text chunks;
 * - embedded OLE objects (word/embeddings/*: a spreadsheet, another document, a package) are
 *   replaced by an empty file of the same name: their preview picture still shows, the object
 *   itself (with its own author and history) does not reach staff.
 * Everything else is copied. A zip it cannot read (encrypted, unknown compression, a part that
 * is not XML where XML is due) or that would inflate past the limits is refused (CleanError).
 */

/** A zip bomb stops here: no part of a real document inflates past 32 MB, nor all of them past 128 MB. */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
const MAX_ENTRIES = 5000;

const EMPTY_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>';
const EMPTY_APP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>';
const EMPTY_CUSTOM =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>';

const PERSONAL_ATTRS = new Set(["author", "initials", "userId", "providerId"]);
const FETCHING_FIELD = /\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b/i;
/** Attributes that name a relationship (r:id and friends, in any namespace prefix). */
const REL_ATTRS = new Set(["id", "link", "embed", "pict", "href", "dm", "lo", "qs", "cs"]);

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

function text(data: Uint8Array): string {
  try {
    return dec.decode(data);
  } catch {
    throw new CleanError("file.unreadable");
  }
}

function xml(
  data: Uint8Array,
  visit: Parameters<typeof rewriteXml>[1],
  onText?: Parameters<typeof rewriteXml>[2],
): Uint8Array {
  try {
    return enc.encode(rewriteXml(text(data), visit, onText));
  } catch (e) {
    if (e instanceof XmlError) throw new CleanError("file.unreadable");
    throw e;
  }
}

const isCustomXml = (name: string) => name.toLowerCase().startsWith("customxml/");

/** The part a relationship's target names, resolved against the .rels part's source. */
function resolveTarget(relsName: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  // word/_rels/document.xml.rels → base folder "word/"
  const base = relsName.replace(/_rels\/[^/]*$/, "");
  const parts = (base + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

export function cleanDocx(input: Uint8Array): Uint8Array {
  let files: Record<string, Uint8Array>;
  try {
    let total = 0;
    let count = 0;
    files = unzipSync(input, {
      // fflate inflates each entry into a buffer of its declared size and no more, so the
      // declared sizes bound the memory: checked here before anything is inflated.
      filter(f) {
        count++;
        total += f.originalSize;
        if (count > MAX_ENTRIES || f.originalSize > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES)
          throw new CleanError("file.too_complex");
        if (f.compression !== 0 && f.compression !== 8) throw new CleanError("file.unreadable");
        return true;
      },
    });
  } catch (e) {
    if (e instanceof CleanError) throw e;
    throw new CleanError("file.unreadable");
  }
  if (!files["[Content_Types].xml"] || !files["word/document.xml"]) throw new CleanError("file.unreadable");

  // Pass 1: relationships. External ones and those to customXml go; remember their ids per source part.
  const droppedIds = new Map<string, Set<string>>(); // source part → rIds removed
  for (const name of Object.keys(files)) {
    if (!name.endsWith(".rels")) continue;
    if (isCustomXml(name)) continue;
    const source = name.replace(/_rels\/([^/]*)\.rels$/, "$1");
    const gone = new Set<string>();
    files[name] = xml(files[name], (tag) => {
      if (localName(tag.name) !== "Relationship") return undefined;
      const get = (k: string) => tag.attrs.find((a) => a.name === k)?.value ?? "";
      const external = get("TargetMode").toLowerCase() === "external";
      const toCustom = isCustomXml(resolveTarget(name, get("Target")));
      if (external || toCustom) {
        gone.add(get("Id"));
        return { drop: true };
      }
      return undefined;
    });
    droppedIds.set(source, gone);
  }

  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(files)) {
    const lower = name.toLowerCase();
    if (isCustomXml(name)) continue;
    if (lower === "docprops/core.xml") out[name] = enc.encode(EMPTY_CORE);
    else if (lower === "docprops/app.xml") out[name] = enc.encode(EMPTY_APP);
    else if (lower === "docprops/custom.xml") out[name] = enc.encode(EMPTY_CUSTOM);
    else if (name === "[Content_Types].xml")
      out[name] = xml(data, (tag) => {
        const part = tag.attrs.find((a) => a.name === "PartName")?.value ?? "";
        return localName(tag.name) === "Override" && isCustomXml(part.replace(/^\//, ""))
          ? { drop: true }
          : undefined;
      });
    else if (lower.startsWith("word/embeddings/")) out[name] = new Uint8Array(0);
    else if (/^word\/media\/.+\.(jpe?g)$/.test(lower)) out[name] = scrubJpegSegments(data);
    else if (/^word\/media\/.+\.png$/.test(lower)) out[name] = scrubPngChunks(data);
    else if (lower.endsWith(".xml") && !lower.endsWith(".rels"))
      out[name] = xml(data, wordVisitor(droppedIds.get(name) ?? new Set()), fieldText);
    else out[name] = data;
  }

  const zipped = zipSync(
    Object.fromEntries(
      Object.entries(out).map(([n, d]) => [n, [d, { level: 6, mtime: new Date(1980, 0, 1, 0, 0, 0) }]]),
    ),
  );
  return zipped;
}

/** Cleans one XML part of the document (word/*.xml, headers, footers, comments, people…). */
function wordVisitor(dropped: Set<string>) {
  return (tag: StartTag): ReturnType<Parameters<typeof rewriteXml>[1]> => {
    const local = localName(tag.name);
    if (local === "attachedTemplate" || local === "subDoc" || local === "presenceInfo") return { drop: true };
    let changed = false;
    const attrs: Attr[] = [];
    for (const a of tag.attrs) {
      const al = localName(a.name);
      const prefix = a.name.includes(":") ? a.name.slice(0, a.name.indexOf(":")) : "";
      if (PERSONAL_ATTRS.has(al)) {
        attrs.push({ name: a.name, value: "" });
        changed = true;
      } else if ((al === "date" && prefix === "w") || (al.startsWith("rsid") && prefix === "w")) {
        changed = true; // dropped
      } else if (REL_ATTRS.has(al) && prefix && prefix !== "w" && dropped.has(a.value)) {
        changed = true; // pointed to an external relationship that is gone
      } else if (al === "instr" && fieldText(a.value, ["w:instrText"]) === "") {
        attrs.push({ name: a.name, value: "" });
        changed = true;
      } else attrs.push(a);
    }
    return changed ? { attrs } : undefined;
  };
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(quot|apos|amp|lt|gt);/g,
    (_m, e: string) => ({ quot: '"', apos: "'", amp: "&", lt: "<", gt: ">" })[e]!,
  );
}

/**
 * The text of a w:instrText (a field code, possibly split over several runs) is emptied when it
 * names a fetching field or holds a URL or a UNC path: a split "INCLUDEPIC" + "TURE http://…"
 * loses its second half and no longer fetches anything.
 */
function fieldText(t: string, path: readonly string[]): string {
  if (path.length === 0 || localName(path[path.length - 1]) !== "instrText") return t;
  const plain = decodeEntities(t);
  return FETCHING_FIELD.test(plain) || plain.includes("://") || plain.includes("\\\\") ? "" : t;
}
