import { inflateSync } from "node:zlib";
import type * as Mupdf from "mupdf";
import { CleanError } from "./clean-error";
import { scrubJpegSegments } from "./scrub-embedded";

/**
 * PDFs are rewritten through MuPDF (the official WebAssembly build), never edited in place:
 *
 * 1. MuPDF opens the file; only the objects the current cross-reference section points to are
 *    loaded, so text a reporter deleted in an earlier incremental revision is never read.
 * 2. Everything that identifies or acts is removed from every object: the trailer's /Info,
 *    XMP (/Metadata on any object), /PieceInfo, /OpenAction, additional actions (/AA), any
 *    /A action that is not a plain GoTo inside the document (JavaScript, Launch, URI, GoToR,
 *    GoToE, SubmitForm, ImportData, ResetForm, Sound, Movie, Rendition, RichMediaExecute…),
 *    the name trees of JavaScript and embedded files, /AcroForm (with XFA), attachment, sound,
 *    movie, screen, rich media and 3D annotations, every embedded file stream, and the author
 *    (/T) and dates of the remaining annotations.
 *    Form fields are baked into the page content first, so what a filled form shows stays.
 * 3. The document is saved anew (garbage collection, no incremental section): only the
 *    objects still referenced survive, with one cross-reference section and one %%EOF.
 * 4. The result is opened again and checked (./pdf-check.ts). If MuPDF throws anywhere in
 *    1–3, or the check finds anything forbidden, the clean copy is a rasterised one: every page
 *    rendered to a JPEG at 150 dpi and put on a new page of a fresh PDF that holds nothing else.
 *    The original is never passed on. A file MuPDF cannot render either is refused.
 */

export type MupdfModule = typeof Mupdf;

let loaded: Promise<MupdfModule> | undefined;
/** Loaded on first use, inside the worker, after the WebAssembly memory cap is in place. */
export function loadMupdf(): Promise<MupdfModule> {
  loaded ??= import("mupdf");
  return loaded;
}

/** The raster fallback stops here: a 300-page scan is a case for the original, not a 422 bomb. */
export const MAX_RASTER_PAGES = 300;
const RASTER_DPI = 150;

/** Action types that stay: a jump to a page of the same document. */
const SAFE_ACTIONS = new Set(["GoTo"]);
/** Annotations that carry a file, a sound, a movie or active content: removed whole. */
const DROP_ANNOTS = new Set(["FileAttachment", "Sound", "Movie", "Screen", "RichMedia", "3D"]);
/** The catalog entries kept (ISO 32000-2, 7.7.2): structure, navigation and display only. */
const CATALOG_KEYS = new Set([
  "Type",
  "Version",
  "Extensions",
  "Pages",
  "PageLabels",
  "Names",
  "Dests",
  "ViewerPreferences",
  "PageLayout",
  "PageMode",
  "Outlines",
  "OCProperties",
  "StructTreeRoot",
  "MarkInfo",
  "Lang",
]);
/** Document-information keys, removed from any dictionary that carries them (a copy of /Info). */
const INFO_KEYS = [
  "Author",
  "Creator",
  "Producer",
  "Company",
  "Manager",
  "Keywords",
  "CreationDate",
  "ModDate",
  "Trapped",
];
/** Keys removed from every dictionary, wherever it is. */
const DROP_KEYS = ["Metadata", "PieceInfo", "AA", "OpenAction", "JS", "EmbeddedFiles", "AF", "URI"];

export interface PdfCleanResult {
  data: Uint8Array;
  /** "rewrite" when the structure was kept, "raster" when pages were rendered to images. */
  method: "rewrite" | "raster";
}

export async function cleanPdf(input: Uint8Array): Promise<PdfCleanResult> {
  const mupdf = await loadMupdf();
  let rewritten: Uint8Array | undefined;
  try {
    rewritten = rewrite(mupdf, input);
  } catch (e) {
    if (e instanceof CleanError) throw e;
    rewritten = undefined;
  }
  if (rewritten) {
    const problems = findForbidden(mupdf, rewritten);
    if (problems.length === 0) return { data: rewritten, method: "rewrite" };
  }
  return { data: rasterise(mupdf, input), method: "raster" };
}

