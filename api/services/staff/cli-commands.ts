import fs from "node:fs";
import { initKeys } from "../../bootstrap/keys";
import { ROLES } from "../../context";
import { generatePassword } from "../../crypto/password";
import { otpauthUri } from "../../crypto/totp";
import { VaultError } from "../../crypto/vault";
import { type FieldError, problems } from "../../errors";
import {
  addVaultCustodian,
  changeVaultPassphrase,
  initVault,
  requireVaultFile,
} from "../identity/vault-admin";
import { type CliContext, type Command, checkFlags, flag, UsageError } from "./cli-kit";
import { addStaff, disableStaff, listStaff, setStaffPassword } from "./manage";
import { beginTotpEnrolment, confirmTotpEnrolment, resetTotp, TOTP_ISSUER } from "./totp";
import { checkOffice, checkRoles, checkUsername } from "./validate";

// The admin CLI's commands (thin: parse flags, call one verb, print). Registered in
// scripts/admin-commands.ts. Secrets are read from stdin lines when stdin is not a terminal
// (scripts), else prompted without echo; a generated password is printed once on stdout.

/** A new secret: typed twice at a terminal, one line from a script. */
async function newSecret(ctx: CliContext, prompt: string): Promise<string> {
  const a = await ctx.readSecret(prompt);
  if (ctx.interactive && (await ctx.readSecret("再输入一次 Again: ")) !== a) {
    throw new UsageError("the two entries differ");
  }
  return a;
}

/** A staff password: from stdin in a script (unless --generate-password), generated at a terminal. */
async function staffPassword(
  ctx: CliContext,
  generate: boolean,
): Promise<{ password: string; generated: boolean }> {
  if (generate || ctx.interactive) return { password: await generatePassword(), generated: true };
  return { password: await ctx.readSecret("password: "), generated: false };
}

export const initCommand: Command = {
  usage: "init [--custodian NAME]",
  summary:
    "create the missing key files (tracking key, public and staff secrets, identity vault, trail anchor key); prints the custodian passphrase once",
  async run(ctx, args) {
    checkFlags(args, ["custodian"]);
    const made = await initKeys(ctx.config, {
      custodian: flag(args, "custodian") ?? "custodian",
      anchor: true,
    });
    await ctx.deps(); // opens and migrates the database, seeds the offices
    const c = ctx.config;
    ctx.out(
      made.created.length
        ? `created:\n${made.created.map((f) => `  ${f}`).join("\n")}`
        : "all key files exist; nothing created",
    );
    ctx.out(
      `vault:        ${c.vaultFile}\nvault public: ${c.vaultPublicKeyFile}\ntracking key: ${c.trackingKeyFile}\n` +
        `public secrets: ${c.publicSecretsFile} (every host)\nstaff secrets:  ${c.staffSecretsFile} (staff host only)\n` +
        `anchor key:   ${c.anchorKeyFile} (keep it away from the database; anchor.pub verifies)`,
    );
    ctx.out(`database:     ${c.embedded ? `PGlite in ${c.dataDir}/pglite` : "DATABASE_URL"} (migrated)`);
    if (made.custodian) {
      ctx.out(
        `\ncustodian ${made.custodian.name}, vault passphrase (shown once; write it down, it is not stored):\n  ${made.custodian.passphrase}\n` +
          `Then: npm run admin -- staff add --username ${made.custodian.name} --office ${c.province} --roles custodian`,
      );
    }
  },
};

export const vaultInitCommand: Command = {
  usage: "vault init [--custodian NAME]",
  summary:
    "create the identity vault with its first custodian (passphrase from stdin or prompt); refuses to overwrite",
  async run(ctx, args) {
    checkFlags(args, ["custodian"]);
    const custodian = flag(args, "custodian") ?? "custodian";
    if (fs.existsSync(ctx.config.vaultFile))
      throw new VaultError(`${ctx.config.vaultFile} exists: refusing to overwrite the identity vault`);
    const passphrase = await newSecret(ctx, `vault passphrase for ${custodian} (12+ characters): `);
    await initVault(ctx.config, { custodian, passphrase, kdf: ctx.kdf, db: (await ctx.deps()).db });
    ctx.out(
      `created ${ctx.config.vaultFile} and ${ctx.config.vaultPublicKeyFile} with custodian ${custodian}`,
    );
  },
};

