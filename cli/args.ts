import { parseArgs } from "node:util";
import { type Command, type Options, type ParsedArgs, UsageError } from "./command";

/**
 * A command's arguments through node:util parseArgs (strict). The tokens are checked first so a
 * wrong line gets a short message naming the option (`unknown option --x`, `--username needs a
 * value`, `--login takes no value`) rather than parseArgs' own wording.
 */
export function parseCommandArgs<O extends Options>(command: Command<O>, argv: string[]): ParsedArgs<O> {
  const options = command.options;
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const unknown: string[] = [];
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const def = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!def) unknown.push(t.rawName);
    else if (def.type === "boolean" && t.value !== undefined) {
      throw new UsageError(`${t.rawName} takes no value`);
    } else if (
      def.type === "string" &&
      (t.value === undefined || (!t.inlineValue && t.value.length > 1 && t.value.startsWith("-")))
    ) {
      throw new UsageError(`${t.rawName} needs a value`);
    }
  }
  if (unknown.length) throw new UsageError(`unknown option ${unknown.join(", ")}`);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!command.positionals && parsed.positionals.length) {
    throw new UsageError(`unexpected argument ${parsed.positionals.join(" ")}`);
  }
  return { values: parsed.values as ParsedArgs<O>["values"], positionals: parsed.positionals };
}

/** The value of a required string option. */
export function required<V, K extends keyof V & string>(values: V, name: K): NonNullable<V[K]> {
  const v = values[name];
  if (v === undefined) throw new UsageError(`missing --${name}`);
  return v as NonNullable<V[K]>;
}
