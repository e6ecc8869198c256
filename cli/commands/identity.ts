import { purgeExpiredGrants } from "../../api/services/identity/purge-grants";
import { command } from "../command";

/**
 * `identity purge-grants`: erases the contact details of every approved identity request whose
 * time is up (status `expired`, grant_cipher null, event and audit row). The app also does this
 * before every dual-control read or write and hourly in the server (api/deps.ts); run this from a
 * timer too when no staff server runs, so an expired grant nobody touches is erased on time.
 */
export const identityPurgeGrantsCommand = command({
  usage: "identity purge-grants",
  summary: "erase the contact details of expired identity-request grants (run hourly from a timer)",
  options: {},
  async run(ctx) {
    const deps = await ctx.deps();
    const { expired } = await purgeExpiredGrants(deps);
    ctx.out(`expired grants erased: ${expired}`);
  },
});
