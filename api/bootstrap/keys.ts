import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import type { Keys } from "../context";
import { ensureAnchorKey } from "../crypto/anchor";
import { createKdfPool } from "../crypto/kdf-pool";
import { attachmentKeyPair, purposeKey } from "../crypto/purpose-keys";
import { getSodium, sodiumSync } from "../crypto/sodium";
import { createVault, writeSecretFile, writeVaultFiles } from "../crypto/vault";

/**
 * Two host secrets instead of one (docs/security-trust.md):
 * - public-secrets.json, on every host: the public secret (captcha, rate limits, idempotency) and
 *   the attachments public key (intake seals clean copies' data keys to it);
 * - staff-secrets.json, on the staff host only: the staff secret (sessions, TOTP secrets,
 *   attachment keys, login back-off, identity grants). APP_ROLE=public never reads it.
 * secrets.json ({ serverKey }) is the format before the split: still read (every purpose key is
 * then that one key, so existing sessions, TOTP secrets and attachments keep working), with a
 * warning, until `admin secrets rotate` writes the two files.
 */
export interface PublicSecretsFile {
  publicKey: string; // hex, 32 bytes
  attachmentsPublicKey: string; // hex, X25519 public key
}

export interface StaffSecretsFile {
  staffKey: string; // hex, 32 bytes
}

/** The pre-split format (secrets.json). */
export interface LegacySecretsFile {
  serverKey: string; // hex
}

export class KeysMissing extends Error {}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function readHexKey(file: string): Uint8Array {
  const text = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${file} must hold 64 hex characters`);
  return Uint8Array.from(Buffer.from(text, "hex"));
}

function hexField(file: string, obj: Record<string, unknown>, field: string): Uint8Array {
  const v = obj[field];
  if (typeof v !== "string" || !/^[0-9a-f]{64}$/i.test(v)) {
    throw new Error(`${file}: "${field}" must hold 64 hex characters`);
  }
  return Uint8Array.from(Buffer.from(v, "hex"));
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

export const STAFF_PURPOSES = [
  "session",
  "totp",
  "attachments",
  "loginBackoff",
  "identityGrants",
  "personIds",
] as const;
export type StaffPurpose = (typeof STAFF_PURPOSES)[number];

/** Public purpose keys from the public secret. */
export function publicPurposeKeys(
  publicSecret: Uint8Array,
): Pick<Keys, "captcha" | "rateLimit" | "idempotency"> {
  return {
    captcha: purposeKey(publicSecret, "captcha"),
    rateLimit: purposeKey(publicSecret, "rate-limit"),
    idempotency: purposeKey(publicSecret, "idempotency"),
  };
}

/** Staff purpose keys from the staff secret. */
export function staffPurposeKeys(staffSecret: Uint8Array): Required<Pick<Keys, StaffPurpose>> {
  return {
    session: purposeKey(staffSecret, "session"),
    totp: purposeKey(staffSecret, "totp"),
    attachments: purposeKey(staffSecret, "attachments"),
    loginBackoff: purposeKey(staffSecret, "login-backoff"),
    identityGrants: purposeKey(staffSecret, "identity-grants"),
    personIds: purposeKey(staffSecret, "person-ids"),
  };
}

/** Fresh secrets in the split format (init, rotate). */
export function newSecretFiles(random: (n: number) => Uint8Array): {
  publicFile: PublicSecretsFile;
  staffFile: StaffSecretsFile;
} {
  const publicKey = random(32);
  const staffKey = random(32);
  const attachments = staffPurposeKeys(staffKey).attachments;
  return {
    publicFile: {
      publicKey: hex(publicKey),
      attachmentsPublicKey: hex(attachmentKeyPair(attachments).publicKey),
    },
    staffFile: { staffKey: hex(staffKey) },
  };
}

/**
 * Keys as a host with that APP_ROLE loads them, from fresh random secrets held only in memory
 * (tests, benchmarks): an APP_ROLE=public process gets no staff keys.
 */
export function ephemeralKeys(vaultPublicKey: Uint8Array, role: Config["role"] = "all"): Keys {
  const s = sodiumSync();
  const { publicFile, staffFile } = newSecretFiles((n) => s.randombytes_buf(n));
  const bytes = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
  return {
    vaultPublicKey,
    trackingKey: s.randombytes_buf(32),
    ...publicPurposeKeys(bytes(publicFile.publicKey)),
    attachmentsPublic: bytes(publicFile.attachmentsPublicKey),
    ...(role === "public" ? {} : staffPurposeKeys(bytes(staffFile.staffKey))),
  };
}

export interface LoadKeysOptions {
  /** Told once when the pre-split secrets.json is in use. */
  warn?: (message: string) => void;
}

/**
 * Loads the process's keys. Only the vault's *public* key is read: the wrapped private key in
 * the vault file is opened by the custodian verb alone, with a passphrase. An APP_ROLE=public
 * process loads the public secret only.
 */
export async function loadKeys(config: Config, opts: LoadKeysOptions = {}): Promise<Keys> {
  const s = await getSodium();
  const split = fs.existsSync(config.publicSecretsFile);
  const legacy = !split && fs.existsSync(config.secretsFile);
  const needed = [config.vaultPublicKeyFile, config.trackingKeyFile];
  if (!legacy) {
    needed.push(config.publicSecretsFile);
    if (config.role !== "public") needed.push(config.staffSecretsFile);
  }
  const missing = needed.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new KeysMissing(
      `Missing key files: ${missing.join(", ")}. Run \`npm run admin -- init\` (or start once with the embedded database)` +
        (config.role === "public"
          ? "; a public host needs public-secrets.json copied from the staff host."
          : "."),
    );
  }
  const pub = s.from_base64(
    fs.readFileSync(config.vaultPublicKeyFile, "utf8").trim(),
    s.base64_variants.ORIGINAL,
  );
  if (pub.length !== s.crypto_box_PUBLICKEYBYTES)
    throw new Error(`${config.vaultPublicKeyFile} is not a public key`);
  const base = { vaultPublicKey: pub, trackingKey: readHexKey(config.trackingKeyFile) };

  if (legacy) {
    opts.warn?.(
      `${config.secretsFile} holds one server secret for every purpose, so a public host holding it can forge staff sessions: run \`npm run admin -- secrets rotate\` to split it into ${path.basename(config.publicSecretsFile)} and ${path.basename(config.staffSecretsFile)}`,
    );
    const serverKey = hexField(config.secretsFile, readJson(config.secretsFile), "serverKey");
    // Every purpose key is the old server key itself: the services derive their sub-keys from it
    // exactly as before, so what was made under it (sessions, TOTP, attachments) still opens.
    const keys: Keys = {
      ...base,
      captcha: serverKey,
      rateLimit: serverKey,
      idempotency: serverKey,
      attachmentsPublic: attachmentKeyPair(serverKey).publicKey,
    };
    if (config.role !== "public") for (const p of STAFF_PURPOSES) keys[p] = serverKey;
    return keys;
  }

  const pubFile = readJson(config.publicSecretsFile);
  const keys: Keys = {
    ...base,
    ...publicPurposeKeys(hexField(config.publicSecretsFile, pubFile, "publicKey")),
    attachmentsPublic: hexField(config.publicSecretsFile, pubFile, "attachmentsPublicKey"),
  };
  if (config.role !== "public") {
    const staffSecret = hexField(config.staffSecretsFile, readJson(config.staffSecretsFile), "staffKey");
    Object.assign(keys, staffPurposeKeys(staffSecret));
    // Intake seals data keys to the public file's key: it must be the staff secret's own.
    if (!s.memcmp(attachmentKeyPair(keys.attachments!).publicKey, keys.attachmentsPublic)) {
      throw new Error(
        `${config.publicSecretsFile} and ${config.staffSecretsFile} do not belong together (attachmentsPublicKey): copy both from the same \`admin init\` or \`secrets rotate\``,
      );
    }
  }
  return keys;
}