function openPdf(mupdf: MupdfModule, data: Uint8Array): Mupdf.PDFDocument {
  const doc = mupdf.Document.openDocument(data, "application/pdf");
  const pdf = doc.asPDF();
  if (!pdf) throw new CleanError("file.unreadable");
  // An owner password alone (printing/copying restrictions) opens with ""; a user password
  // means staff could not read it either: refused, the original stays with the custodians.
  if (pdf.needsPassword() && !pdf.authenticatePassword("")) throw new CleanError("file.encrypted");
  return pdf;
}

function rewrite(mupdf: MupdfModule, input: Uint8Array): Uint8Array {
  const pdf = openPdf(mupdf, input);
  try {
    pdf.disableJS();
    // Widgets (form fields) become page content; the form dictionary goes with its scripts.
    pdf.bake(false, true);
    const trailer = pdf.getTrailer();
    trailer.delete("Info");
    // The file identifier's first half is the original's fingerprint (kept by every save):
    // both halves are fresh random bytes.
    const id = pdf.newArray();
    const fresh = crypto.getRandomValues(new Uint8Array(16));
    id.push(pdf.newByteString(fresh));
    id.push(pdf.newByteString(fresh));
    trailer.put("ID", id);
    const root = trailer.get("Root");
    if (root.isDictionary()) {
      // Only the catalog entries a reader needs: anything else (a custom /Foo pointing to the
      // old Info dictionary, /AcroForm, /Perms, /Collection, /Threads, /SpiderInfo, /Legal,
      // /URI, /Metadata, /OpenAction, /AA…) goes, with what only it referenced.
      const keys: string[] = [];
      root.forEach((_v, k) => {
        keys.push(String(k));
      });
      for (const k of keys) if (!CATALOG_KEYS.has(k)) root.delete(k);
      const names = root.get("Names");
      if (names.isDictionary())
        for (const k of ["JavaScript", "EmbeddedFiles", "AlternatePresentations"]) names.delete(k);
    }
    const n = pdf.countPages();
    for (let i = 0; i < n; i++) {
      const page = pdf.loadPage(i);
      for (const annot of page.getAnnotations()) {
        if (DROP_ANNOTS.has(annot.getType())) page.deleteAnnotation(annot);
      }
    }
    const count = pdf.countObjects();
    for (let num = 1; num < count; num++) {
      // A stream is reached through its indirect reference; its dictionary through resolve().
      const ref = pdf.newIndirect(num);
      const obj = ref.resolve();
      scrubObject(obj);
      if (ref.isStream()) scrubImageStream(pdf, ref, obj);
    }
    scrubObject(trailer);
    const out = pdf.saveToBuffer("garbage=compact,clean,compress,incremental=no");
    return new Uint8Array(out.asUint8Array());
  } finally {
    pdf.destroy();
  }
}

/** Removes the dangerous keys of one object, and of the direct dictionaries inside it. */
function scrubObject(obj: Mupdf.PDFObject, depth = 0): void {
  if (depth > 32) return;
  if (obj.isDictionary()) {
    const type = nameOf(obj.get("Type"));
    if (type === "EmbeddedFile" || type === "Metadata") {
      // The embedded file or XMP stream itself is unlinked wherever it was (the keys below),
      // so garbage collection drops it from the saved file.
      obj.delete("Params");
    }
    if (type === "Filespec") for (const k of ["EF", "RF", "Desc"]) obj.delete(k);
    // A comment, highlight or stamp names its author (/T) and when it was made: gone. (Widgets
    // were baked into the page already; their /T would be a field name.)
    const subtype = nameOf(obj.get("Subtype"));
    if (subtype && subtype !== "Widget" && !obj.get("Rect").isNull())
      for (const k of ["T", "M", "CreationDate", "NM"]) obj.delete(k);
    for (const k of DROP_KEYS) obj.delete(k);
    // An Info-like dictionary anywhere (no /Type, no /Parent: not an outline item, whose /Title
    // is its text) loses its title and subject too.
    if (INFO_KEYS.some((k) => !obj.get(k).isNull()) && obj.get("Type").isNull() && obj.get("Parent").isNull())
      for (const k of ["Title", "Subject"]) obj.delete(k);
    for (const k of INFO_KEYS) obj.delete(k);
    const action = obj.get("A");
    if (action.isDictionary()) {
      if (SAFE_ACTIONS.has(nameOf(action.get("S")))) action.delete("Next");
      else obj.delete("A");
    }
    // An action dictionary met on its own (an indirect /A of an outline, a /Next chain): its
    // payload goes even if something still points to it.
    if (FORBIDDEN_ACTIONS.has(nameOf(obj.get("S")))) {
      for (const k of ["JS", "F", "URI", "Win", "Mac", "Unix", "Fields", "Next"]) obj.delete(k);
      obj.put("S", obj._doc.newName("GoTo"));
    }
    const keys: string[] = [];
    obj.forEach((_v, k) => {
      keys.push(String(k));
    });
    for (const k of keys) {
      const v = obj.get(k);
      if (!v.isIndirect() && (v.isDictionary() || v.isArray())) scrubObject(v, depth + 1);
    }
  } else if (obj.isArray()) {
    for (let i = 0; i < obj.length; i++) {
      const v = obj.get(i);
      if (!v.isIndirect() && (v.isDictionary() || v.isArray())) scrubObject(v, depth + 1);
    }
  }
}

