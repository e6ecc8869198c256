import fs from "node:fs";
import { VaultError } from "../../api/crypto/vault";
import {
  addVaultCustodian,
  changeVaultPassphrase,
  initVault,
  requireVaultFile,
} from "../../api/services/identity/vault-admin";
import { required } from "../args";
import { newSecret } from "../ask";
import { command } from "../command";

export const vaultInitCommand = command({
  usage: "vault init [--custodian NAME]",
  summary:
    "create the identity vault with its first custodian (passphrase from stdin or prompt); refuses to overwrite",
  options: { custodian: { type: "string" } },
  async run(ctx, args) {
    const custodian = args.values.custodian ?? "custodian";
    if (fs.existsSync(ctx.config.vaultFile))
      throw new VaultError(`${ctx.config.vaultFile} exists: refusing to overwrite the identity vault`);
    const passphrase = await newSecret(ctx, `vault passphrase for ${custodian} (12+ characters): `);
    await initVault(ctx.config, { custodian, passphrase, kdf: ctx.kdf, db: (await ctx.deps()).db });
    ctx.out(
      `created ${ctx.config.vaultFile} and ${ctx.config.vaultPublicKeyFile} with custodian ${custodian}`,
    );
  },
});

export const vaultAddCustodianCommand = command({
  usage: "vault add-custodian --by NAME --name NEW",
  summary: "a custodian adds another (stdin: the first's passphrase, then the new one's)",
  options: { by: { type: "string" }, name: { type: "string" } },
  async run(ctx, args) {
    const by = required(args.values, "by");
    const name = required(args.values, "name");
    requireVaultFile(ctx.config);
    const byPassphrase = await ctx.readSecret(`vault passphrase of ${by}: `);
    const passphrase = await newSecret(ctx, `new vault passphrase for ${name} (12+ characters): `);
    await addVaultCustodian(ctx.config, {
      by,
      byPassphrase,
      name,
      passphrase,
      kdf: ctx.kdf,
      db: (await ctx.deps()).db,
    });
    ctx.out(
      `${name} is now a custodian of ${ctx.config.vaultFile}; to unseal in the console they also need a staff account with role custodian and username ${name}`,
    );
  },
});

export const vaultPasswdCommand = command({
  usage: "vault passwd --name NAME",
  summary: "change a custodian's vault passphrase (stdin: old, then new); re-wraps the vault key",
  options: { name: { type: "string" } },
  async run(ctx, args) {
    const name = required(args.values, "name");
    requireVaultFile(ctx.config);
    const oldPassphrase = await ctx.readSecret(`current vault passphrase of ${name}: `);
    const newPassphrase = await newSecret(ctx, "new vault passphrase (12+ characters): ");
    await changeVaultPassphrase(ctx.config, {
      name,
      oldPassphrase,
      newPassphrase,
      kdf: ctx.kdf,
      db: (await ctx.deps()).db,
    });
    ctx.out(`changed the vault passphrase of ${name}`);
  },
});
