import { initKeys } from "../../api/bootstrap/keys";
import { command } from "../command";

export const initCommand = command({
  usage: "init [--custodian NAME]",
  summary:
    "create the missing key files (tracking key, public and staff secrets, identity vault, trail anchor key); prints the custodian passphrase once",
  options: { custodian: { type: "string" } },
  async run(ctx, args) {
    const made = await initKeys(ctx.config, {
      custodian: args.values.custodian ?? "custodian",
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
});
