import { Problem } from "../../errors";
import { type Command, checkFlags } from "../staff/cli-kit";
import { verifyTrail } from "./verify";

/**
 * `trail verify`: recomputes every case's hash chain. Exit 0 when intact; exit 1 naming the
 * first event that does not match in each broken case (case id, seq, what differs).
 */
export const trailVerifyCommand: Command = {
  usage: "trail verify [--json]",
  summary: "verify the hash chain of every case's trail (办理轨迹); exit 1 naming the first bad event",
  async run(ctx, args) {
    checkFlags(args, ["json"]);
    const deps = await ctx.deps();
    const report = await verifyTrail(deps.db);
    if (args.flags.json) ctx.out(JSON.stringify(report, null, 2));
    else if (report.ok) ctx.out(`trail intact: ${report.events} events in ${report.cases} cases`);
    else {
      for (const b of report.breaks) {
        ctx.out(
          `BROKEN case ${b.caseId} seq ${b.seq} (${b.kind}, event id ${b.eventId}): ${b.problem} — ${b.detail}`,
        );
      }
    }
    if (!report.ok) {
      const first = report.breaks[0];
      throw new Problem(500, "trail-broken", "办理轨迹校验失败 Trail verification failed", {
        detail: `${report.breaks.length} case(s) broken; first: case ${first.caseId} seq ${first.seq} (${first.problem})`,
      });
    }
  },
};
