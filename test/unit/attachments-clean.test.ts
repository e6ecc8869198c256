import { unzipSync } from "fflate";
import { createFile, MP4BoxBuffer } from "mp4box";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { cleanDocx } from "../../api/services/attachments/clean-docx";
import { CleanError } from "../../api/services/attachments/clean-error";
import { cleanImage } from "../../api/services/attachments/clean-image";
import { cleanMp3, mp3Frames } from "../../api/services/attachments/clean-mp3";
import { cleanMp4 } from "../../api/services/attachments/clean-mp4";
import { cleanPdf, findForbidden, loadMupdf, rasterise } from "../../api/services/attachments/clean-pdf";
import { detectType } from "../../api/services/attachments/detect";
import { rewriteXml, XmlError } from "../../api/services/attachments/xml-rewrite";
import {
  box,
  contains,
  DELETED_TEXT,
  DOCX_LEAKS,
  DOCX_PLANTED,
  docxHostile,
  docxLeaky,
  docxWithAuthor,
  MEDIA_PLANTED,
  mp3WithTags,
  mp4WithMetadata,
  PDF_ORIGINAL_ID,
  PLANTED,
  pdfAllText,
  pdfInfoElsewhere,
  pdfWithAuthor,
  pdfWithHistory,
  zip,
} from "../fixtures/files";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof CleanError ? e.code : `other: ${String(e)}`;
  }
  return "no error";
};

