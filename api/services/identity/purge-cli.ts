import { type Command, checkFlags } from "../staff/cli-kit";
import { purgeExpiredGrants } from "./purge-grants";

/**
 * `identity purge-grants`: erases the contact details of every approved identity request whose
 * time is up (status `expired`, grant_cipher null, event and audit row). The app also does this
 * before every dual-control read or write; run this from a timer (e.g. hourly) so an expired
 * grant nobody touches is erased on time too.
 */
export const identityPurgeGrantsCommand: Command = {
  usage: "identity purge-grants",
  summary: "erase the contact details of expired identity-request grants (run hourly from a timer)",
  async run(ctx, args) {
    checkFlags(args, []);
    const deps = await ctx.deps();
    const { expired } = await purgeExpiredGrants(deps);
    ctx.out(`expired grants erased: ${expired}`);
  },
};
