import { crc32, deflateSync } from "node:zlib";
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

  // Pass 1: relationships. External ones, those to customXml, altChunk parts (HTML, RTF… copied
  // as they came, with their own links and scripts) and the package thumbnail go; remember their
  // ids per source part, and the internal parts they named (removed too).
  const droppedIds = new Map<string, Set<string>>(); // source part → rIds removed
  const droppedParts = new Set<string>();
  for (const name of Object.keys(files)) if (/^docprops\/thumbnail\./i.test(name)) droppedParts.add(name);
  for (const name of Object.keys(files)) {
    if (!name.endsWith(".rels")) continue;
    if (isCustomXml(name)) continue;
    const source = name.replace(/_rels\/([^/]*)\.rels$/, "$1");
    const gone = new Set<string>();
    files[name] = xml(files[name], (tag) => {
      if (localName(tag.name) !== "Relationship") return undefined;
      const get = (k: string) => tag.attrs.find((a) => a.name === k)?.value ?? "";
      const external = get("TargetMode").toLowerCase() === "external";
      const target = external ? "" : resolveTarget(name, get("Target"));
      const type = get("Type");
      const altChunk = /\/aFChunk$/i.test(type);
      const thumbnail = /\/metadata\/thumbnail$/i.test(type) || /^docprops\/thumbnail\./i.test(target);
      if (external || isCustomXml(target) || altChunk || thumbnail) {
        gone.add(get("Id"));
        if (!external && (altChunk || thumbnail)) droppedParts.add(target);
        return { drop: true };
      }
      return undefined;
    });
    droppedIds.set(source, gone);
  }

  const lowerDropped = new Set([...droppedParts].map((n) => n.toLowerCase()));
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(files)) {
    const lower = name.toLowerCase();
    if (isCustomXml(name) || lowerDropped.has(lower)) continue;
    // The relationships of a removed part go with it.
    const relsOf = /^(.*)_rels\/([^/]*)\.rels$/.exec(lower);
    if (relsOf && lowerDropped.has(relsOf[1] + relsOf[2])) continue;
    if (lower === "docprops/core.xml") out[name] = enc.encode(EMPTY_CORE);
    else if (lower === "docprops/app.xml") out[name] = enc.encode(EMPTY_APP);
    else if (lower === "docprops/custom.xml") out[name] = enc.encode(EMPTY_CUSTOM);
    else if (name === "[Content_Types].xml")
      out[name] = xml(data, (tag) => {
        const part = tag.attrs.find((a) => a.name === "PartName")?.value ?? "";
        const partName = part.replace(/^\//, "");
        return localName(tag.name) === "Override" &&
          (isCustomXml(partName) || lowerDropped.has(partName.toLowerCase()))
          ? { drop: true }
          : undefined;
      });
    else if (lower.startsWith("word/embeddings/")) out[name] = new Uint8Array(0);
    else if (imageKind(data)) out[name] = cleanEmbeddedImage(data);
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
    if (DROP_ELEMENTS.has(local)) return { drop: true };
    // A picture's non-visual properties: older Word writes the original file's path there
    // (C:\Users\<name>\…) as name or description. The id stays.
    const pictureProps = local === "cNvPr" || local === "docPr";
    let changed = false;
    const attrs: Attr[] = [];
    for (const a of tag.attrs) {
      const al = localName(a.name);
      const prefix = a.name.includes(":") ? a.name.slice(0, a.name.indexOf(":")) : "";
      if (pictureProps && PICTURE_TEXT_ATTRS.has(al)) {
        attrs.push({ name: a.name, value: "" });
        changed = true;
      } else if (a.name !== "xmlns" && prefix !== "xmlns" && pointsOutside(a.value)) {
        changed = true; // dropped: v:imagedata src="\\host\share\…", o:href="http://…"
      } else if (PERSONAL_ATTRS.has(al)) {
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

/** Elements removed whole, wherever they are. */
const DROP_ELEMENTS = new Set([
  "attachedTemplate",
  "subDoc",
  "presenceInfo",
  // settings.xml: mail-merge connection (connect string, query, data source paths) and
  // document variables (anything a macro or add-in stored).
  "mailMerge",
  "docVars",
  // An imported HTML/RTF/text chunk; its part and relationship go in pass 1.
  "altChunk",
]);
const PICTURE_TEXT_ATTRS = new Set(["descr", "name", "title"]);

/** Namespace and schema names: identifiers that look like URLs and are never fetched. */
const SCHEMA_HOSTS =
  /^https?:\/\/(schemas\.openxmlformats\.org|schemas\.microsoft\.com|purl\.org|purl\.oclc\.org|www\.w3\.org|ns\.adobe\.com)\//i;

/** An absolute URL (any scheme with //, file:, mailto:…) or a UNC path, entities decoded. */
function pointsOutside(raw: string): boolean {
  const v = decodeEntities(raw)
    .replace(/&#(x[0-9a-f]+|[0-9]+);/gi, (_m, n: string) =>
      String.fromCodePoint(n[0].toLowerCase() === "x" ? Number.parseInt(n.slice(1), 16) : Number(n)),
    )
    .trim();
  if (SCHEMA_HOSTS.test(v)) return false;
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ||
    /^(file|mailto|javascript|vbscript|data):/i.test(v) ||
    /^[\\/]{2}/.test(v)
  );
}

type ImageKind = "jpeg" | "png" | "tiff" | "gif" | "other";

/** What an embedded part is, by its first bytes (never by its name). */
function imageKind(b: Uint8Array): ImageKind | undefined {
  const at = (i: number, ...v: number[]) => v.every((x, k) => b[i + k] === x);
  if (b.length < 12) return undefined;
  if (at(0, 0xff, 0xd8, 0xff)) return "jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return "tiff";
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return "gif";
  const ascii = (i: number, s: string) => at(i, ...Array.from(s, (c) => c.charCodeAt(0)));
  // WebP (EXIF/XMP chunks), HEIF/AVIF (Exif items), JPEG 2000 (xml/uuid boxes), JPEG XL.
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "other";
  if (
    ascii(4, "ftyp") &&
    /^(heic|heix|mif1|msf1|avif|avis|hevc)$/.test(String.fromCharCode(...b.subarray(8, 12)))
  )
    return "other";
  if (
    at(0, 0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20) ||
    at(0, 0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20)
  )
    return "other";
  return undefined;
}

/**
 * An image part, whatever its name (`.jfif`, `.jpe`, no extension…): JPEG and PNG are scrubbed
 * in place; TIFF and GIF (tags and comment blocks that are not cleaned here) become a blank
 * 1×1 image of the same format, so the content type stays true; WebP, HEIF/AVIF, JPEG 2000 and
 * JPEG XL become a blank 1×1 PNG (Word shows an empty picture).
 */
function cleanEmbeddedImage(data: Uint8Array): Uint8Array {
  switch (imageKind(data)) {
    case "jpeg":
      return scrubJpegSegments(data);
    case "png":
      return scrubPngChunks(data);
    case "tiff":
      return BLANK_TIFF;
    case "gif":
      return BLANK_GIF;
    default:
      return BLANK_PNG;
  }
}

const BLANK_GIF = new Uint8Array([
  0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00,
  0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]);

/** A 1×1 white greyscale TIFF, uncompressed, little-endian. */
const BLANK_TIFF = (() => {
  const entries: [number, number, number][] = [
    [256, 3, 1], // ImageWidth
    [257, 3, 1], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: BlackIsZero
    [273, 4, 0], // StripOffsets (set below)
    [277, 3, 1], // SamplesPerPixel
    [278, 3, 1], // RowsPerStrip
    [279, 4, 1], // StripByteCounts
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const b = Buffer.alloc(8 + ifdSize + 1);
  b.write("II", 0, "latin1");
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], k) => {
    const o = 10 + k * 12;
    b.writeUInt16LE(tag, o);
    b.writeUInt16LE(type, o + 2);
    b.writeUInt32LE(1, o + 4);
    if (tag === 273) b.writeUInt32LE(8 + ifdSize, o + 8);
    else if (type === 3) b.writeUInt16LE(value, o + 8);
    else b.writeUInt32LE(value, o + 8);
  });
  b[8 + ifdSize] = 0xff;
  return new Uint8Array(b);
})();

/** A 1×1 white PNG. */
const BLANK_PNG = (() => {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, "latin1"), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed) >>> 0);
    return Buffer.concat([head, typed, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]); // 1×1, 8-bit greyscale
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", deflateSync(Buffer.from([0, 0xff]))),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
})();

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
