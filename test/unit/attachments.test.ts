import { inflateRawSync, inflateSync } from "node:zlib";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import { cleanDocx, DocxError } from "../../api/services/attachments/clean-docx";
import { cleanImage } from "../../api/services/attachments/clean-image";
import { cleanPdf } from "../../api/services/attachments/clean-pdf";
import { detectType } from "../../api/services/attachments/detect";
import { cleanFileName } from "../../api/services/attachments/file-name";
import { scrubJpegSegments } from "../../api/services/attachments/scrub-embedded";
import {
  AttachmentCryptoError,
  attachmentAd,
  decryptFile,
  encryptFile,
  newDataKey,
} from "../../api/services/attachments/seal-file";
import {
  contains,
  docxWithAuthor,
  exeBytes,
  gpsJpeg,
  PLANTED,
  pdfWithAuthor,
  pngWithText,
  zip,
} from "../fixtures/files";

beforeAll(async () => {
  await getSodium();
});

/** Reads the entries of a zip with the central directory, as an office suite would. */
function unzip(data: Uint8Array): Record<string, Buffer> {
  const b = Buffer.from(data);
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out: Record<string, Buffer> = {};
  for (let k = 0; k < count; k++) {
    expect(b.readUInt32LE(p)).toBe(0x02014b50);
    const method = b.readUInt16LE(p + 10);
    const csize = b.readUInt32LE(p + 20);
    const nameLen = b.readUInt16LE(p + 28);
    const extra = b.readUInt16LE(p + 30);
    const comment = b.readUInt16LE(p + 32);
    const local = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(start, start + csize);
    out[name] = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

/** Every "n 0 obj" the classic xref table points to is really there: offsets survived. */
function xrefHolds(pdf: Uint8Array): boolean {
  const text = Buffer.from(pdf).toString("latin1");
  const at = Number(/startxref\s+(\d+)/.exec(text)![1]);
  const table = text.slice(at).split("\n");
  const [first, count] = table[1].split(" ").map(Number);
  for (let k = 0; k < count; k++) {
    const [off, , kind] = table[2 + k].trim().split(" ");
    if (kind !== "n") continue;
    if (!text.startsWith(`${first + k} 0 obj`, Number(off))) return false;
  }
  return true;
}

describe("file type by content", () => {
  it("accepts what the bytes are, refuses a program whatever it is called", async () => {
    expect((await detectType(await gpsJpeg()))?.mediaType).toBe("image/jpeg");
    expect((await detectType(await pngWithText()))?.mediaType).toBe("image/png");
    expect((await detectType(await pdfWithAuthor()))?.mediaType).toBe("application/pdf");
    expect((await detectType(await docxWithAuthor()))?.ext).toBe("docx");
    expect(await detectType(exeBytes())).toBeUndefined();
    expect(await detectType(new Uint8Array())).toBeUndefined();
    expect(await detectType(new TextEncoder().encode("<script>alert(1)</script>"))).toBeUndefined();
    expect(await detectType(zip({ "a.txt": "plain zip" }))).toBeUndefined();
  });
});

describe("file names", () => {
  it("drops paths, control and bidi characters, and takes the detected extension", () => {
    expect(cleanFileName("C:\\Users\\zhang\\Desktop\\证据.jpg", "jpg")).toBe("证据.jpg");
    expect(cleanFileName("../../etc/passwd", "pdf")).toBe("passwd.pdf");
    expect(cleanFileName("invoice\u202Egpj.exe", "pdf")).toBe("invoicegpj.pdf");
    expect(cleanFileName("a\u0000b\u200Bc\r\n.png", "png")).toBe("abc.png");
    expect(cleanFileName("photo.jpg", "png")).toBe("photo.png");
    expect(cleanFileName("...", "pdf", "附件1")).toBe("附件1.pdf");
    expect(cleanFileName("CON.txt", "pdf")).toBe("_CON.pdf");
    expect(cleanFileName('a<b>:"c|d?*.docx', "docx")).toBe("a_b___c_d__.docx");
    const long = cleanFileName("长".repeat(500), "mp4");
    expect(Array.from(long).length).toBe(104);
    expect(long.endsWith(".mp4")).toBe(true);
  });
});

describe("images", () => {
  it("re-encodes a photo without EXIF or GPS, keeping its orientation", async () => {
    const original = await gpsJpeg();
    expect(contains(original, PLANTED.device)).toBe(true);
    const clean = await cleanImage(original, "image/jpeg");
    const meta = await sharp(clean).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    for (const s of [PLANTED.author, PLANTED.device, "Exif", "GPS"]) expect(contains(clean, s)).toBe(false);
    // Orientation 6 (rotate 90°): the pixels now stand upright, 48 wide and 64 high.
    expect([meta.width, meta.height]).toEqual([48, 64]);
  });

  it("drops PNG metadata", async () => {
    const clean = await cleanImage(await pngWithText(), "image/png");
    expect(contains(clean, PLANTED.author)).toBe(false);
    expect((await sharp(clean).metadata()).exif).toBeUndefined();
  });

  it("refuses a corrupted image", async () => {
    const bad = (await gpsJpeg()).slice(0, 200);
    await expect(cleanImage(bad, "image/jpeg")).rejects.toThrow();
  });

  it("zeroes EXIF segments of an embedded JPEG without changing its length", async () => {
    const original = await gpsJpeg();
    const scrubbed = scrubJpegSegments(original);
    expect(scrubbed.length).toBe(original.length);
    expect(contains(scrubbed, PLANTED.author)).toBe(false);
    expect(contains(scrubbed, "Exif")).toBe(false);
    expect((await sharp(scrubbed).metadata()).width).toBe(64);
  });
});

describe("PDF metadata", () => {
  it("clears the Info dictionary, the XMP stream and embedded photos' EXIF in place", async () => {
    const original = await pdfWithAuthor();
    expect(contains(original, PLANTED.author)).toBe(true);
    const clean = cleanPdf(original);
    expect(clean.length).toBe(original.length);
    for (const s of [PLANTED.author, PLANTED.company, PLANTED.device, "Wang", "Writer"]) {
      expect(contains(clean, s), s).toBe(false);
    }
    expect(contains(clean, "Evidence page")).toBe(true);
    expect(xrefHolds(clean)).toBe(true);
    expect(Buffer.from(clean).toString("latin1")).toMatch(/\/Author \( +\)/);
    // The original is untouched.
    expect(contains(original, PLANTED.author)).toBe(true);
  });

  it("cleans an Info dictionary inside a compressed object stream", async () => {
    const original = await pdfWithAuthor({ objectStreamInfo: true });
    const clean = Buffer.from(cleanPdf(original));
    const text = clean.toString("latin1");
    const m = /\/Type \/ObjStm[\s\S]*?stream\n/.exec(text)!;
    const start = m.index + m[0].length;
    const end = text.indexOf("endstream", start);
    const inner = inflateSync(clean.subarray(start, end - 1)).toString("latin1");
    expect(inner).toContain("/Author (");
    expect(inner).not.toContain(PLANTED.author);
    expect(xrefHolds(clean)).toBe(true);
  });

  it("survives hostile input without throwing", () => {
    for (const junk of [
      "%PDF-1.4\n1 0 obj << /Author (unterminated",
      "%PDF-1.7\ntrailer << /Info 99 0 R >>",
      "%PDF-",
    ]) {
      expect(() => cleanPdf(Buffer.from(junk, "latin1"))).not.toThrow();
    }
  });
});

describe("DOCX metadata", () => {
  it("empties document properties, revision authors and photo EXIF, keeping the text", async () => {
    const original = await docxWithAuthor();
    const clean = cleanDocx(original);
    const entries = unzip(clean);
    expect(Object.keys(entries).sort()).toEqual(Object.keys(unzip(original)).sort());
    const all = Object.values(entries).map((b) => b.toString("latin1"));
    for (const s of [PLANTED.author, PLANTED.company, PLANTED.device]) {
      expect(
        all.some((t) => t.includes(s)),
        s,
      ).toBe(false);
    }
    expect(entries["word/document.xml"].toString()).toContain("Evidence text");
    expect(entries["word/document.xml"].toString()).toContain('w:author=""');
    expect((await detectType(clean))?.ext).toBe("docx");
    expect((await sharp(entries["word/media/image1.jpeg"]).metadata()).width).toBe(64);
  });

  it("refuses a part that inflates past its ceiling (a zip bomb)", () => {
    const bomb = zip({ "word/document.xml": new Uint8Array(33 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => cleanDocx(bomb)).toThrow(DocxError);
  });

  it("refuses a zip it will not rewrite", () => {
    const enc = Buffer.from(zip({ "word/document.xml": "<x/>" }));
    const cd = enc.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    enc.writeUInt16LE(1, cd + 8); // "encrypted"
    expect(() => cleanDocx(enc)).toThrow(DocxError);
    expect(() => cleanDocx(Buffer.from("PK not really"))).toThrow(DocxError);
  });
});

describe("encryption at rest", () => {
  it("round-trips, binds the context and detects truncation", () => {
    const key = newDataKey();
    const data = new Uint8Array(200_000).map((_, i) => i % 251);
    const ad = attachmentAd("case", "att", "clean");
    const cipher = encryptFile(key, data, ad);
    expect(Buffer.from(decryptFile(key, cipher, ad)).equals(Buffer.from(data))).toBe(true);
    expect(() => decryptFile(key, cipher, attachmentAd("case", "att", "original"))).toThrow(
      AttachmentCryptoError,
    );
    expect(() => decryptFile(key, cipher.subarray(0, cipher.length - 100), ad)).toThrow(
      AttachmentCryptoError,
    );
    // Dropping the final chunk exactly: the last remaining chunk is not tagged FINAL.
    expect(() => decryptFile(key, cipher.subarray(0, 24 + 65536 + 17), ad)).toThrow(AttachmentCryptoError);
    expect(() => decryptFile(newDataKey(), cipher, ad)).toThrow(AttachmentCryptoError);
    const empty = encryptFile(key, new Uint8Array(), ad);
    expect(decryptFile(key, empty, ad).length).toBe(0);
  });
});
