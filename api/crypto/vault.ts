import fs from "node:fs";
import path from "node:path";
import type { KdfPool } from "./kdf-pool";
import { getSodium, type Sodium } from "./sodium";

/**
 * The identity vault: an X25519 key pair. The public key seals identities at intake; the
 * private key exists on disk only wrapped (secretbox) under keys derived with Argon2id from each
 * custodian's passphrase.
 */
export interface CustodianSlot {
  name: string;
  salt: string;
  opslimit: number;
  memlimit: number;
  wrapped: string; // base64: nonce || secretbox(privateKey)
}

export interface VaultFile {
  version: 1;
  publicKey: string; // base64
  custodians: CustodianSlot[];
}

export interface KdfParams {
  opslimit: number;
  memlimit: number;
}

export class VaultError extends Error {}

const b64 = (s: Sodium, u: Uint8Array) => s.to_base64(u, s.base64_variants.ORIGINAL);
const unb64 = (s: Sodium, t: string) => s.from_base64(t, s.base64_variants.ORIGINAL);

export async function defaultKdf(): Promise<KdfParams> {
  const s = await getSodium();
  return { opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE, memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE };
}

/** The cheapest Argon2id libsodium allows; for tests only. */
export async function testKdf(): Promise<KdfParams> {
  const s = await getSodium();
  return { opslimit: s.crypto_pwhash_OPSLIMIT_MIN, memlimit: s.crypto_pwhash_MEMLIMIT_MIN };
}

async function wrapFor(
  s: Sodium,
  name: string,
  passphrase: string,
  privateKey: Uint8Array,
  kdf: KdfParams,
  pool?: KdfPool,
): Promise<CustodianSlot> {
  if (passphrase.length < 12) throw new VaultError("custodian passphrase must be at least 12 characters");
  const salt = s.randombytes_buf(s.crypto_pwhash_SALTBYTES);
  const key = pool
    ? await pool.deriveKey({
        bytes: s.crypto_secretbox_KEYBYTES,
        passphrase,
        salt,
        opslimit: kdf.opslimit,
        memlimit: kdf.memlimit,
      })
    : s.crypto_pwhash(
        s.crypto_secretbox_KEYBYTES,
        passphrase,
        salt,
        kdf.opslimit,
        kdf.memlimit,
        s.crypto_pwhash_ALG_ARGON2ID13,
      );
  const nonce = s.randombytes_buf(s.crypto_secretbox_NONCEBYTES);
  const boxed = s.crypto_secretbox_easy(privateKey, nonce, key);
  s.memzero(key);
  const wrapped = new Uint8Array(nonce.length + boxed.length);
  wrapped.set(nonce);
  wrapped.set(boxed, nonce.length);
  return {
    name,
    salt: b64(s, salt),
    opslimit: kdf.opslimit,
    memlimit: kdf.memlimit,
    wrapped: b64(s, wrapped),
  };
}

/**
 * A new vault with one custodian. With `pool` the Argon2id runs in a worker thread: its 256 MiB
 * of WebAssembly memory then goes with the thread instead of staying in this one's for good.
 */
export async function createVault(
  custodian: { name: string; passphrase: string },
  kdf?: KdfParams,
  pool?: KdfPool,
): Promise<VaultFile> {
  const s = await getSodium();
  const kp = s.crypto_box_keypair();
  const slot = await wrapFor(
    s,
    custodian.name,
    custodian.passphrase,
    kp.privateKey,
    kdf ?? (await defaultKdf()),
    pool,
  );
  s.memzero(kp.privateKey);
  return { version: 1, publicKey: b64(s, kp.publicKey), custodians: [slot] };
}

export async function vaultPublicKey(vault: VaultFile): Promise<Uint8Array> {
  const s = await getSodium();
  return unb64(s, vault.publicKey);
}

/**
 * Unwraps the private key; throws VaultError for an unknown custodian or a wrong passphrase.
 * With `pool` the Argon2id runs in a worker thread (the running app: a 0.8 s derivation must not
 * stall the event loop); without, on this thread (admin CLI, tests).
 */
export async function unlockVault(
  vault: VaultFile,
  name: string,
  passphrase: string,
  pool?: KdfPool,
): Promise<Uint8Array> {
  const s = await getSodium();
  const slot = vault.custodians.find((c) => c.name === name);
  if (!slot) throw new VaultError("not a custodian of this vault");
  const salt = unb64(s, slot.salt);
  const key = pool
    ? await pool.deriveKey({
        bytes: s.crypto_secretbox_KEYBYTES,
        passphrase,
        salt,
        opslimit: slot.opslimit,
        memlimit: slot.memlimit,
      })
    : s.crypto_pwhash(
        s.crypto_secretbox_KEYBYTES,
        passphrase,
        salt,
        slot.opslimit,
        slot.memlimit,
        s.crypto_pwhash_ALG_ARGON2ID13,
      );
  const wrapped = unb64(s, slot.wrapped);
  const n = s.crypto_secretbox_NONCEBYTES;
  try {
    const priv = s.crypto_secretbox_open_easy(wrapped.subarray(n), wrapped.subarray(0, n), key);
    // The private key must match the public key the vault publishes.
    if (!s.memcmp(s.crypto_scalarmult_base(priv), unb64(s, vault.publicKey))) {
      throw new VaultError("vault key does not match its public key");
    }
    return priv;
  } catch (e) {
    if (e instanceof VaultError) throw e;
    throw new VaultError("wrong passphrase");
  } finally {
    s.memzero(key);
  }
}

/** A custodian who holds the vault adds another custodian (or replaces their own passphrase). */
export async function addCustodian(
  vault: VaultFile,
  by: { name: string; passphrase: string },
  added: { name: string; passphrase: string },
  kdf?: KdfParams,
): Promise<VaultFile> {
  const s = await getSodium();
  const priv = await unlockVault(vault, by.name, by.passphrase);
  try {
    const slot = await wrapFor(s, added.name, added.passphrase, priv, kdf ?? (await defaultKdf()));
    return { ...vault, custodians: [...vault.custodians.filter((c) => c.name !== added.name), slot] };
  } finally {
    s.memzero(priv);
  }
}

export async function changePassphrase(
  vault: VaultFile,
  name: string,
  oldPassphrase: string,
  newPassphrase: string,
  kdf?: KdfParams,
): Promise<VaultFile> {
  return addCustodian(vault, { name, passphrase: oldPassphrase }, { name, passphrase: newPassphrase }, kdf);
}

export function readVaultFile(file: string): VaultFile {
  const v = JSON.parse(fs.readFileSync(file, "utf8")) as VaultFile;
  if (v.version !== 1 || !v.publicKey || !Array.isArray(v.custodians))
    throw new VaultError(`${file} is not a vault`);
  return v;
}

/** Writes atomically (temp file + rename) with owner-only permissions. */
export function writeSecretFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function writeVaultFiles(vaultFile: string, publicKeyFile: string, vault: VaultFile): void {
  writeSecretFile(vaultFile, `${JSON.stringify(vault, null, 2)}\n`);
  writeSecretFile(publicKeyFile, `${vault.publicKey}\n`);
}
