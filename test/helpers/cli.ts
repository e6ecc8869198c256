import { Problem } from "../../api/errors";
import { parseCommandArgs } from "../../cli/args";
import { CLI_ACTOR, type CliContext, type Command } from "../../cli/command";
import type { TestRig } from "./deps";

/**
 * Runs one admin command in-process against a rig's database, as `npm run admin` would: what it
 * printed, and the problem it ended with (anything else is rethrown).
 */
export async function runCommand(
  rig: TestRig,
  command: Command,
  argv: string[] = [],
): Promise<{ out: string; error?: Problem }> {
  let out = "";
  const ctx = {
    config: rig.config,
    interactive: false,
    io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
    out: (line: string) => {
      out += `${line}\n`;
    },
    deps: async () => rig.deps,
    database: async () => rig.db,
    offices: async () => rig.deps.offices,
    ctx: async () => ({ deps: rig.deps, requestId: "t", actor: CLI_ACTOR }),
    readSecret: async () => "",
  } satisfies CliContext;
  try {
    await command.run(ctx, parseCommandArgs(command, argv));
    return { out };
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return { out, error: e };
  }
}
