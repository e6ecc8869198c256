import { rotateSecrets } from "../../api/services/secrets/rotate";
import { command } from "../command";

/** `secrets rotate`: new host secrets; re-wraps what is encrypted under the old staff secret. */
export const secretsRotateCommand = command({
  usage: "secrets rotate",
  summary:
    "replace the public and staff secrets (and split a pre-split secrets.json): re-wrap attachment keys and TOTP secrets, end all staff sessions; then copy public-secrets.json to the public host and restart every app process",
  options: {},
  async run(ctx) {
    const deps = await ctx.deps();
    const c = ctx.config;
    const r = await rotateSecrets(deps.db, c);
    ctx.out(
      r.resumed
        ? `finished an interrupted rotation: ${c.publicSecretsFile} and ${c.staffSecretsFile} now hold the new secrets`
        : `rotated ${c.publicSecretsFile} and ${c.staffSecretsFile}: ${r.attachments} attachment keys and ${r.totpSecrets} TOTP secrets re-wrapped, ${r.sessionsEnded} staff sessions ended`,
    );
    if (r.split) ctx.out(`removed ${c.secretsFile}: its one server secret is replaced by the two files`);
    ctx.out(
      `Copy ${c.publicSecretsFile} (only that one) to the public host, then restart every app process: they hold the old secrets in memory.`,
    );
  },
});