/** Thrown inside rewrite() when only the rasterised copy is safe; cleanPdf() falls back. */
class NeedsRaster extends Error {}

/** A JPEG inside a stream is never larger than this once its outer filters are undone. */
const MAX_INNER_JPEG = 64 * 1024 * 1024;

/**
 * Photos inside the PDF. A stream whose filter chain ends in DCTDecode is a JPEG: alone, its
 * EXIF/XMP/IPTC segments are zeroed in place; behind FlateDecode filters (`[/FlateDecode
 * /DCTDecode]`, no predictor) those are undone first and the stream is stored as plain
 * DCTDecode. Any other chain around a JPEG (ASCII85, LZW, predictors…), and any JPEG 2000
 * (JPXDecode: its XML, UUID and GeoJP2 boxes can hold XMP and GPS, and cannot be scrubbed
 * without a JPEG 2000 parser) sends the file to the rasterised copy.
 */
function scrubImageStream(pdf: Mupdf.PDFDocument, ref: Mupdf.PDFObject, obj: Mupdf.PDFObject): void {
  const f = obj.get("Filter");
  const filters: string[] = [];
  if (f.isName()) filters.push(f.asName());
  else if (f.isArray()) for (let i = 0; i < f.length; i++) filters.push(nameOf(f.get(i)));
  if (filters.length === 0) return;
  if (filters.includes("JPXDecode")) throw new NeedsRaster("JPXDecode");
  if (!filters.includes("DCTDecode")) return;
  if (filters.indexOf("DCTDecode") !== filters.length - 1) throw new NeedsRaster("DCTDecode not last");
  let data = ref.readRawStream().asUint8Array();
  if (filters.length > 1) {
    const outer = filters.slice(0, -1);
    const parms = obj.get("DecodeParms");
    const hasParms = parms.isArray()
      ? Array.from({ length: parms.length }, (_, i) => parms.get(i)).some(
          (p, i) => i < outer.length && !p.isNull(),
        )
      : !parms.isNull();
    if (hasParms || outer.some((n) => n !== "FlateDecode")) throw new NeedsRaster("filter chain");
    for (let k = 0; k < outer.length; k++) {
      try {
        data = new Uint8Array(inflateSync(data, { maxOutputLength: MAX_INNER_JPEG }));
      } catch {
        throw new NeedsRaster("inflate");
      }
    }
    obj.put("Filter", pdf.newName("DCTDecode"));
    obj.delete("DecodeParms");
  }
  ref.writeRawStream(scrubJpegSegments(data));
}

function nameOf(o: Mupdf.PDFObject): string {
  return o.isName() ? o.asName() : "";
}

/** Names that must not appear as a key or as an action type anywhere in a clean copy. */
const FORBIDDEN_KEYS = new Set([
  "JS",
  "JavaScript",
  "OpenAction",
  "AA",
  "EmbeddedFile",
  "EmbeddedFiles",
  "EF",
  "Metadata",
  "PieceInfo",
  "AcroForm",
  "XFA",
  "URI",
  "RichMediaContent",
]);
const FORBIDDEN_ACTIONS = new Set([
  "JavaScript",
  "Launch",
  "URI",
  "GoToR",
  "GoToE",
  "SubmitForm",
  "ImportData",
  "ResetForm",
  "Sound",
  "Movie",
  "Rendition",
  "RichMediaExecute",
  "Hide",
  "SetOCGState",
  "Trans",
  "GoTo3DView",
]);

