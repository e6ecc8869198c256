import type { Readable, Writable } from "node:stream";
import type { Config } from "../api/config";
import type { Actor, Ctx, Deps } from "../api/context";
import type { PasswordLimits } from "../api/crypto/password";
import type { KdfParams } from "../api/crypto/vault";
import type { OfficeDirectory } from "../api/domain/divisions";
import type { DbHandle } from "../db/client";

// What a command is and what it gets. Commands are registered in cli/commands/index.ts; runCli
// (cli/run.ts) parses the line, builds the CliContext (cli/context.ts) and maps errors to exit codes.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: unknown command, missing option, invalid option value. Exit 2. */
export class UsageError extends Error {}

export const CLI_ACTOR: Actor = { kind: "system", name: "admin-cli" };

export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

export interface CliContext {
  config: Config;
  io: CliIo;
  /** The database (migrated when MIGRATE=auto, offices seeded) and keys, opened on first use. */
  deps(): Promise<Deps>;
  /** The database handle alone, as the owner when DATABASE_OWNER_URL is set; not migrated. */
  database(): Promise<DbHandle>;
  /** The office tree (no database needed). */
  offices(): Promise<OfficeDirectory>;
  /** A verb context acting as the admin CLI. */
  ctx(): Promise<Ctx>;
  /**
   * One line from stdin when it is not a terminal; otherwise a prompt that does not echo. A secret
   * holding a control character is refused (cli/prompt.ts).
   */
  readSecret(prompt: string): Promise<string>;
  /** True when secrets are typed at a terminal (ask twice, generate passwords). */
  interactive: boolean;
  out(line: string): void;
  /** Tests only: cheaper Argon2id for the vault and for passwords. */
  kdf?: KdfParams;
  passwordLimits?: PasswordLimits;
}

/** A command's options, as node:util parseArgs takes them (long names only). */
export type Options = Record<string, { type: "string" | "boolean" }>;

export type OptionValues<O extends Options> = {
  [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string;
};

export interface ParsedArgs<O extends Options = Options> {
  values: OptionValues<O>;
  positionals: string[];
}

export interface Command<O extends Options = Options> {
  usage: string;
  summary: string;
  options: O;
  /** Takes positional arguments and checks them itself; otherwise any is a usage error. */
  positionals?: boolean;
  run(ctx: CliContext, args: ParsedArgs<O>): Promise<void>;
}

/** Declares a command; its option values are typed from `options`. */
export function command<const O extends Options>(c: Command<O>): Command<O> {
  return c;
}