describe("PDF: rewritten through MuPDF", () => {
  it("keeps no earlier revision: text deleted in an incremental update is gone", async () => {
    const original = pdfWithHistory();
    expect(pdfAllText(original)).toContain(DELETED_TEXT);
    const { data, method } = await cleanPdf(original);
    expect(method).toBe("rewrite");
    const all = pdfAllText(data);
    expect(all).not.toContain(DELETED_TEXT);
    expect(all).toContain("Current evidence");
    const text = Buffer.from(data).toString("latin1");
    expect(text.split("%%EOF").length - 1).toBe(1);
    expect(text.split("startxref").length - 1).toBe(1);
  });

  it("drops /OpenAction JavaScript, page actions, URI links, /Info and XMP", async () => {
    const mupdf = await loadMupdf();
    const original = pdfWithHistory();
    expect(findForbidden(mupdf, original)).toEqual(
      expect.arrayContaining(["revisions", "Info", "Metadata", "OpenAction", "JavaScript", "AA", "URI"]),
    );
    const { data } = await cleanPdf(original);
    expect(findForbidden(mupdf, data)).toEqual([]);
    const all = pdfAllText(data);
    for (const s of [
      PLANTED.author,
      PLANTED.company,
      "beacon.example",
      "/JS",
      "/OpenAction",
      "QFWriter",
      "xmpmeta",
    ])
      expect(all, s).not.toContain(s);
    const doc = mupdf.Document.openDocument(data, "application/pdf");
    expect(doc.countPages()).toBe(1);
    doc.destroy();
  });

  it("zeroes the EXIF of a photo inside the PDF, keeping the page's text", async () => {
    for (const original of [await pdfWithAuthor(), await pdfWithAuthor({ objectStreamInfo: true })]) {
      const { data } = await cleanPdf(original);
      const all = pdfAllText(data);
      for (const s of [PLANTED.author, PLANTED.company, PLANTED.device]) expect(all, s).not.toContain(s);
      expect(all).toContain("Evidence page");
    }
  });

  it("zeroes the EXIF of a photo stored as [/FlateDecode /DCTDecode], and keeps it a photo", async () => {
    const mupdf = await loadMupdf();
    const original = await pdfWithAuthor({ flateJpeg: true });
    expect(pdfAllText(original)).toContain(PLANTED.device);
    const { data, method } = await cleanPdf(original);
    expect(method).toBe("rewrite");
    const all = pdfAllText(data);
    for (const s of [PLANTED.author, PLANTED.company, PLANTED.device]) expect(all, s).not.toContain(s);
    expect(all).toContain("Evidence page");
    // The picture still decodes, at its size.
    const doc = mupdf.PDFDocument.openDocument(
      data,
      "application/pdf",
    ) as unknown as import("mupdf").PDFDocument;
    let found = 0;
    for (let num = 1; num < doc.countObjects(); num++) {
      const ref = doc.newIndirect(num);
      if (ref.isStream() && ref.resolve().get("Subtype").toString() === "/Image") {
        expect(ref.resolve().get("Filter").toString()).toBe("/DCTDecode");
        const meta = await sharp(ref.readRawStream().asUint8Array()).metadata();
        expect([meta.width, meta.height]).toEqual([64, 48]);
        found++;
      }
    }
    expect(found).toBe(1);
    doc.destroy();
  });

  it("a JPEG 2000 image (metadata boxes it cannot scrub) sends the PDF to the rasterised copy", async () => {
    const original = await pdfWithAuthor({ jpx: true });
    expect(pdfAllText(original)).toContain(PLANTED.author);
    const { data, method } = await cleanPdf(original);
    expect(method).toBe("raster");
    expect(pdfAllText(data)).not.toContain(PLANTED.author);
  });

  it("drops Info reached from elsewhere, custom catalog keys, Info-like dictionaries, and the /ID", async () => {
    const mupdf = await loadMupdf();
    const original = pdfInfoElsewhere();
    const { data, method } = await cleanPdf(original);
    expect(method).toBe("rewrite");
    const all = pdfAllText(data);
    for (const s of [PLANTED.author, PLANTED.company, PLANTED.device, "QFWriter", "/Foo"])
      expect(all, s).not.toContain(s);
    expect(all).toContain("Current evidence");
    const doc = mupdf.PDFDocument.openDocument(
      data,
      "application/pdf",
    ) as unknown as import("mupdf").PDFDocument;
    const ids = doc.getTrailer().get("ID");
    expect(ids.isArray()).toBe(true);
    for (let i = 0; i < ids.length; i++)
      expect(Buffer.from(ids.get(i).asByteString()).toString("hex").toUpperCase()).not.toBe(PDF_ORIGINAL_ID);
    expect(doc.getTrailer().get("Root").get("PageMode").asName()).toBe("UseNone");
    const firstId = Buffer.from(ids.get(0).asByteString());
    doc.destroy();
    // Two clean copies of the same file do not share an identifier either.
    const again = mupdf.PDFDocument.openDocument(
      (await cleanPdf(original)).data,
      "application/pdf",
    ) as unknown as import("mupdf").PDFDocument;
    expect(Buffer.from(again.getTrailer().get("ID").get(0).asByteString())).not.toEqual(firstId);
    again.destroy();
  });

  it("the raster fallback is images only: no text, no objects from the original", async () => {
    const mupdf = await loadMupdf();
    const data = rasterise(mupdf, pdfWithHistory());
    expect(findForbidden(mupdf, data)).toEqual([]);
    const all = pdfAllText(data);
    expect(all).not.toContain("Current evidence");
    expect(all).not.toContain(DELETED_TEXT);
    expect(all).toContain("/DCTDecode");
    const doc = mupdf.Document.openDocument(data, "application/pdf");
    expect(doc.countPages()).toBe(1);
    doc.destroy();
  });

  it("refuses what is not a PDF MuPDF can read", async () => {
    for (const junk of ["%PDF-1.4\n1 0 obj << /Author (unterminated", "%PDF-"]) {
      await expect(cleanPdf(Buffer.from(junk, "latin1"))).rejects.toBeInstanceOf(CleanError);
    }
  });
});