export const vaultAddCustodianCommand: Command = {
  usage: "vault add-custodian --by NAME --name NEW",
  summary: "a custodian adds another (stdin: the first's passphrase, then the new one's)",
  async run(ctx, args) {
    checkFlags(args, ["by", "name"]);
    const by = flag(args, "by", true);
    const name = flag(args, "name", true);
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
};

export const vaultPasswdCommand: Command = {
  usage: "vault passwd --name NAME",
  summary: "change a custodian's vault passphrase (stdin: old, then new); re-wraps the vault key",
  async run(ctx, args) {
    checkFlags(args, ["name"]);
    const name = flag(args, "name", true);
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
};

export const staffAddCommand: Command = {
  usage: "staff add --username U --office CODE --roles R1,R2 [--display-name X] [--generate-password]",
  summary: `add a staff member; roles: ${ROLES.join(", ")}; password from stdin, or generated and printed once`,
  async run(ctx, args) {
    checkFlags(args, ["username", "office", "roles", "display-name", "generate-password"]);
    const username = flag(args, "username", true);
    const office = flag(args, "office", true);
    const roles = flag(args, "roles", true)
      .split(",")
      .map((r) => r.trim())
      .filter(Boolean);
    const displayName = flag(args, "display-name");
    // Check what the command line says before asking for a password.
    const errors: FieldError[] = [];
    checkUsername(username, errors);
    checkOffice(await ctx.offices(), office, errors);
    checkRoles(roles, errors);
    if (errors.length) throw problems.invalid(errors);
    const { password, generated } = await staffPassword(ctx, args.flags["generate-password"] === true);
    const made = await addStaff({
      ctx: await ctx.ctx(),
      input: { username, office, roles, displayName, password, limits: ctx.passwordLimits },
    });
    const o = (await ctx.offices()).get(office)!;
    ctx.out(`added ${made.username} (${o.name} ${office}; ${roles.join(", ")})`);
    if (generated) ctx.out(`password (shown once): ${password}`);
  },
};

export const staffListCommand: Command = {
  usage: "staff list [--json]",
  summary: "list staff: username, office, roles, TOTP, disabled",
  async run(ctx, args) {
    checkFlags(args, ["json"]);
    const rows = await listStaff({ ctx: await ctx.ctx(), input: {} });
    if (args.flags.json) {
      ctx.out(JSON.stringify(rows, null, 2));
      return;
    }
    const table = [
      ["username", "office", "roles", "totp", "disabled"],
      ...rows.map((r) => [
        r.username,
        r.office,
        r.roles.join(","),
        r.totp ? "yes" : "no",
        r.disabled ? "yes" : "no",
      ]),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const row of table)
      ctx.out(
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join("  ")
          .trimEnd(),
      );
  },
};

export const staffDisableCommand: Command = {
  usage: "staff disable --username U",
  summary: "disable an account and end its sessions",
  async run(ctx, args) {
    checkFlags(args, ["username"]);
    const username = flag(args, "username", true);
    await disableStaff({ ctx: await ctx.ctx(), input: { username } });
    ctx.out(`disabled ${username}`);
  },
};

export const staffPasswdCommand: Command = {
  usage: "staff passwd --username U [--generate-password]",
  summary: "set a new password (stdin, or generated and printed once) and end the account's sessions",
  async run(ctx, args) {
    checkFlags(args, ["username", "generate-password"]);
    const username = flag(args, "username", true);
    const { password, generated } = await staffPassword(ctx, args.flags["generate-password"] === true);
    await setStaffPassword({
      ctx: await ctx.ctx(),
      input: { username, password, limits: ctx.passwordLimits },
    });
    ctx.out(`new password set for ${username}`);
    if (generated) ctx.out(`password (shown once): ${password}`);
  },
};

export const staffTotpCommand: Command = {
  usage: "staff totp --username U",
  summary:
    "enrol TOTP for an account (for STAFF_TOTP=required): prints the secret, then asks for a current code",
  async run(ctx, args) {
    checkFlags(args, ["username"]);
    const username = flag(args, "username", true);
    const c = await ctx.ctx();
    const e = await beginTotpEnrolment({ ctx: c, input: {} }, { username });
    if (e.enabled)
      throw new UsageError(`${username} already has TOTP; \`staff totp-reset\` first to enrol a new device`);
    ctx.out(`secret: ${e.secret}\nuri:    ${e.uri ?? otpauthUri(TOTP_ISSUER, username, e.secret!)}`);
    const code = await ctx.readSecret("current 6-digit code: ");
    await confirmTotpEnrolment({ ctx: c, input: { code } }, { username });
    ctx.out(`TOTP is on for ${username}`);
  },
};

export const staffTotpResetCommand: Command = {
  usage: "staff totp-reset --username U",
  summary: "remove an account's TOTP (lost device) so it can enrol again",
  async run(ctx, args) {
    checkFlags(args, ["username"]);
    const username = flag(args, "username", true);
    await resetTotp({ ctx: await ctx.ctx(), input: { username } });
    ctx.out(`TOTP removed for ${username}`);
  },
};
