import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../cli/command";
import { controlCharacterIn, lineSecretReader, promptSecret } from "../../cli/prompt";

/** An io whose stderr is collected; `shown(text)` resolves once stderr contains it. */
function fakeIo(stdin: Readable & { isTTY?: boolean }) {
  let err = "";
  const waiters: { text: string; done: () => void }[] = [];
  const stderr = new Writable({
    write(chunk, _e, cb) {
      err += chunk.toString();
      for (const w of waiters.splice(0)) {
        if (err.includes(w.text)) w.done();
        else waiters.push(w);
      }
      cb();
    },
  });
  const shown = (text: string) =>
    new Promise<void>((done) => (err.includes(text) ? done() : waiters.push({ text, done })));
  return { io: { stdin, stdout: new PassThrough(), stderr }, shown, stderr: () => err };
}

describe("secrets piped on stdin (no terminal)", () => {
  it("reads one secret a line and refuses one holding an escape sequence or a NUL, naming the character", async () => {
    const reader = lineSecretReader(
      fakeIo(Readable.from(["a fine passphrase\nabc\u001b[Adef\nhunter\u0000zq77\n"])).io,
    );
    try {
      expect(await reader.read("vault passphrase: ")).toBe("a fine passphrase");
      const esc = reader.read("new vault passphrase: ");
      await expect(esc).rejects.toBeInstanceOf(UsageError);
      await expect(esc).rejects.toThrow(/control character \(U\+001B\).*\(new vault passphrase\)/);
      const nul = reader.read("password: ");
      await expect(nul).rejects.toThrow(/control character \(U\+0000\)/);
      // The refusal never repeats the secret.
      await expect(nul).rejects.not.toThrow(/hunter|zq77/);
    } finally {
      reader.close();
    }
  });

  it("says which secret was expected when stdin has no more lines", async () => {
    const reader = lineSecretReader(fakeIo(Readable.from([])).io);
    await expect(reader.read("password for qf_runtime: ")).rejects.toThrow(
      "expected a line on stdin (password for qf_runtime)",
    );
    reader.close();
  });
});

describe("secrets typed at a prompt", () => {
  it("takes arrow keys as keys: ESC [ A never becomes part of the secret", async () => {
    const input = new PassThrough();
    const { io } = fakeIo(input);
    const secret = promptSecret(io, "vault passphrase: ");
    input.write("abc\u001b[Adef\r");
    expect(await secret).toBe("abcdef");
  });

  it("drops a NUL typed into the secret", async () => {
    const input = new PassThrough();
    const secret = promptSecret(fakeIo(input).io, "password: ");
    input.write("pass\u0000word\r");
    expect(await secret).toBe("password");
  });

  it("refuses a secret that still holds a control character and asks again", async () => {
    const input = new PassThrough();
    const { io, shown, stderr } = fakeIo(input);
    const secret = promptSecret(io, "vault passphrase: ");
    input.write("with\ttab\r");
    await shown("control character (U+0009)");
    input.write("\u0015clean passphrase\r"); // Ctrl+U clears the line
    expect(await secret).toBe("clean passphrase");
    expect(stderr()).not.toContain("clean passphrase");
    expect(stderr()).not.toContain("with\ttab");
  });
});

describe("controlCharacterIn", () => {
  it("finds C0, DEL and C1 controls, and nothing in ordinary text", () => {
    expect(controlCharacterIn("清风 correct horse battery staple")).toBeUndefined();
    expect(controlCharacterIn("a\u001b[Ab")).toBe("U+001B");
    expect(controlCharacterIn("a\u0000")).toBe("U+0000");
    expect(controlCharacterIn("a\u007f")).toBe("U+007F");
    expect(controlCharacterIn("a\u009b")).toBe("U+009B");
  });
});