describe("DOCX", () => {
  it("drops external relationships, the attached template, field links, customXml and authors", async () => {
    const original = await docxHostile();
    const originalText = Object.values(unzipSync(original))
      .map((b) => Buffer.from(b).toString("utf8"))
      .join("\n");
    for (const s of Object.values(DOCX_PLANTED)) expect(originalText, s).toContain(s);

    const clean = cleanDocx(original);
    const parts = unzipSync(clean);
    const all = Object.values(parts)
      .map((b) => Buffer.from(b).toString("utf8"))
      .join("\n");
    for (const s of [...Object.values(DOCX_PLANTED), PLANTED.author, PLANTED.company, "beacon.example"])
      expect(all, s).not.toContain(s);
    expect(all).not.toMatch(/TargetMode\s*=\s*["']External/i);
    expect(all).not.toContain("attachedTemplate");
    expect(all).not.toContain("INCLUDEPICTURE");
    expect(Object.keys(parts).some((n) => n.toLowerCase().startsWith("customxml/"))).toBe(false);
    expect(Buffer.from(parts["[Content_Types].xml"]).toString()).not.toContain("customXml");
    // The embedded object is an empty placeholder; the text and the link's words stay.
    expect(parts["word/embeddings/oleObject1.bin"].length).toBe(0);
    const doc = Buffer.from(parts["word/document.xml"]).toString();
    expect(doc).toContain("Evidence text");
    expect(doc).toContain("link text");
    expect(doc).toContain('w:author=""');
    expect((await detectType(clean))?.ext).toBe("docx");
  });

  it("empties document properties and photo EXIF of an ordinary document", async () => {
    const clean = cleanDocx(await docxWithAuthor());
    const parts = unzipSync(clean);
    const all = Object.values(parts).map((b) => Buffer.from(b).toString("latin1"));
    for (const s of [PLANTED.author, PLANTED.company, PLANTED.device])
      expect(
        all.some((t) => t.includes(s)),
        s,
      ).toBe(false);
    expect((await sharp(parts["word/media/image1.jpeg"]).metadata()).width).toBe(64);
  });

  it("blanks picture paths, drops mail merge, docVars, the thumbnail, altChunk parts and outside links", async () => {
    const original = await docxLeaky();
    const before = Object.values(unzipSync(original)).map((b) => Buffer.from(b).toString("latin1"));
    expect(before.some((t) => t.includes("wangxm"))).toBe(true);
    const parts = unzipSync(cleanDocx(original));
    const names = Object.keys(parts);
    const all = Object.values(parts)
      .map((b) => `${Buffer.from(b).toString("utf8")}\n${Buffer.from(b).toString("latin1")}`)
      .join("\n");
    for (const s of [
      "wangxm",
      DOCX_LEAKS.docVar,
      DOCX_LEAKS.altChunk,
      "evil.example",
      "beacon.example",
      "connectString",
      "<script",
      PLANTED.author,
      PLANTED.device,
      PLANTED.company,
    ])
      expect(all, s).not.toContain(s);
    expect(names).not.toContain("docProps/thumbnail.jpeg");
    expect(names).not.toContain("word/afchunk.html");
    for (const [rels, gone] of [
      ["_rels/.rels", "thumbnail"],
      ["word/_rels/document.xml.rels", "afchunk"],
      ["[Content_Types].xml", "afchunk"],
      ["[Content_Types].xml", "thumbnail"],
    ])
      expect(Buffer.from(parts[rels]).toString(), `${rels} ${gone}`).not.toContain(gone);
    const doc = Buffer.from(parts["word/document.xml"]).toString();
    const settings = Buffer.from(parts["word/settings.xml"]).toString();
    expect(settings).not.toContain("mailMerge");
    expect(settings).not.toContain("docVars");
    expect(doc).not.toContain("altChunk");
    // What makes the pictures show stays: ids, the schema URI, internal r:id references.
    expect(doc).toContain('<wp:docPr id="1" name="" descr="" title=""/>');
    expect(doc).toContain('<pic:cNvPr id="0" name="" descr=""/>');
    expect(doc).toContain('uri="http://schemas.openxmlformats.org/drawingml/2006/picture"');
    expect(doc).toContain('<v:imagedata r:id="rId6"/>');
    expect(doc).toContain('<v:imagedata o:title=""/>');
    expect(doc).toContain("Evidence text");
    // Photos are found by their bytes: the .jfif and the nameless one are still pictures.
    for (const n of ["word/media/image2.jfif", "word/media/image3"])
      expect((await sharp(parts[n]).metadata()).width, n).toBe(64);
    // The TIFF, whose tags are not cleaned here, is a blank 1×1 TIFF now.
    const tiff = await sharp(parts["word/media/image4.tiff"]).metadata();
    expect([tiff.format, tiff.width, tiff.height]).toEqual(["tiff", 1, 1]);
  });

  it("refuses a zip bomb before inflating it, and what is not a zip", () => {
    const bomb = zip({
      "[Content_Types].xml": "<x/>",
      "word/document.xml": new Uint8Array(33 * 1024 * 1024),
    });
    expect(bomb.length).toBeLessThan(100_000);
    expect(code(() => cleanDocx(bomb))).toBe("file.too_complex");
    expect(code(() => cleanDocx(Buffer.from("PK not really")))).toBe("file.unreadable");
    const broken = zip({ "[Content_Types].xml": "<Types>", "word/document.xml": "<w:document/>" });
    expect(code(() => cleanDocx(broken))).toBe("file.unreadable");
  });
});

describe("images", () => {
  it("an image over the pixel limit is refused as too complex before it is decoded", async () => {
    const big = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: "#123" } })
      .jpeg()
      .toBuffer();
    await expect(cleanImage(big, "image/jpeg", 1_999_999)).rejects.toMatchObject({
      code: "file.too_complex",
    });
    const ok = await cleanImage(big, "image/jpeg", 2_000_000);
    expect((await sharp(ok).metadata()).width).toBe(2000);
    await expect(cleanImage(Buffer.from("not an image"), "image/png")).rejects.toMatchObject({
      code: "file.unreadable",
    });
  });
});

