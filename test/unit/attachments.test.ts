import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import { cleanImage } from "../../api/services/attachments/clean-image";
import { detectType } from "../../api/services/attachments/detect";
import { attachmentName } from "../../api/services/attachments/file-name";
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
  mp3WithTags,
  mp4WithMetadata,
  PLANTED,
  pdfWithAuthor,
  pngWithText,
  zip,
} from "../fixtures/files";

beforeAll(async () => {
  await getSodium();
});

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
    expect((await detectType(mp4WithMetadata("video")))?.mediaType).toBe("video/mp4");
    expect((await detectType(mp4WithMetadata("audio")))?.ext).toBe("m4a");
    expect((await detectType(mp3WithTags()))?.mediaType).toBe("audio/mpeg");
  });
});

describe("file names", () => {
  it("are 附件N with the detected extension, whatever the reporter called the file", () => {
    expect(attachmentName(0, "png")).toBe("附件1.png");
    expect(attachmentName(4, "pdf")).toBe("附件5.pdf");
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
