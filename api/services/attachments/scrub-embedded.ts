/**
 * Metadata inside images that are embedded in other files (a photo in a PDF or a DOCX), where
 * re-encoding is not an option. Both functions work on a copy.
 */

/**
 * JPEG: the payload of every APPn segment except APP0 (JFIF), APP2 (ICC colour profile) and
 * APP14 (Adobe colour transform), and of every COM segment, is overwritten with zeros. EXIF
 * (with GPS), XMP and IPTC live in APP1 and APP13. Lengths stay the same, so the function is
 * safe inside a PDF stream; a decoder skips an APPn segment it does not recognise.
 */
export function scrubJpegSegments(input: Uint8Array): Uint8Array {
  const b = new Uint8Array(input);
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return b;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) break;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image: no more headers
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2 || i + 2 + len > b.length) break;
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const keep = marker === 0xe0 || marker === 0xe2 || marker === 0xee;
    if ((isApp && !keep) || marker === 0xfe) b.fill(0, i + 4, i + 2 + len);
    i += 2 + len;
  }
  return b;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_DROP = new Set(["tEXt", "iTXt", "zTXt", "eXIf", "tIME"]);

/** PNG: text chunks (author, software, comments), EXIF and the modification time are dropped. */
export function scrubPngChunks(input: Uint8Array): Uint8Array {
  if (input.length < 8 || PNG_SIGNATURE.some((v, k) => input[k] !== v)) return new Uint8Array(input);
  const parts: Uint8Array[] = [input.subarray(0, 8)];
  let i = 8;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  while (i + 12 <= input.length) {
    const len = view.getUint32(i);
    const end = i + 12 + len;
    if (end > input.length) break;
    const type = String.fromCharCode(...input.subarray(i + 4, i + 8));
    if (!PNG_DROP.has(type)) parts.push(input.subarray(i, end));
    i = end;
    if (type === "IEND") break;
  }
  return Buffer.concat(parts);
}
