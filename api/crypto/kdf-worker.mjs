// The Argon2id worker of api/crypto/kdf-pool.ts: runs in a worker thread, never on the main one.
// Plain JavaScript on purpose: it is loaded as-is by piscina both when the app runs from source
// (tsx, vitest) and from the Astro build (dist/server), where no TypeScript loader is present.
// It uses the same libsodium-wrappers-sumo build as the main thread (api/crypto/sodium.ts).
import fs from "node:fs";
import os from "node:os";
import sodium from "libsodium-wrappers-sumo";
import { move, Piscina } from "piscina";

const ready = sodium.ready.then(() => sodium);

// Yield the CPU to the event loop: on Linux a thread has its own nice value, and
// /proc/thread-self names this thread's id. At nice 10 (KDF_NICE, the default) an Argon2id that
// competes with the main thread for a core gets about a tenth of it, so the portal keeps
// answering while logins wait their turn. Anywhere else (or if refused) the thread simply runs at
// normal priority.
const nice = Number(Piscina.workerData?.nice ?? 10);
if (nice > 0) {
  try {
    const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, Math.min(19, nice));
  } catch {
    // not Linux, or not allowed: normal priority
  }
}

/**
 * One task:
 * - { op: "hash", password, opslimit, memlimit } → crypto_pwhash_str string
 * - { op: "verify", hash, password } → boolean (false for a malformed hash)
 * - { op: "derive", bytes, passphrase, salt, opslimit, memlimit } → the key (moved, not copied,
 *   so no copy stays in this thread)
 */
export default async function run(task) {
  const s = await ready;
  switch (task.op) {
    case "hash":
      return s.crypto_pwhash_str(task.password, task.opslimit, task.memlimit);
    case "verify":
      try {
        return s.crypto_pwhash_str_verify(task.hash, task.password);
      } catch {
        return false;
      }
    case "derive": {
      const key = s.crypto_pwhash(
        task.bytes,
        task.passphrase,
        task.salt,
        task.opslimit,
        task.memlimit,
        s.crypto_pwhash_ALG_ARGON2ID13,
      );
      // A fresh buffer of exactly the key, so moving it hands over nothing else.
      const out = new Uint8Array(key);
      s.memzero(key);
      return move(out);
    }
    default:
      throw new Error("unknown kdf task");
  }
}
