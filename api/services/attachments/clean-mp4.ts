import { CleanError } from "./clean-error";

/**
 * MP4, M4A and QuickTime MOV (ISO base media file format): metadata boxes are blanked in
 * place. A box to remove keeps its size and becomes a `free` box filled with zeros, which every
 * player skips (ISO/IEC 14496-12 §8.1.2: free space may occur in any container). No byte moves,
 * so the sample tables (`stco`/`co64` chunk offsets into `mdat`) stay exact and the media plays
 * as before, whether `moov` comes before or after `mdat`.
 *
 * Blanked, at any depth under the file, `moov`, `trak`, `mdia`, `minf`, `stbl`, `edts`, `dinf`,
 * `mvex`, `moof` and `traf`:
 * - `udta` (QuickTime user data: ©xyz location, ©mak/©mod device, ©nam title, ©day, ©too
 *   encoder, ©ART, ©cmt…) and `meta` (iTunes/QuickTime `ilst`/`keys`: the same and
 *   com.apple.quicktime.location.ISO6709, make, model, software, creation date);
 * - `uuid` boxes (XMP, Sony/GoPro/camera vendor data), `XMP_`, `free`/`skip`/`wide` (old bytes
 *   left behind by an editor);
 * - at the top level, every box other than `ftyp`, `moov`, `mdat`, `moof`, `mfra`, `styp`,
 *   `sidx`, `ssix` and `prft` (e.g. `pdin`, `bxml`, vendor boxes).
 * The creation and modification times in `mvhd`, `tkhd` and `mdhd` are set to 0.
 *
 * Not cleaned: what is in the media itself (faces, voices, a timed-metadata track's samples
 * inside `mdat`, such as a camera's per-frame GPS track: see docs/security-files.md).
 * A file whose box tree does not parse to its exact length is refused (file.unreadable).
 */

const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "mvex", "moof", "traf"]);
const DROP_ANYWHERE = new Set(["udta", "meta", "uuid", "XMP_", "free", "skip", "wide"]);
const KEEP_TOP = new Set(["ftyp", "moov", "mdat", "moof", "mfra", "styp", "sidx", "ssix", "prft", "free"]);
const TIMES = new Set(["mvhd", "tkhd", "mdhd"]);

interface Box {
  type: string;
  start: number;
  headerSize: number;
  end: number;
}

function readBoxes(b: Uint8Array, v: DataView, from: number, to: number): Box[] {
  const out: Box[] = [];
  let p = from;
  while (p < to) {
    if (to - p < 8) throw new CleanError("file.unreadable");
    let size = v.getUint32(p);
    const type = String.fromCharCode(b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
    let headerSize = 8;
    if (size === 1) {
      if (to - p < 16) throw new CleanError("file.unreadable");
      const big = v.getBigUint64(p + 8);
      if (big > BigInt(to - p)) throw new CleanError("file.unreadable");
      size = Number(big);
      headerSize = 16;
    } else if (size === 0) {
      size = to - p; // to the end of the enclosing space (allowed for the last box)
    }
    if (size < headerSize || p + size > to) throw new CleanError("file.unreadable");
    out.push({ type, start: p, headerSize, end: p + size });
    p += size;
  }
  return out;
}

/** Turns a box into a zero-filled `free` box of the same size (its header form kept). */
function blank(b: Uint8Array, box: Box): void {
  b.set([0x66, 0x72, 0x65, 0x65], box.start + 4); // "free"
  b.fill(0, box.start + box.headerSize, box.end);
}

function zeroTimes(b: Uint8Array, box: Box): void {
  const p = box.start + box.headerSize;
  if (box.end - p < 4) return;
  const version = b[p];
  const fields = version === 1 ? 16 : 8; // creation + modification, 64 or 32 bits each
  if (box.end - p < 4 + fields) throw new CleanError("file.unreadable");
  b.fill(0, p + 4, p + 4 + fields);
}

function walk(b: Uint8Array, v: DataView, from: number, to: number, top: boolean, depth: number): void {
  if (depth > 16) throw new CleanError("file.unreadable");
  for (const box of readBoxes(b, v, from, to)) {
    if (top && !KEEP_TOP.has(box.type)) blank(b, box);
    else if (DROP_ANYWHERE.has(box.type)) blank(b, box);
    else if (CONTAINERS.has(box.type)) walk(b, v, box.start + box.headerSize, box.end, false, depth + 1);
    else if (TIMES.has(box.type)) zeroTimes(b, box);
  }
}

export function cleanMp4(input: Uint8Array): Uint8Array {
  const b = new Uint8Array(input); // a copy: the original is kept as it came
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const top = readBoxes(b, v, 0, b.length);
  // Old QuickTime files may lack ftyp; none lacks moov (the sample tables).
  if (!top.some((x) => x.type === "moov")) throw new CleanError("file.unreadable");
  walk(b, v, 0, b.length, true, 0);
  return b;
}
