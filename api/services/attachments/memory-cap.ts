/**
 * A ceiling on WebAssembly memory in this thread. `resourceLimits` of a worker caps the V8 heap
 * only: MuPDF's WebAssembly memory is an ArrayBuffer outside it and would grow to 2 GiB.
 * Emscripten grows its heap with `WebAssembly.Memory.prototype.grow` inside a try/catch and
 * treats a throw as "out of memory": malloc returns NULL, MuPDF raises an error, and the
 * JavaScript call throws. So refusing growth past the cap here turns a bomb into an ordinary
 * error. Installed only in the cleaning worker (./worker.ts), before MuPDF is loaded; the
 * worker is then replaced, since the memory already grown is never given back.
 */
let capBytes = Number.POSITIVE_INFINITY;
let hit = false;
let installed = false;

export function capWasmMemory(bytes: number): void {
  capBytes = bytes;
  if (installed) return;
  installed = true;
  const grow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number): number {
    if (this.buffer.byteLength + delta * 65536 > capBytes) {
      hit = true;
      throw new RangeError("WebAssembly memory over the cleaning limit");
    }
    return grow.call(this, delta);
  };
}

/** True once a growth was refused in this thread (the thread should then be replaced). */
export function wasmMemoryCapHit(): boolean {
  return hit;
}

/** The largest WebAssembly memory size this thread asked for, for tests and logs. */
export function wasmCapBytes(): number {
  return capBytes;
}
