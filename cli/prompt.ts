import readline from "node:readline";
import password from "@inquirer/password";
import { type CliIo, UsageError } from "./command";

/**
 * The first control character (C0, DEL, C1) in a secret, as "U+001B", or undefined. An arrow key
 * or an escape sequence pasted into a secret would otherwise become part of it, and nobody could
 * type that secret again at a login form.
 */
export function controlCharacterIn(secret: string): string | undefined {
  const m = /\p{Cc}/u.exec(secret);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` : undefined;
}

const refusal = (at: string) =>
  `the secret contains a control character (${at}): arrow keys, escape sequences, tabs and NUL cannot be part of a secret`;

/**
 * At a terminal, a no-echo prompt (@inquirer/password, on stderr so stdout stays the command's):
 * readline takes arrow keys and escape sequences as keys, not text, and a secret that still holds
 * a control character is refused and asked for again. Ctrl+T does not reveal it.
 */
export async function promptSecret(io: CliIo, message: string): Promise<string> {
  try {
    return await password(
      {
        message: message.replace(/[:：]\s*$/, ""),
        toggleMask: false,
        validate: (v) => {
          const at = controlCharacterIn(v);
          return at ? refusal(at) : true;
        },
      },
      { input: io.stdin, output: io.stderr },
    );
  } catch (e) {
    if ((e as Error)?.name === "ExitPromptError") throw new Error("cancelled");
    throw e;
  }
}

export interface SecretReader {
  read(prompt: string): Promise<string>;
  close(): void;
}

/**
 * Without a terminal (scripts, tests), one line of stdin per secret; a line holding a control
 * character is refused (exit 2), never stored.
 */
export function lineSecretReader(io: CliIo): SecretReader {
  let rl: readline.Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  return {
    async read(prompt) {
      if (!lines) {
        rl = readline.createInterface({
          input: io.stdin,
          crlfDelay: Number.POSITIVE_INFINITY,
          terminal: false,
        });
        lines = rl[Symbol.asyncIterator]();
      }
      const next = await lines.next();
      const what = prompt.replace(/[:：]\s*$/, "");
      if (next.done) throw new UsageError(`expected a line on stdin (${what})`);
      const at = controlCharacterIn(next.value);
      if (at) throw new UsageError(`${refusal(at)} (${what})`);
      return next.value;
    },
    close() {
      rl?.close();
    },
  };
}

/** The prompt at a terminal, stdin lines otherwise. */
export function secretReader(io: CliIo): SecretReader {
  if (!io.stdin.isTTY) return lineSecretReader(io);
  return { read: (prompt) => promptSecret(io, prompt), close() {} };
}
