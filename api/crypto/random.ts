import { randomBytes as nodeRandomBytes } from "node:crypto";

/**
 * Random bytes from the operating system's CSPRNG via node:crypto. libsodium-wrappers' WASM
 * randombytes_buf asks crypto.getRandomValues for 4 bytes at a time, which made randomness most
 * of the cost of sealing a report; the source (the OS CSPRNG) is the same.
 */
export function randomBytes(n: number): Uint8Array {
  const b = nodeRandomBytes(n);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
