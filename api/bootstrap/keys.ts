import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import type { Keys } from "../context";
import { getSodium } from "../crypto/sodium";
import { createVault, writeSecretFile, writeVaultFiles } from "../crypto/vault";

export interface SecretsFile {
  serverKey: string; // hex
}

export class KeysMissing extends Error {}

function readHexKey(file: string): Uint8Array {
  const hex = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} must hold 64 hex characters`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/**
 * Loads the process's keys. Only the vault's *public* key is read: the wrapped private key in
 * the vault file is opened by the custodian verb alone, with a passphrase.
 */
export async function loadKeys(config: Config): Promise<Keys> {
  const s = await getSodium();
  const missing = [config.vaultPublicKeyFile, config.trackingKeyFile, config.secretsFile].filter(
    (f) => !fs.existsSync(f),
  );
  if (missing.length > 0) {
    throw new KeysMissing(
      `Missing key files: ${missing.join(", ")}. Run \`npm run admin -- init\` (or start once with the embedded database).`,
    );
  }
  const pub = s.from_base64(
    fs.readFileSync(config.vaultPublicKeyFile, "utf8").trim(),
    s.base64_variants.ORIGINAL,
  );
  if (pub.length !== s.crypto_box_PUBLICKEYBYTES)
    throw new Error(`${config.vaultPublicKeyFile} is not a public key`);
  const secrets = JSON.parse(fs.readFileSync(config.secretsFile, "utf8")) as SecretsFile;
  return {
    vaultPublicKey: pub,
    trackingKey: readHexKey(config.trackingKeyFile),
    serverKey: Uint8Array.from(Buffer.from(secrets.serverKey, "hex")),
  };
}

/**
 * Creates whatever key material is missing: the tracking-code key, the server secret, and the
 * vault (with one custodian whose passphrase is returned so it can be written down once).
 */
export async function initKeys(
  config: Config,
  opts: { custodian?: string; passphrase?: string } = {},
): Promise<{ created: string[]; custodian?: { name: string; passphrase: string } }> {
  const s = await getSodium();
  const created: string[] = [];
  if (!fs.existsSync(config.trackingKeyFile)) {
    writeSecretFile(config.trackingKeyFile, `${Buffer.from(s.randombytes_buf(32)).toString("hex")}\n`);
    created.push(config.trackingKeyFile);
  }
  if (!fs.existsSync(config.secretsFile)) {
    const secrets: SecretsFile = { serverKey: Buffer.from(s.randombytes_buf(32)).toString("hex") };
    writeSecretFile(config.secretsFile, `${JSON.stringify(secrets, null, 2)}\n`);
    created.push(config.secretsFile);
  }
  let custodian: { name: string; passphrase: string } | undefined;
  if (!fs.existsSync(config.vaultFile)) {
    const name = opts.custodian ?? "custodian";
    const passphrase =
      opts.passphrase ?? s.to_base64(s.randombytes_buf(18), s.base64_variants.URLSAFE_NO_PADDING);
    const vault = await createVault({ name, passphrase });
    writeVaultFiles(config.vaultFile, config.vaultPublicKeyFile, vault);
    created.push(config.vaultFile, config.vaultPublicKeyFile);
    custodian = { name, passphrase };
  } else if (!fs.existsSync(config.vaultPublicKeyFile)) {
    const vault = JSON.parse(fs.readFileSync(config.vaultFile, "utf8")) as { publicKey: string };
    writeSecretFile(config.vaultPublicKeyFile, `${vault.publicKey}\n`);
    created.push(config.vaultPublicKeyFile);
  }
  fs.mkdirSync(path.dirname(config.vaultFile), { recursive: true });
  return { created, custodian };
}
