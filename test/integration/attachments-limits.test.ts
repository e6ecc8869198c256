import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportRoute } from "../../api/routes/public";
import { mp3WithTags, pdfBomb, pdfWithHistory } from "../fixtures/files";
import { expectProblem } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { rowCounts } from "../helpers/inspect";
import { anonymousReport } from "../helpers/reports";

/** Inflated size of the bomb's one content stream; the file itself is well under 1 MB. */
const BOMB_MB = 400;

function multipart(name: string, ...files: Uint8Array[]): FormData {
  const form = new FormData();
  form.set("report", JSON.stringify(anonymousReport()));
  for (const data of files)
    form.append("files", new Blob([data as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), name);
  return form;
}

/** A plain PNG of width × height pixels (a few KB: one colour). */
const png = async (width: number, height: number) =>
  new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .png()
      .toBuffer(),
  );

const errorsOf = async (res: Response) =>
  (await expectProblem(res, reportRoute, 422)).errors?.map((e) => `${e.path}:${e.code}`);

describe("a hostile file costs a cleaning thread its limits, not the server", () => {
  let bomb: Uint8Array;
  beforeAll(async () => {
    bomb = await pdfBomb(BOMB_MB);
    expect(bomb.length).toBeLessThan(1024 * 1024);
  });

  describe.each(dbKinds())("on %s", (kind) => {
    let rig: TestRig;
    let slow: TestRig;
    beforeAll(async () => {
      rig = await createRig(kind, {
        env: { CLEAN_MEMORY_MB: "64", CLEAN_WORKERS: "1", CLEAN_MAX_PIXELS: "1000000" },
      });
      // Memory enough for the whole bomb, time for almost nothing: the time limit must act.
      slow = await createRig(kind, {
        env: { CLEAN_MEMORY_MB: "2048", CLEAN_TIMEOUT_MS: "100", CLEAN_WORKERS: "1" },
      });
    });
    afterAll(async () => {
      await rig?.destroy();
      await slow?.destroy();
    });
    const send = (r: TestRig, form: FormData) =>
      r.app.request("/api/v1/reports", { method: "POST", body: form });

    it("a PDF bomb is refused (422 file.too_complex) within the memory cap, while others are answered", async () => {
      const before = await rowCounts(rig.deps.db);
      const peakBefore = process.resourceUsage().maxRSS * 1024; // this process, its threads included
      const pending = send(rig, multipart("bomb.pdf", bomb));
      // The event loop is free while the worker chews: the health check answers meanwhile.
      const health = await rig.app.request("/api/v1/healthz");
      expect(health.status).toBe(200);
      const res = await pending;
      expect(res.status).toBe(422);
      expect(await errorsOf(res)).toEqual(["files[0]:file.too_complex"]);
      expect(await rowCounts(rig.deps.db)).toEqual(before);
      // The peak resident memory of the whole process grew by far less than the bomb inflates to.
      const grew = process.resourceUsage().maxRSS * 1024 - peakBefore;
      expect(grew).toBeLessThan((BOMB_MB / 2) * 1024 * 1024);
      // The thread that hit the cap was replaced: the next report with a PDF goes through.
      const next = await send(rig, multipart("ok.pdf", pdfWithHistory()));
      expect(next.status).toBe(201);
    });

    it("an image over CLEAN_MAX_PIXELS is refused as file.too_complex; one under it is cleaned", async () => {
      const before = await rowCounts(rig.deps.db);
      const big = await send(rig, multipart("big.png", await png(1001, 1000)));
      expect(big.status).toBe(422);
      expect(await errorsOf(big)).toEqual(["files[0]:file.too_complex"]);
      expect(await rowCounts(rig.deps.db)).toEqual(before);
      const ok = await send(rig, multipart("ok.png", await png(1000, 1000)));
      expect(ok.status).toBe(201);
    });

    it("a file over the time limit is refused, its thread replaced, and the next file cleaned", async () => {
      const res = await send(slow, multipart("bomb.pdf", bomb));
      expect(res.status).toBe(422);
      expect(await errorsOf(res)).toEqual(["files[0]:file.too_complex"]);
      expect((await slow.app.request("/api/v1/healthz")).status).toBe(200);
      // A fresh thread takes the next file (an MP3: pure JavaScript, far inside the limit).
      const next = await send(slow, multipart("a.mp3", mp3WithTags()));
      expect(next.status).toBe(201);
    });
  });
});
