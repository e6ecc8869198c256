import { CleanError } from "./clean-error";

/**
 * MP3: the clean copy is the MPEG audio frames and nothing else. Tags are cut by their own size
 * fields — ID3v2 at the start (10-byte header with a syncsafe size, +10 with a footer; several
 * in a row are all cut), ID3v2 appended at the end (found by its "3DI" footer), APEv2 (found by
 * its "APETAGEX" footer, with or without a header), Lyrics3v2, ID3v1 ("TAG", 128 bytes) and the
 * enhanced "TAG+" block (227 bytes) — and then the frames are walked from header to header, so
 * anything else between or after them (unknown tags, junk) is dropped too. The first frame's
 * Xing/Info/LAME header is kept: it holds the encoder's name and the frame count, which players
 * need for seeking, nothing about the person.
 * A file in which fewer than one frame, or less than half of the bytes, is audio is refused.
 */

const BITRATES: Record<string, number[]> = {
  // kbit/s by index 1..14, for [MPEG version][layer]
  "1-1": [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  "1-2": [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  "1-3": [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  "2-1": [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  "2-2": [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  "2-3": [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG 1
  2: [22050, 24000, 16000], // MPEG 2
  0: [11025, 12000, 8000], // MPEG 2.5
};

/** The length of the MPEG audio frame whose header starts at `p`, or 0 when it is not one. */
export function frameLength(b: Uint8Array, p: number): number {
  if (p + 4 > b.length || b[p] !== 0xff || (b[p + 1] & 0xe0) !== 0xe0) return 0;
  const versionBits = (b[p + 1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5, 1 reserved
  const layerBits = (b[p + 1] >> 1) & 3; // 3 = I, 2 = II, 1 = III, 0 reserved
  const bitrateIndex = b[p + 2] >> 4;
  const rateIndex = (b[p + 2] >> 2) & 3;
  const padding = (b[p + 2] >> 1) & 1;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return 0;
  const layer = 4 - layerBits;
  const mpeg1 = versionBits === 3;
  const kbps = BITRATES[`${mpeg1 ? 1 : 2}-${layer}`][bitrateIndex - 1];
  const rate = SAMPLE_RATES[versionBits][rateIndex];
  if (layer === 1) return Math.floor((12 * kbps * 1000) / rate + padding) * 4;
  const perFrame = layer === 3 && !mpeg1 ? 72 : 144;
  return Math.floor((perFrame * kbps * 1000) / rate) + padding;
}

const ascii = (b: Uint8Array, p: number, s: string) => {
  if (p < 0 || p + s.length > b.length) return false;
  for (let i = 0; i < s.length; i++) if (b[p + i] !== s.charCodeAt(i)) return false;
  return true;
};
const syncsafe = (b: Uint8Array, p: number) =>
  ((b[p] & 0x7f) << 21) | ((b[p + 1] & 0x7f) << 14) | ((b[p + 2] & 0x7f) << 7) | (b[p + 3] & 0x7f);

/** [start, end) of the audio once the tags at both ends are cut off. */
export function audioRange(b: Uint8Array): [number, number] {
  let start = 0;
  while (ascii(b, start, "ID3") && start + 10 <= b.length) {
    const footer = (b[start + 5] & 0x10) !== 0;
    start += 10 + syncsafe(b, start + 6) + (footer ? 10 : 0);
  }
  let end = b.length;
  for (let changed = true; changed && end > start; ) {
    changed = false;
    if (end - 128 >= start && ascii(b, end - 128, "TAG")) {
      end -= 128;
      if (end - 227 >= start && ascii(b, end - 227, "TAG+")) end -= 227;
      changed = true;
    }
    if (end - 32 >= start && ascii(b, end - 32, "APETAGEX")) {
      const v = new DataView(b.buffer, b.byteOffset + end - 32, 32);
      const size = v.getUint32(12, true); // footer + items, without the header
      const hasHeader = (v.getUint32(20, true) & 0x80000000) !== 0;
      end = Math.max(start, end - size - (hasHeader ? 32 : 0));
      changed = true;
    }
    if (end - 15 >= start && ascii(b, end - 9, "LYRICS200")) {
      const size = Number(String.fromCharCode(...b.subarray(end - 15, end - 9)));
      if (Number.isFinite(size)) {
        end = Math.max(start, end - 15 - size);
        changed = true;
      }
    }
    if (end - 10 >= start && ascii(b, end - 10, "3DI")) {
      end = Math.max(start, end - 20 - syncsafe(b, end - 4));
      changed = true;
    }
  }
  return [start, end];
}

/** The audio frames, in order, found by walking from header to header (resyncing over junk). */
export function mp3Frames(b: Uint8Array, start = 0, end = b.length): [number, number][] {
  const frames: [number, number][] = [];
  let p = start;
  while (p + 4 <= end) {
    const len = frameLength(b, p);
    // A frame counts when the next one (or the end) follows it: a lone 0xFFE sync is not enough.
    if (len > 4 && p + len <= end && (p + len === end || frameLength(b, p + len) > 0 || p + len + 4 > end)) {
      frames.push([p, p + len]);
      p += len;
    } else p++;
  }
  return frames;
}

export function cleanMp3(input: Uint8Array): Uint8Array {
  const [start, end] = audioRange(input);
  const frames = mp3Frames(input, start, end);
  const total = frames.reduce((n, [s, e]) => n + e - s, 0);
  if (frames.length === 0 || total * 2 < end - start) throw new CleanError("file.unreadable");
  const out = new Uint8Array(total);
  let o = 0;
  for (const [s, e] of frames) {
    out.set(input.subarray(s, e), o);
    o += e - s;
  }
  return out;
}
