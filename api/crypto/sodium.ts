import sodium from "libsodium-wrappers-sumo";

let ready: Promise<typeof sodium> | undefined;

/** libsodium (sumo build: the plain one has no Argon2id), initialized once. */
export function getSodium(): Promise<typeof sodium> {
  ready ??= sodium.ready.then(() => sodium);
  return ready;
}

/** For code that runs after startup awaited getSodium(). */
export function sodiumSync(): typeof sodium {
  if (!ready) throw new Error("libsodium used before getSodium() was awaited");
  return sodium;
}

export type Sodium = typeof sodium;