describe("the XML rewriter", () => {
  it("reads both quote styles and drops comments; refuses DOCTYPE", () => {
    const out = rewriteXml(
      `<?xml version="1.0"?><a x='1' y = "2"><!-- hidden --><b w:author='Wang "W"'/>text</a>`,
      (tag) => (tag.name === "b" ? { attrs: tag.attrs.map((a) => ({ ...a, value: "" })) } : undefined),
    );
    expect(out).toBe(`<?xml version="1.0"?><a x="1" y="2"><b w:author=""/>text</a>`);
    expect(() => rewriteXml('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', () => undefined)).toThrow(XmlError);
    expect(() => rewriteXml("<a><b></a>", () => undefined)).toThrow(XmlError);
  });
});

/** Tracks (type, sample count) as mp4box reads them; also fails on a parse error. */
function mp4Tracks(data: Uint8Array): [string, number][] {
  const f = createFile();
  let error = "";
  f.onError = (m: string, e: string) => {
    error = `${m} ${e}`;
  };
  f.appendBuffer(MP4BoxBuffer.fromArrayBuffer(data.slice().buffer as ArrayBuffer, 0));
  f.flush();
  expect(error).toBe("");
  return f.getInfo().tracks.map((t) => [t.type ?? "", t.nb_samples]);
}

describe("MP4 and M4A", () => {
  it.each(["video", "audio"] as const)(
    "%s: ©xyz, ©nam, ©too, XMP and track user data are gone; same tracks and samples",
    (kind) => {
      const original = mp4WithMetadata(kind);
      for (const s of Object.values(MEDIA_PLANTED)) expect(contains(original, s), s).toBe(true);
      const clean = cleanMp4(original);
      for (const s of [...Object.values(MEDIA_PLANTED), "©xyz", "©too", "©nam", "xmpmeta"])
        expect(contains(clean, s), s).toBe(false);
      expect(mp4Tracks(clean)).toEqual(mp4Tracks(original));
      expect(mp4Tracks(clean)[0][1]).toBe(10);
      // The media data is byte for byte the same, at the same offset.
      const mdat = Buffer.from(original).indexOf("mdat");
      expect(Buffer.from(clean).subarray(mdat).equals(Buffer.from(original).subarray(mdat))).toBe(true);
      // The creation times (seconds since 1904) are zeroed.
      expect(contains(clean, Buffer.from([0xe2, 0x80, 0x5f, 0x00]).toString("latin1"))).toBe(false);
    },
  );

  it("refuses a file whose boxes do not add up", () => {
    const bad = Buffer.from(mp4WithMetadata("video"));
    const moov = bad.indexOf("moov") - 4;
    bad.writeUInt32BE(bad.length * 2, moov);
    expect(code(() => cleanMp4(bad))).toBe("file.unreadable");
    expect(code(() => cleanMp4(box("ftyp", "isom")))).toBe("file.unreadable");
  });
});

describe("MP3", () => {
  it("keeps the audio frames only: ID3v2, APEv2 and ID3v1 are gone", () => {
    const original = mp3WithTags(20);
    for (const s of [MEDIA_PLANTED.comment, "13912345678"]) expect(contains(original, s), s).toBe(true);
    const clean = cleanMp3(original);
    for (const s of [...Object.values(MEDIA_PLANTED), "13912345678", "ID3", "TAG", "APETAGEX"])
      expect(contains(clean, s), s).toBe(false);
    expect([clean[0], clean[1] & 0xe0]).toEqual([0xff, 0xe0]);
    expect(mp3Frames(clean).length).toBe(20);
    expect(clean.length).toBe(20 * 417);
  });

  it("refuses a file with no audio frames", () => {
    expect(
      code(() =>
        cleanMp3(new Uint8Array(Buffer.from("ID3\x03\x00\x00\x00\x00\x00\x00junk junk junk", "latin1"))),
      ),
    ).toBe("file.unreadable");
  });
});
