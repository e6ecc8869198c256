import { KeysMissing } from "../api/bootstrap/keys";
import { type Config, ConfigError, parseConfig } from "../api/config";
import { AnchorError } from "../api/crypto/anchor";
import { VaultError } from "../api/crypto/vault";
import { Problem } from "../api/errors";
import { RoleError } from "../db/roles";
import { parseCommandArgs } from "./args";
import { type CliIo, type Command, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./command";
import { type CliContextOptions, openCliContext } from "./context";

export interface CliOptions extends CliContextOptions {
  env?: Record<string, string | undefined>;
  io?: CliIo;
}

/** Runs one command line against a registry; returns the exit code. Never calls process.exit. */
export async function runCli(
  commands: Record<string, Command>,
  argv: string[],
  opts: CliOptions = {},
): Promise<number> {
  const io: CliIo = opts.io ?? { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const err = (s: string) => io.stderr.write(`${s}\n`);
  const names = Object.keys(commands).sort();
  const help = () =>
    `usage: npm run admin -- <command>\n\n${names.map((n) => `  ${commands[n].usage}\n      ${commands[n].summary}`).join("\n")}\n\nexit codes: 0 ok, 1 failure, 2 usage\n`;
  if (argv.length === 0 || argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") {
    (argv.length === 0 ? io.stderr : io.stdout).write(help());
    return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  const name = [argv.slice(0, 2).join(" "), argv[0]].find((n) => Object.hasOwn(commands, n));
  if (!name) {
    err(`unknown command: ${argv.slice(0, 2).join(" ")}\n`);
    io.stderr.write(help());
    return EXIT_USAGE;
  }
  const command = commands[name];
  const rest = argv.slice(name.split(" ").length);

  let config: Config;
  try {
    config = parseConfig(opts.env ?? process.env);
  } catch (e) {
    err(e instanceof ConfigError ? e.message : String(e));
    return EXIT_FAILURE;
  }

  const { ctx, close } = openCliContext(config, io, opts);
  try {
    await command.run(ctx, parseCommandArgs(command, rest));
    return EXIT_OK;
  } catch (e) {
    return report(e, command, err);
  } finally {
    await close();
  }
}

function report(e: unknown, command: Command, err: (s: string) => void): number {
  if (e instanceof UsageError) {
    err(`${e.message}\nusage: npm run admin -- ${command.usage}`);
    return EXIT_USAGE;
  }
  if (e instanceof Problem) {
    err(
      [e.title, e.detail, ...(e.errors ?? []).map((f) => `  ${f.path}: ${f.message}`)]
        .filter(Boolean)
        .join("\n"),
    );
    return e.status === 422 ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (
    e instanceof VaultError ||
    e instanceof KeysMissing ||
    e instanceof RoleError ||
    e instanceof AnchorError
  ) {
    err(e.message);
    return EXIT_FAILURE;
  }
  // Never print a raw database error: it can carry SQL parameters.
  const x = e as { name?: string; code?: string; message?: string };
  err(
    `failed: ${x?.name ?? "Error"}${x?.code ? ` (${x.code})` : ""}${x?.message && !x.code ? `: ${x.message}` : ""}`,
  );
  return EXIT_FAILURE;
}
