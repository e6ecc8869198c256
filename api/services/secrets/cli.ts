import { type Command, checkFlags } from "../staff/cli-kit";
import { rotateServerSecret } from "./rotate";

/** `secrets rotate`: a new server secret; re-wraps what is encrypted under the old one. */
export const secretsRotateCommand: Command = {
  usage: "secrets rotate",
  summary:
    "replace the server secret: re-wrap attachment keys and TOTP secrets, end all staff sessions; restart every app process afterwards",
  async run(ctx, args) {
    checkFlags(args, []);
    const deps = await ctx.deps();
    const r = await rotateServerSecret(deps.db, ctx.config.secretsFile);
    ctx.out(
      r.resumed
        ? `finished an interrupted rotation: ${ctx.config.secretsFile} now holds the new secret`
        : `rotated ${ctx.config.secretsFile}: ${r.attachments} attachment keys and ${r.totpSecrets} TOTP secrets re-wrapped, ${r.sessionsEnded} staff sessions ended`,
    );
    ctx.out("Restart every app process now: they hold the old secret in memory.");
  },
};