/**
 * What is still wrong with a rewritten PDF, by reading it back: more than one cross-reference
 * section or %%EOF (an incremental revision), an /Info in the trailer, or a forbidden key or
 * action type in any object. Empty when clean. Also used by the tests.
 */
export function findForbidden(mupdf: MupdfModule, data: Uint8Array): string[] {
  const found: string[] = [];
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
  const eofs = text.split("%%EOF").length - 1;
  const startxrefs = text.split("startxref").length - 1;
  if (eofs !== 1 || startxrefs !== 1) found.push("revisions");
  let pdf: Mupdf.PDFDocument;
  try {
    pdf = openPdf(mupdf, data);
  } catch {
    return [...found, "unreadable"];
  }
  try {
    if (pdf.countVersions() > 1) found.push("revisions");
    const trailer = pdf.getTrailer();
    if (!trailer.get("Info").isNull()) found.push("Info");
    const count = pdf.countObjects();
    const visit = (o: Mupdf.PDFObject, depth: number) => {
      if (depth > 32) return;
      if (o.isDictionary()) {
        o.forEach((v, k) => {
          const key = String(k);
          if (FORBIDDEN_KEYS.has(key)) found.push(key);
          if (key === "S" && v.isName() && FORBIDDEN_ACTIONS.has(v.asName())) found.push(v.asName());
          if (key === "Type" && v.isName() && (v.asName() === "EmbeddedFile" || v.asName() === "Metadata"))
            found.push(v.asName());
          if (!v.isIndirect() && (v.isDictionary() || v.isArray())) visit(v, depth + 1);
        });
      } else if (o.isArray()) {
        for (let i = 0; i < o.length; i++) {
          const v = o.get(i);
          if (!v.isIndirect() && (v.isDictionary() || v.isArray())) visit(v, depth + 1);
        }
      }
    };
    visit(trailer, 0);
    for (let num = 1; num < count; num++) visit(pdf.newIndirect(num).resolve(), 0);
  } finally {
    pdf.destroy();
  }
  return found;
}

/** Every page rendered to a JPEG (no annotations) on a page of a fresh PDF, and nothing else. */
export function rasterise(mupdf: MupdfModule, input: Uint8Array): Uint8Array {
  let src: Mupdf.PDFDocument;
  try {
    src = openPdf(mupdf, input);
  } catch (e) {
    if (e instanceof CleanError) throw e;
    throw new CleanError("file.unreadable");
  }
  const out = new mupdf.PDFDocument();
  try {
    const n = src.countPages();
    if (n === 0) throw new CleanError("file.unreadable");
    if (n > MAX_RASTER_PAGES) throw new CleanError("file.too_complex");
    const scale = RASTER_DPI / 72;
    for (let i = 0; i < n; i++) {
      const page = src.loadPage(i);
      const [x0, y0, x1, y1] = page.getBounds();
      const w = x1 - x0;
      const h = y1 - y0;
      if (!(w > 0 && h > 0) || w * h * scale * scale > 60_000_000) throw new CleanError("file.too_complex");
      // showExtras = false: annotations and widgets are not drawn, only the page content.
      const pix = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, false);
      const jpeg = pix.asJPEG(85, false);
      pix.destroy();
      const image = new mupdf.Image(jpeg);
      const resources = out.addObject({ XObject: { I: out.addImage(image) } });
      const contents = `q ${w} 0 0 ${h} 0 0 cm /I Do Q`;
      out.insertPage(-1, out.addPage([0, 0, w, h], 0, resources, contents));
      image.destroy();
      page.destroy();
    }
    return new Uint8Array(out.saveToBuffer("garbage=compact,compress,incremental=no").asUint8Array());
  } catch (e) {
    if (e instanceof CleanError) throw e;
    throw new CleanError("file.unreadable");
  } finally {
    out.destroy();
    src.destroy();
  }
}
