import type { Config } from "../api/config";
import type { Deps } from "../api/context";
import type { PasswordLimits } from "../api/crypto/password";
import type { KdfParams } from "../api/crypto/vault";
import { type BuiltDeps, createDeps, openConfiguredDb } from "../api/deps";
import { loadDivisions, OfficeDirectory } from "../api/domain/divisions";
import { createLogger } from "../api/logger";
import type { DbHandle } from "../db/client";
import { CLI_ACTOR, type CliContext, type CliIo } from "./command";
import { secretReader } from "./prompt";

export interface CliContextOptions {
  kdf?: KdfParams;
  passwordLimits?: PasswordLimits;
}

/**
 * The context one command runs in: the database, offices and deps are opened on first use (most
 * commands need only some), and `close()` closes whatever was opened.
 */
export function openCliContext(
  config: Config,
  io: CliIo,
  opts: CliContextOptions = {},
): { ctx: CliContext; close(): Promise<void> } {
  let handle: Promise<DbHandle> | undefined;
  let offices: Promise<OfficeDirectory> | undefined;
  let built: Promise<BuiltDeps> | undefined;
  const secrets = secretReader(io);

  const ctx: CliContext = {
    config,
    io,
    interactive: Boolean(io.stdin.isTTY),
    kdf: opts.kdf,
    passwordLimits: opts.passwordLimits,
    out: (line) => io.stdout.write(`${line}\n`),
    offices() {
      offices ??= loadDivisions(config.province).then((d) => new OfficeDirectory(d));
      return offices;
    },
    database() {
      // The admin CLI acts as the owner when DATABASE_OWNER_URL is set (migrations, grants).
      handle ??= openConfiguredDb(config, { asOwner: true, max: 2 });
      return handle;
    },
    async deps(): Promise<Deps> {
      built ??= (async () =>
        createDeps({
          config,
          db: await ctx.database(),
          offices: await ctx.offices(),
          // MIGRATE=off: only `admin migrate` changes the schema.
          schema: "if-auto",
          // Staff accounts need no keys; TOTP does. A command that needs them and finds none gets
          // loadKeys()'s message (run `init` first).
          keys: "files-if-present",
          serving: false,
          log: createLogger("warn", io.stderr as never),
          warn: (m) => io.stderr.write(`warning: ${m}\n`),
          // Threads start only if a command uses the pool (most do not).
          pools: { kdf: { maxThreads: 1, nice: 0 } },
        }))();
      return (await built).deps;
    },
    async ctx() {
      return { deps: await ctx.deps(), requestId: "admin-cli", actor: CLI_ACTOR };
    },
    readSecret: (prompt) => secrets.read(prompt),
  };

  const close = async () => {
    secrets.close();
    await (await built?.catch(() => undefined))?.close();
    await (await handle?.catch(() => undefined))?.close();
  };
  return { ctx, close };
}
