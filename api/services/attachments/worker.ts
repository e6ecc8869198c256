import { type MessagePort, threadId } from "node:worker_threads";
import { CleanError, type CleanErrorCode } from "./clean-error";
import { capWasmMemory, wasmMemoryCapHit } from "./memory-cap";

/**
 * The cleaning worker (a piscina thread; ./pool.ts). Each task is one file: its detected kind
 * and bytes in, the clean copy or an error code out. Nothing here logs, and nothing of the file
 * leaves the thread but the answer.
 *
 * Limits: the V8 heap is capped by the pool's resourceLimits; WebAssembly memory (MuPDF) by
 * ./memory-cap.ts at the same size; time by the pool (the thread is terminated). After a task
 * that hit the memory cap the thread must go: memory a WebAssembly
 * instance grew is never returned: the answer asks the pool to terminate the thread, and the
 * pool starts a fresh one.
 */
export interface CleanTask {
  kind: "image" | "pdf" | "docx" | "audio" | "video";
  mediaType: string;
  data: Uint8Array;
  memoryMb: number;
  /** CLEAN_MAX_PIXELS: the largest image decoded (width × height). */
  maxPixels?: number;
  /** Told when work on this file starts: the pool's time limit runs from then. */
  started?: MessagePort;
}

export type CleanAnswer = (
  | { ok: true; data: Uint8Array; note?: string }
  | { ok: false; code: CleanErrorCode }
) & { recycle?: number };

let configured = false;

function setup(memoryMb: number): void {
  if (configured) return;
  configured = true;
  capWasmMemory(memoryMb * 1024 * 1024);
  // MuPDF's warnings would go to the process's stderr: they are dropped (they can quote a
  // broken file's contents, and the request log says all that is needed).
  (globalThis as Record<string, unknown>).$libmupdf_wasm_Module = { print() {}, printErr() {} };
}

async function clean(task: CleanTask): Promise<{ data: Uint8Array; note?: string }> {
  switch (task.kind) {
    case "image": {
      const { cleanImage } = await import("./clean-image");
      return {
        data: await cleanImage(task.data, task.mediaType as "image/jpeg" | "image/png", task.maxPixels),
      };
    }
    case "pdf": {
      const { cleanPdf } = await import("./clean-pdf");
      const r = await cleanPdf(task.data);
      return { data: r.data, note: r.method };
    }
    case "docx": {
      const { cleanDocx } = await import("./clean-docx");
      return { data: cleanDocx(task.data) };
    }
    case "audio":
    case "video": {
      if (task.mediaType === "audio/mpeg") {
        const { cleanMp3 } = await import("./clean-mp3");
        return { data: cleanMp3(task.data) };
      }
      const { cleanMp4 } = await import("./clean-mp4");
      return { data: cleanMp4(task.data) };
    }
  }
}

export default async function run(task: CleanTask): Promise<CleanAnswer> {
  setup(task.memoryMb);
  // Loading MuPDF (compiling its WebAssembly) is the thread's cost, not the file's: before the clock.
  if (task.kind === "pdf") await import("./clean-pdf").then((m) => m.loadMupdf());
  task.started?.postMessage("start");
  task.started?.close();
  let answer: CleanAnswer;
  try {
    const r = await clean(task);
    answer = { ok: true, ...r };
  } catch (e) {
    const code: CleanErrorCode = wasmMemoryCapHit()
      ? "file.too_complex"
      : e instanceof CleanError
        ? e.code
        : e instanceof RangeError
          ? "file.too_complex" // an ArrayBuffer or string too large to allocate
          : "file.unreadable";
    answer = { ok: false, code };
  }
  // The pool terminates this thread when asked to recycle it (./pool.ts).
  if (wasmMemoryCapHit()) return { ...answer, recycle: threadId };
  return answer;
}
