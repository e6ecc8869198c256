import { deflateSync, inflateSync } from "node:zlib";
import { scrubJpegSegments } from "./scrub-embedded";

/**
 * Clears a PDF's metadata with a same-length, byte-level rewrite: every byte keeps its offset,
 * so the cross-reference table (or stream) stays valid without being rebuilt, and nothing but
 * the metadata changes. No PDF library is needed for this, and none is added.
 *
 * - The document information dictionary (every `/Info n g R` of every trailer and
 *   cross-reference stream, so earlier revisions of an incrementally saved file too): every
 *   string in it (Author, Creator, Producer, Title, Subject, Keywords, dates, custom keys) is
 *   overwritten with spaces, and so is a string object an entry points to.
 * - XMP metadata streams (`/Type /Metadata`): their bytes become spaces and their /Filter and
 *   /DecodeParms entries are blanked, so a reader sees an empty, unfiltered stream.
 * - An information dictionary inside a compressed object stream is cleaned in the decompressed
 *   data and recompressed; when the new data would not fit the old length, the `/Info`
 *   references are blanked instead, so no reader finds the dictionary.
 * - Photos embedded as JPEG (`/DCTDecode`): their EXIF/XMP/IPTC segments are zeroed
 *   (scrubJpegSegments), GPS included.
 * - Encrypted files: the strings cannot be read, so the `/Info` references are blanked too.
 *
 * Not touched: the text and pictures themselves, annotations' authors (/T on comments), form
 * field values, and metadata of embedded files — those are content staff may need to see.
 */
export function cleanPdf(input: Uint8Array): Uint8Array {
  const buf = Buffer.from(input); // a copy: the original is kept as it came
  const text = buf.toString("latin1"); // one character per byte: indexes are byte offsets

  const infoRefs = [...text.matchAll(/\/Info\s+(\d+)\s+(\d+)\s+R/g)];
  const infoObjects = new Set(infoRefs.map((m) => Number(m[1])));
  const blankObjects = new Set(infoObjects); // plus string objects the Info entries point to
  const encrypted = /\/Encrypt\s+(\d+\s+\d+\s+R|<<)/.test(text);
  let unlinkInfo = encrypted;

  const objects = scanObjects(text);
  // First pass: Info dictionaries (uncompressed); note the objects their entries point to.
  for (const o of objects) {
    if (!infoObjects.has(o.num) || o.dict === undefined) continue;
    blankStrings(buf, text, o.dict.start, o.dict.end);
    for (const m of text.slice(o.dict.start, o.dict.end).matchAll(/\/[^\s/<>[\]()]+\s+(\d+)\s+(\d+)\s+R/g)) {
      blankObjects.add(Number(m[1]));
    }
  }
  for (const o of objects) {
    if (blankObjects.has(o.num) && !infoObjects.has(o.num)) blankStrings(buf, text, o.bodyStart, o.bodyEnd);
    if (o.dict === undefined || o.stream === undefined) continue;
    const dict = text.slice(o.dict.start, o.dict.end);
    if (/\/Type\s*\/Metadata\b/.test(dict)) {
      buf.fill(0x20, o.stream.start, o.stream.end);
      blankEntry(buf, text, o.dict.start, o.dict.end, /\/Filter\s*(\/[A-Za-z0-9]+|\[[^\]]*\])/g);
      blankEntry(buf, text, o.dict.start, o.dict.end, /\/DecodeParms\s*(<<[^<>]*>>|\[[^\]]*\]|null)/g);
    } else if (/\/Filter\s*(\/DCTDecode|\[\s*\/DCTDecode\s*\])/.test(dict)) {
      const scrubbed = scrubJpegSegments(buf.subarray(o.stream.start, o.stream.end));
      buf.set(scrubbed, o.stream.start);
    } else if (/\/Type\s*\/ObjStm\b/.test(dict) && infoObjects.size > 0) {
      if (!cleanObjectStream(buf, text, o, infoObjects)) unlinkInfo = true;
    }
  }
  if (unlinkInfo) for (const m of infoRefs) buf.fill(0x20, m.index!, m.index! + m[0].length);
  return new Uint8Array(buf);
}

interface PdfObject {
  num: number;
  bodyStart: number;
  bodyEnd: number;
  dict?: { start: number; end: number };
  stream?: { start: number; end: number };
}

const OBJ_RE = /(?<![0-9])(\d+)\s+(\d+)\s+obj\b/g;

