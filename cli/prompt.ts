import password from "@inquirer/password";
import { type CliIo, UsageError } from "./command";

/**
 * The first character in a secret that nobody could type again at a login form, as "U+001B", or
 * undefined: control characters (C0, DEL, C1: an arrow key or escape sequence pasted in), format
 * characters (zero-width space, right-to-left override, BOM), line and paragraph separators
 * (U+2028/U+2029, which readline would also take as line ends), private-use characters and U+FFFD
 * (what undecodable bytes become). A secret of nothing but spaces is refused as "U+0020".
 */
export function controlCharacterIn(secret: string): string | undefined {
  const m = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\uFFFD]/u.exec(secret);
  if (m) return `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  if (secret.length > 0 && secret.trim() === "") return "U+0020";
  return undefined;
}

const refusal = (at: string) =>
  `the secret contains a character that cannot be typed at a login form (${at}): arrow keys, escape sequences, tabs, NUL, invisible or separator characters, and secrets of only spaces are refused`;

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
  let lines: AsyncGenerator<string> | undefined;
  return {
    async read(prompt) {
      lines ??= stdinLines(io.stdin);
      const what = prompt.replace(/[:：]\s*$/, "");
      let next: IteratorResult<string>;
      try {
        next = await lines.next();
      } catch {
        throw new UsageError(`stdin is not valid UTF-8 (${what})`);
      }
      if (next.done) throw new UsageError(`expected a line on stdin (${what})`);
      const at = controlCharacterIn(next.value);
      if (at) throw new UsageError(`${refusal(at)} (${what})`);
      return next.value;
    },
    close() {
      void lines?.return(undefined);
    },
  };
}

/**
 * Lines of stdin split on LF only (a CR before it dropped). Not node:readline: it also ends a
 * line at U+2028/U+2029, which would cut a secret silently and hand its rest to the next prompt.
 * Bytes that are not UTF-8 throw instead of becoming U+FFFD.
 */
async function* stdinLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffered = "";
  for await (const chunk of input) {
    buffered += decoder.decode(typeof chunk === "string" ? Buffer.from(chunk) : chunk, { stream: true });
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      yield buffered.slice(0, nl).replace(/\r$/, "");
      buffered = buffered.slice(nl + 1);
    }
  }
  buffered += decoder.decode();
  if (buffered.length > 0) yield buffered.replace(/\r$/, "");
}

/** The prompt at a terminal, stdin lines otherwise. */
export function secretReader(io: CliIo): SecretReader {
  if (!io.stdin.isTTY) return lineSecretReader(io);
  return { read: (prompt) => promptSecret(io, prompt), close() {} };
}
