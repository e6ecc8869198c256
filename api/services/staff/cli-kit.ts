import path from "node:path";
import readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ReadStream } from "node:tty";
import { type DbHandle, openDb } from "../../../db/client";
import { RoleError } from "../../../db/roles";
import { KeysMissing, loadKeys } from "../../bootstrap/keys";
import { migrateAll } from "../../bootstrap/migrate";
import { type Config, ConfigError, parseConfig } from "../../config";
import type { Actor, Ctx, Deps, Keys } from "../../context";
import { AnchorError } from "../../crypto/anchor";
import { createKdfPool } from "../../crypto/kdf-pool";
import type { PasswordLimits } from "../../crypto/password";
import { getSodium } from "../../crypto/sodium";
import { type KdfParams, VaultError } from "../../crypto/vault";
import { loadDivisions, OfficeDirectory } from "../../domain/divisions";
import { Problem } from "../../errors";
import { createLogger } from "../../logger";
import { createCleaner } from "../attachments/pool";
import { createCaptcha } from "../captcha/create";
import { createRateLimiter } from "../ratelimit/create";

// The admin CLI's plumbing: argument parsing, secrets from stdin or a no-echo prompt, the
// database and keys opened once, exit codes. Commands are registered in scripts/admin-commands.ts.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: unknown command, missing option, invalid option value. Exit 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

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
  /** One line from stdin when it is not a terminal; otherwise a prompt that does not echo. */
  readSecret(prompt: string): Promise<string>;
  /** True when secrets are typed at a terminal (ask twice, generate passwords). */
  interactive: boolean;
  out(line: string): void;
  /** Tests only: cheaper Argon2id for the vault and for passwords. */
  kdf?: KdfParams;
  passwordLimits?: PasswordLimits;
}

export interface Command {
  usage: string;
  summary: string;
  run(ctx: CliContext, args: ParsedArgs): Promise<void>;
}

export const CLI_ACTOR: Actor = { kind: "system", name: "admin-cli" };

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags[a.slice(2)] = argv[++i];
      else flags[a.slice(2)] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}

export function flag(args: ParsedArgs, name: string, required: true): string;
export function flag(args: ParsedArgs, name: string, required?: false): string | undefined;
export function flag(args: ParsedArgs, name: string, required = false): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new UsageError(`--${name} needs a value`);
  if (v === undefined && required) throw new UsageError(`missing --${name}`);
  return v;
}

export function checkFlags(args: ParsedArgs, allowed: string[]): void {
  const extra = Object.keys(args.flags).filter((f) => !allowed.includes(f));
  if (extra.length) throw new UsageError(`unknown option ${extra.map((f) => `--${f}`).join(", ")}`);
  if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional.join(" ")}`);
}

function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin as unknown as ReadStream;
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let buf = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write("\n");
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(buf);
          return;
        }
        if (ch === "\u0003" || ch === "\u0004") {
          finish();
          reject(new Error("cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  io?: CliIo;
  kdf?: KdfParams;
  passwordLimits?: PasswordLimits;
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
  const name = [argv.slice(0, 2).join(" "), argv[0]].find((n) => commands[n]);
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

  let handle: DbHandle | undefined;
  let offices: OfficeDirectory | undefined;
  let deps: Deps | undefined;
  let lines: AsyncIterator<string> | undefined;
  let rl: readline.Interface | undefined;
  const interactive = Boolean(io.stdin.isTTY);
  const ctx: CliContext = {
    config,
    io,
    interactive,
    kdf: opts.kdf,
    passwordLimits: opts.passwordLimits,
    out: (line) => io.stdout.write(`${line}\n`),
    async offices() {
      offices ??= new OfficeDirectory(await loadDivisions(config.province));
      return offices;
    },
    async database() {
      // The admin CLI acts as the owner when DATABASE_OWNER_URL is set (migrations, grants).
      handle ??= await openDb({
        url: config.databaseOwnerUrl ?? config.databaseUrl,
        pgliteDir: config.embedded ? path.join(config.dataDir, "pglite") : undefined,
        max: 2,
      });
      return handle;
    },
    async deps() {
      if (deps) return deps;
      await getSodium();
      handle = await ctx.database();
      const offices = await ctx.offices();
      // MIGRATE=off: only `admin migrate` changes the schema (it calls migrateAll itself).
      if (config.migrate === "auto") await migrateAll(handle, offices);
      // Staff accounts need no keys; TOTP does. Keys load when present; a command that needs
      // them and finds none gets loadKeys()'s message (run `init` first).
      let keys: Keys | undefined;
      let keysError = "";
      try {
        keys = await loadKeys(config, { warn: (m) => io.stderr.write(`warning: ${m}\n`) });
      } catch (e) {
        if (!(e instanceof KeysMissing)) throw e;
        keysError = e.message;
      }
      const db = handle.db;
      deps = {
        config,
        db,
        dbKind: handle.kind,
        get keys(): Keys {
          if (!keys) throw new KeysMissing(keysError);
          return keys;
        },
        log: createLogger("warn", io.stderr as never),
        offices,
        captcha: createCaptcha(config, db),
        rateLimiter: createRateLimiter(config, db),
        // Threads start only if a command uses it (none spawned for most commands).
        kdf: createKdfPool({ maxThreads: 1, maxQueue: config.kdfQueue, nice: 0 }),
        // Lazy: no thread starts unless a command cleans a file (none does today).
        cleaner: createCleaner(config),
        now: () => new Date(),
      };
      return deps;
    },
    async ctx() {
      return { deps: await ctx.deps(), requestId: "admin-cli", actor: CLI_ACTOR };
    },
    async readSecret(prompt) {
      if (interactive) return promptHidden(io, prompt);
      if (!lines) {
        rl = readline.createInterface({
          input: io.stdin,
          crlfDelay: Number.POSITIVE_INFINITY,
          terminal: false,
        });
        lines = rl[Symbol.asyncIterator]();
      }
      const next = await lines.next();
      if (next.done) throw new UsageError(`expected a line on stdin (${prompt.replace(/[:：]\s*$/, "")})`);
      return next.value;
    },
  };

  try {
    await command.run(ctx, parseArgs(rest));
    return EXIT_OK;
  } catch (e) {
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
  } finally {
    rl?.close();
    await deps?.kdf.close();
    await handle?.close();
  }
}
