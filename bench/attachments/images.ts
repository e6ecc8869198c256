/**
 * Resident memory of the process that owns the cleaning pool while N reports of 5 large photos
 * each are cleaned at once (each report's files one after the other, as prepareAttachments does).
 * Not a test: it prints numbers for bench/RESULTS.md.
 *
 *   npx tsx bench/attachments/images.ts [reports=4] [files=5] [megapixels=40]
 *
 * RSS is sampled every 20 ms (process.memoryUsage().rss: all threads, libvips included); the peak
 * is also read from the kernel (resourceUsage().maxRSS). "after" is the RSS 5 s after the last
 * file, with the pool still open (its threads idle, as in a running server).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { parseConfig } from "../../api/config";
import { createCleaner } from "../../api/services/attachments/pool";

const reports = Number(process.argv[2] ?? 4);
const files = Number(process.argv[3] ?? 5);
const mp = Number(process.argv[4] ?? 40);
process.argv[2] ??= String(reports);
process.argv[3] ??= String(files);
process.argv[4] ??= String(mp);

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

async function photo(seed: number): Promise<Uint8Array> {
  const width = Math.round(Math.sqrt((mp * 1_000_000 * 4) / 3));
  const height = Math.round((width * 3) / 4);
  // A smooth picture with some structure: a few MB as JPEG, like a phone photo of a document.
  const base = sharp({
    create: { width, height, channels: 3, background: { r: 40 + seed, g: 120, b: 200 } },
  });
  const svg = Buffer.from(
    `<svg width="${width}" height="${height}"><rect x="${width / 4}" y="${height / 4}" width="${width / 2}" height="${height / 2}" fill="#eee"/><circle cx="${width / 3}" cy="${height / 2}" r="${height / 5}" fill="#a33"/></svg>`,
  );
  return new Uint8Array(
    await base
      .composite([{ input: svg }])
      .withExif({ IFD0: { Artist: "bench" } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
}

// The photos are made in a child process, so that making them costs this process nothing.
const dir = path.join(tmpdir(), `qf-bench-photos-${mp}mp`);
if (process.argv[5] === "--make") {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(path.join(dir, `${i}.jpg`), await photo(i));
  process.exit(0);
}
if (!Array.from({ length: files }, (_, i) => path.join(dir, `${i}.jpg`)).every((f) => existsSync(f)))
  execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2, 5), "--make"],
    {
      stdio: "inherit",
    },
  );

const config = parseConfig({ DEMO: "off", CAPTCHA: "off" });
const cleaner = createCleaner(config);
const images: Uint8Array[] = [];
for (let i = 0; i < files; i++) images.push(new Uint8Array(readFileSync(path.join(dir, `${i}.jpg`))));
// Warm the pool with one small image so thread start-up is not counted as the load.
await cleaner.clean(
  { kind: "image", mediaType: "image/png", ext: "png" },
  new Uint8Array(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: "#fff" } })
      .png()
      .toBuffer(),
  ),
);
if (global.gc) global.gc();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const started = performance.now();
const outcomes = await Promise.all(
  Array.from({ length: reports }, async () => {
    const codes: string[] = [];
    for (const data of images) {
      const r = await cleaner.clean({ kind: "image", mediaType: "image/jpeg", ext: "jpg" }, data);
      codes.push(r.ok ? "ok" : r.code);
    }
    return codes;
  }),
);
const seconds = (performance.now() - started) / 1000;
await new Promise((r) => setTimeout(r, 5000));
clearInterval(timer);
const after = process.memoryUsage().rss;
const kernelPeak = process.resourceUsage().maxRSS * 1024;
await cleaner.close();

const tally = new Map<string, number>();
for (const c of outcomes.flat()) tally.set(c, (tally.get(c) ?? 0) + 1);
console.log(
  JSON.stringify({
    reports,
    files,
    megapixels: mp,
    jpegBytes: images.map((b) => b.length),
    threads: Math.min(config.cleanWorkers, availableParallelism()),
    maxPixels: config.cleanMaxPixels,
    outcomes: Object.fromEntries(tally),
    seconds: Number(seconds.toFixed(1)),
    rssBaseline: mb(baseline),
    rssPeakSampled: mb(peak),
    rssPeakKernel: mb(kernelPeak),
    rssAfter5s: mb(after),
  }),
);
