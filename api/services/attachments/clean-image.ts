import sharp from "sharp";

/** A 40-megapixel ceiling: any phone photo passes, a decompression bomb does not. */
const MAX_PIXELS = 40_000_000;

/**
 * Re-encodes a JPEG or PNG without any of its metadata (EXIF with GPS, XMP, IPTC, comments):
 * sharp writes none unless asked (no withMetadata/keepExif here). `.rotate()` first applies the
 * EXIF orientation to the pixels, so the picture still stands the right way up once the
 * orientation tag is gone.
 */
export async function cleanImage(
  data: Uint8Array,
  mediaType: "image/jpeg" | "image/png",
): Promise<Uint8Array> {
  const img = sharp(data, { limitInputPixels: MAX_PIXELS, failOn: "error" }).rotate();
  const out =
    mediaType === "image/jpeg" ? await img.jpeg({ quality: 90 }).toBuffer() : await img.png().toBuffer();
  return new Uint8Array(out);
}
