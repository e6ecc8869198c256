import { generatePassword } from "../api/crypto/password";
import { type CliContext, UsageError } from "./command";

/** A new secret: typed twice at a terminal, one line from a script. */
export async function newSecret(ctx: CliContext, prompt: string): Promise<string> {
  const a = await ctx.readSecret(prompt);
  if (ctx.interactive && (await ctx.readSecret("再输入一次 Again: ")) !== a) {
    throw new UsageError("the two entries differ");
  }
  return a;
}

/** A staff password: from stdin in a script (unless --generate-password), generated at a terminal. */
export async function staffPassword(
  ctx: CliContext,
  generate: boolean,
): Promise<{ password: string; generated: boolean }> {
  if (generate || ctx.interactive) return { password: await generatePassword(), generated: true };
  return { password: await ctx.readSecret("password: "), generated: false };
}