/** Every indirect object, in file order; stream data is skipped so its bytes are never parsed. */
function scanObjects(text: string): PdfObject[] {
  const out: PdfObject[] = [];
  // Objects that hold a bare integer: indirect /Length values, looked up in one pass.
  const integers = new Map<string, number>();
  for (const m of text.matchAll(/(?<![0-9])(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj/g))
    integers.set(`${m[1]} ${m[2]}`, Number(m[3]));
  OBJ_RE.lastIndex = 0;
  for (let m = OBJ_RE.exec(text); m; m = OBJ_RE.exec(text)) {
    const bodyStart = m.index + m[0].length;
    let i = skipSpace(text, bodyStart);
    const o: PdfObject = { num: Number(m[1]), bodyStart, bodyEnd: bodyStart };
    if (text.startsWith("<<", i)) {
      const end = dictEnd(text, i);
      if (end < 0) break;
      o.dict = { start: i, end };
      i = skipSpace(text, end);
      if (text.startsWith("stream", i)) {
        let start = i + 6;
        if (text[start] === "\r") start++;
        if (text[start] === "\n") start++;
        const len = streamLength(text.slice(o.dict.start, o.dict.end), integers);
        let end = len !== undefined && start + len <= text.length ? start + len : -1;
        if (end < 0 || !/^\s*endstream/.test(text.slice(end, end + 32))) {
          const e = text.indexOf("endstream", start);
          if (e < 0) break;
          end = e;
          if (text[end - 1] === "\n") end--;
          if (text[end - 1] === "\r") end--;
        }
        o.stream = { start, end };
        i = end;
      }
    }
    const endobj = text.indexOf("endobj", i);
    o.bodyEnd = endobj < 0 ? text.length : endobj;
    out.push(o);
    OBJ_RE.lastIndex = Math.max(o.bodyEnd, OBJ_RE.lastIndex);
  }
  return out;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /[\s]/.test(text[i])) i++;
  return i;
}

/** A direct /Length, or an indirect one whose object holds a plain integer. */
function streamLength(dict: string, integers: Map<string, number>): number | undefined {
  const direct = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
  if (direct) return Number(direct[1]);
  const ref = /\/Length\s+(\d+)\s+(\d+)\s+R/.exec(dict);
  return ref ? integers.get(`${ref[1]} ${ref[2]}`) : undefined;
}

/**
 * Walks the tokens from `i` (at "<<") to the matching ">>" and returns the index after it, or
 * -1. `onString` receives the content range of every literal `(…)` and hex `<…>` string.
 */
function dictEnd(text: string, i: number, onString?: (start: number, end: number) => void): number {
  let depth = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "%") {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
    } else if (c === "(") {
      const end = literalEnd(text, i);
      if (end < 0) return -1;
      onString?.(i + 1, end);
      i = end + 1;
    } else if (c === "<" && text[i + 1] === "<") {
      depth++;
      i += 2;
    } else if (c === "<") {
      const end = text.indexOf(">", i);
      if (end < 0) return -1;
      onString?.(i + 1, end);
      i = end + 1;
    } else if (c === ">" && text[i + 1] === ">") {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return -1;
}

/** Index of the ")" closing the literal string that opens at `i`, honouring nesting and escapes. */
function literalEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === "\\") j++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return j;
  }
  return -1;
}

/** Overwrites the content of every string between `start` and `end` with spaces. */
function blankStrings(buf: Uint8Array, text: string, start: number, end: number): void {
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === "(") {
      const e = literalEnd(text, i);
      if (e < 0 || e > end) return;
      buf.fill(0x20, i + 1, e);
      i = e + 1;
    } else if (c === "<" && text[i + 1] === "<") i += 2;
    else if (c === "<") {
      const e = text.indexOf(">", i);
      if (e < 0 || e > end) return;
      buf.fill(0x20, i + 1, e);
      i = e + 1;
    } else if (c === "%") {
      while (i < end && text[i] !== "\n" && text[i] !== "\r") i++;
    } else i++;
  }
}

function blankEntry(buf: Uint8Array, text: string, start: number, end: number, re: RegExp): void {
  for (const m of text.slice(start, end).matchAll(re))
    buf.fill(0x20, start + m.index!, start + m.index! + m[0].length);
}

/**
 * An object stream holding an Info dictionary: the dictionary's strings are blanked in the
 * decompressed data, which is recompressed into the old space (a reader stops at the end of the
 * deflate data; the rest is padding). False when it does not fit or cannot be read.
 */
function cleanObjectStream(buf: Uint8Array, text: string, o: PdfObject, infoObjects: Set<number>): boolean {
  const dict = text.slice(o.dict!.start, o.dict!.end);
  const first = /\/First\s+(\d+)/.exec(dict);
  if (!first) return false;
  // Only plain Flate is handled; for anything else the caller unlinks the dictionary instead.
  if (!/\/Filter\s*(\/FlateDecode|\[\s*\/FlateDecode\s*\])/.test(dict) || /\/DecodeParms/.test(dict))
    return false;
  let data: Buffer;
  try {
    data = inflateSync(buf.subarray(o.stream!.start, o.stream!.end));
  } catch {
    return false;
  }
  const plain = data.toString("latin1");
  const header = plain.slice(0, Number(first[1])).trim().split(/\s+/).map(Number);
  const entries: { num: number; offset: number }[] = [];
  for (let k = 0; k + 1 < header.length; k += 2) entries.push({ num: header[k], offset: header[k + 1] });
  let touched = false;
  entries.forEach((e, k) => {
    if (!infoObjects.has(e.num)) return;
    const s = Number(first[1]) + e.offset;
    const end = k + 1 < entries.length ? Number(first[1]) + entries[k + 1].offset : plain.length;
    blankStrings(data, plain, s, end);
    touched = true;
  });
  if (!touched) return true;
  const packed = deflateSync(data, { level: 9 });
  const room = o.stream!.end - o.stream!.start;
  if (packed.length > room) return false;
  buf.set(packed, o.stream!.start);
  buf.fill(0x0a, o.stream!.start + packed.length, o.stream!.end);
  return true;
}
