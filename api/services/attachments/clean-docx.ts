import { deflateRawSync, inflateRawSync } from "node:zlib";
import { scrubJpegSegments, scrubPngChunks } from "./scrub-embedded";

/**
 * Clears a DOCX's metadata by rewriting its zip (with node:zlib; no zip library is installed and
 * none is added):
 * - docProps/core.xml (author, last modified by, title, subject, keywords, dates, revision),
 *   docProps/app.xml (company, manager, template path, editing time) and docProps/custom.xml
 *   are replaced by empty property sets;
 * - in word/*.xml the w:author / w:initials of comments and tracked changes and the account
 *   ids of word/people.xml are emptied;
 * - photos under word/media lose their EXIF/XMP/IPTC (GPS included) and PNG text chunks;
 * - every entry's timestamp becomes 1980-01-01, extra fields (which hold more timestamps and
 *   owner ids) and comments are dropped.
 * Everything else is copied byte for byte. Embedded objects (an .xlsx inside the .docx) keep
 * their own metadata. Throws DocxError for a zip it will not rewrite (encrypted entries, ZIP64,
 * unknown compression): the caller refuses the file rather than hand staff an uncleaned copy.
 */
export class DocxError extends Error {}

const EMPTY_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>';
const EMPTY_APP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>';
const EMPTY_CUSTOM =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>';

const enc = new TextEncoder();
const dec = new TextDecoder();

function transform(name: string, data: Uint8Array): Uint8Array | undefined {
  const lower = name.toLowerCase();
  if (lower === "docprops/core.xml") return enc.encode(EMPTY_CORE);
  if (lower === "docprops/app.xml") return enc.encode(EMPTY_APP);
  if (lower === "docprops/custom.xml") return enc.encode(EMPTY_CUSTOM);
  if (/^word\/[^/]+\.xml$/.test(lower)) {
    const xml = dec.decode(data);
    const out = xml.replace(/(\s(?:w|w15):(?:author|initials|userId|providerId))="[^"]*"/g, '$1=""');
    return out === xml ? undefined : enc.encode(out);
  }
  if (/^word\/media\/.+\.(jpe?g)$/.test(lower)) return scrubJpegSegments(data);
  if (/^word\/media\/.+\.png$/.test(lower)) return scrubPngChunks(data);
  return undefined;
}

interface Entry {
  name: Uint8Array;
  nameText: string;
  method: number;
  flags: number;
  crc: number;
  csize: number;
  usize: number;
  versionNeeded: number;
  versionMadeBy: number;
  data: Uint8Array; // compressed bytes as stored
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function readEntries(zip: Uint8Array): Entry[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DocxError("no end of central directory");
  if (eocd >= 20 && v.getUint32(eocd - 20, true) === 0x07064b50) throw new DocxError("ZIP64");
  const count = v.getUint16(eocd + 10, true);
  const cdSize = v.getUint32(eocd + 12, true);
  const cdOffset = v.getUint32(eocd + 16, true);
  if (v.getUint16(eocd + 4, true) !== 0 || count === 0xffff || cdOffset === 0xffffffff)
    throw new DocxError("ZIP64 or multi-disk");
  if (cdOffset + cdSize > eocd) throw new DocxError("central directory out of range");
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > zip.length || v.getUint32(p, true) !== 0x02014b50)
      throw new DocxError("bad central directory");
    const versionMadeBy = v.getUint16(p + 4, true);
    const versionNeeded = v.getUint16(p + 6, true);
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    const csize = v.getUint32(p + 20, true);
    const usize = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const local = v.getUint32(p + 42, true);
    const name = zip.subarray(p + 46, p + 46 + nameLen);
    if (flags & 0x0001) throw new DocxError("encrypted entry");
    if (method !== 0 && method !== 8) throw new DocxError("unknown compression");
    if (csize === 0xffffffff || usize === 0xffffffff || local === 0xffffffff) throw new DocxError("ZIP64");
    if (local + 30 > zip.length || v.getUint32(local, true) !== 0x04034b50)
      throw new DocxError("bad local header");
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + csize > zip.length) throw new DocxError("entry out of range");
    entries.push({
      name,
      nameText: dec.decode(name),
      method,
      flags,
      crc,
      csize,
      usize,
      versionNeeded,
      versionMadeBy,
      data: zip.subarray(start, start + csize),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** A zip bomb stops here: no part of a real document inflates past 32 MB, nor all of them past 128 MB. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
const MAX_TOTAL_BYTES = 128 * 1024 * 1024;

export function cleanDocx(input: Uint8Array): Uint8Array {
  const entries = readEntries(input);
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  let inflated = 0;
  for (const e of entries) {
    let { method, crc, csize, usize, data } = e;
    const lower = e.nameText.toLowerCase();
    const candidate =
      lower.startsWith("docprops/") ||
      /^word\/[^/]+\.xml$/.test(lower) ||
      /^word\/media\/.+\.(jpe?g|png)$/.test(lower);
    if (candidate) {
      let plain: Uint8Array;
      try {
        plain = method === 0 ? data : inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES });
      } catch {
        throw new DocxError("entry does not inflate");
      }
      inflated += plain.length;
      if (inflated > MAX_TOTAL_BYTES) throw new DocxError("inflates too far");
      const changed = transform(e.nameText, plain);
      if (changed) {
        data = deflateRawSync(changed);
        method = 8;
        crc = crc32(changed);
        csize = data.length;
        usize = changed.length;
      }
    }
    // Bit 3 (sizes in a trailing data descriptor) is cleared: sizes are written up front.
    // Bit 11 (UTF-8 names) is kept.
    const flags = e.flags & 0x0800;
    const local = new Uint8Array(30 + e.name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, e.versionNeeded, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, 0, true); // time 00:00:00
    lv.setUint16(12, 0x0021, true); // date 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, csize, true);
    lv.setUint32(22, usize, true);
    lv.setUint16(26, e.name.length, true);
    lv.setUint16(28, 0, true);
    local.set(e.name, 30);
    const central = new Uint8Array(46 + e.name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, e.versionMadeBy, true);
    cv.setUint16(6, e.versionNeeded, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, 0x0021, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, csize, true);
    cv.setUint32(24, usize, true);
    cv.setUint16(28, e.name.length, true);
    cv.setUint32(42, offset, true);
    central.set(e.name, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, eocd]));
}
