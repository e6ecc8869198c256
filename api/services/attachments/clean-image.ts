import sharp, { type Metadata } from "sharp";
import { CleanError } from "./clean-error";

/** CLEAN_MAX_PIXELS' default: a 48-megapixel phone photo passes, a decompression bomb does not. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

let configured = false;
/**
 * libvips' memory is outside V8's heap and the WebAssembly cap, so it is bounded here: no
 * operation cache (which would keep decoded images alive after the task), one libvips thread
 * per image (each thread has its own tile buffers), and no image larger than `maxPixels`.
 * These settings are per process (libvips is shared by all threads); set once, in the worker.
 */
export function configureSharp(): void {
  if (configured) return;
  configured = true;
  sharp.cache(false);
  sharp.concurrency(1);
}

/**
 * Re-encodes a JPEG or PNG without any of its metadata (EXIF with GPS, XMP, IPTC, comments):
 * sharp writes none unless asked (no withMetadata/keepExif here). `.rotate()` first applies the
 * EXIF orientation to the pixels, so the picture still stands the right way up once the
 * orientation tag is gone. The size is read from the header first: over `maxPixels` the image
 * is refused (`file.too_complex`) before anything is decoded.
 */
export async function cleanImage(
  data: Uint8Array,
  mediaType: "image/jpeg" | "image/png",
  maxPixels: number = DEFAULT_MAX_PIXELS,
): Promise<Uint8Array> {
  configureSharp();
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new CleanError("file.unreadable");
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0) * Math.max(1, meta.pages ?? 1);
  if (!(pixels > 0)) throw new CleanError("file.unreadable");
  if (pixels > maxPixels) throw new CleanError("file.too_complex");
  try {
    // Turning the picture needs all of it in memory; an upright one streams through in strips.
    const upright = (meta.orientation ?? 1) === 1;
    const img = sharp(data, { limitInputPixels: maxPixels, failOn: "error", sequentialRead: true });
    if (!upright) img.rotate();
    const out =
      mediaType === "image/jpeg" ? await img.jpeg({ quality: 90 }).toBuffer() : await img.png().toBuffer();
    return new Uint8Array(out);
  } catch {
    throw new CleanError("file.unreadable");
  }
}