/**
 * Creates whatever key material is missing: the tracking-code key, the two host secrets (unless
 * the pre-split secrets.json is in use), the vault (with one custodian whose passphrase is
 * returned so it can be written down once), and with `anchor` the trail anchor's signing key.
 */
export async function initKeys(
  config: Config,
  opts: { custodian?: string; passphrase?: string; anchor?: boolean } = {},
): Promise<{ created: string[]; custodian?: { name: string; passphrase: string } }> {
  const s = await getSodium();
  const created: string[] = [];
  if (!fs.existsSync(config.trackingKeyFile)) {
    writeSecretFile(config.trackingKeyFile, `${hex(s.randombytes_buf(32))}\n`);
    created.push(config.trackingKeyFile);
  }
  if (!fs.existsSync(config.publicSecretsFile) && !fs.existsSync(config.secretsFile)) {
    const { publicFile, staffFile } = newSecretFiles((n) => s.randombytes_buf(n));
    writeSecretFile(config.staffSecretsFile, `${JSON.stringify(staffFile, null, 2)}\n`);
    writeSecretFile(config.publicSecretsFile, `${JSON.stringify(publicFile, null, 2)}\n`);
    created.push(config.publicSecretsFile, config.staffSecretsFile);
  }
  let custodian: { name: string; passphrase: string } | undefined;
  if (!fs.existsSync(config.vaultFile)) {
    const name = opts.custodian ?? "custodian";
    const passphrase =
      opts.passphrase ?? s.to_base64(s.randombytes_buf(18), s.base64_variants.URLSAFE_NO_PADDING);
    // In a worker thread of a pool of its own, closed at once: the derivation's 256 MiB of
    // WebAssembly memory leaves with it instead of staying in the server's main thread.
    const pool = createKdfPool({ maxThreads: 1 });
    const vault = await createVault({ name, passphrase }, undefined, pool).finally(() => pool.close());
    writeVaultFiles(config.vaultFile, config.vaultPublicKeyFile, vault);
    created.push(config.vaultFile, config.vaultPublicKeyFile);
    custodian = { name, passphrase };
  } else if (!fs.existsSync(config.vaultPublicKeyFile)) {
    const vault = JSON.parse(fs.readFileSync(config.vaultFile, "utf8")) as { publicKey: string };
    writeSecretFile(config.vaultPublicKeyFile, `${vault.publicKey}\n`);
    created.push(config.vaultPublicKeyFile);
  }
  if (opts.anchor && ensureAnchorKey(config.anchorKeyFile, config.anchorPublicKeyFile)) {
    created.push(config.anchorKeyFile, config.anchorPublicKeyFile);
  }
  fs.mkdirSync(path.dirname(config.vaultFile), { recursive: true });
  return { created, custodian };
}
