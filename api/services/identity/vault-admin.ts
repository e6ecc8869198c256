import fs from "node:fs";
import type { Db } from "../../../db/client";
import type { Config } from "../../config";
import {
  addCustodian,
  changePassphrase,
  createVault,
  type KdfParams,
  readVaultFile,
  VaultError,
  writeVaultFiles,
} from "../../crypto/vault";
import { appendAudit } from "../audit/append";

// Custodian administration of the vault file (admin CLI). Each change rewrites the file
// atomically; the public key never changes, so sealed identities stay readable.

async function audit(db: Db | undefined, action: string, data: Record<string, unknown>): Promise<void> {
  if (db) await appendAudit(db, { actor: "system:admin-cli", action, data });
}

/** A clear error before anyone types a passphrase, when there is no vault file. */
export function requireVaultFile(config: Config): void {
  if (!fs.existsSync(config.vaultFile)) {
    throw new VaultError(
      `no identity vault at ${config.vaultFile}: run \`npm run admin -- init\` or \`vault init\` first`,
    );
  }
}

/** Creates the vault with its first custodian; refuses when a vault file exists. */
export async function initVault(
  config: Config,
  o: { custodian: string; passphrase: string; kdf?: KdfParams; db?: Db },
): Promise<void> {
  if (fs.existsSync(config.vaultFile)) {
    throw new VaultError(`${config.vaultFile} exists: refusing to overwrite the identity vault`);
  }
  const vault = await createVault({ name: o.custodian, passphrase: o.passphrase }, o.kdf);
  writeVaultFiles(config.vaultFile, config.vaultPublicKeyFile, vault);
  await audit(o.db, "vault.init", { custodian: o.custodian });
}

/** A custodian who holds the vault adds another (who then needs a staff account with role custodian). */
export async function addVaultCustodian(
  config: Config,
  o: { by: string; byPassphrase: string; name: string; passphrase: string; kdf?: KdfParams; db?: Db },
): Promise<void> {
  requireVaultFile(config);
  const vault = readVaultFile(config.vaultFile);
  if (vault.custodians.some((c) => c.name === o.name)) {
    throw new VaultError(`${o.name} is already a custodian (use \`vault passwd\` to change a passphrase)`);
  }
  const next = await addCustodian(
    vault,
    { name: o.by, passphrase: o.byPassphrase },
    { name: o.name, passphrase: o.passphrase },
    o.kdf,
  );
  writeVaultFiles(config.vaultFile, config.vaultPublicKeyFile, next);
  await audit(o.db, "vault.add_custodian", { by: o.by, custodian: o.name });
}

/** Re-wraps the private key under a new passphrase; the old one stops working at once. */
export async function changeVaultPassphrase(
  config: Config,
  o: { name: string; oldPassphrase: string; newPassphrase: string; kdf?: KdfParams; db?: Db },
): Promise<void> {
  requireVaultFile(config);
  const vault = readVaultFile(config.vaultFile);
  const next = await changePassphrase(vault, o.name, o.oldPassphrase, o.newPassphrase, o.kdf);
  writeVaultFiles(config.vaultFile, config.vaultPublicKeyFile, next);
  await audit(o.db, "vault.passwd", { custodian: o.name });
}
