// The shapes of the message catalogue. messages/ is a leaf: it imports nothing from api/, site/
// or db/, so both the API and the pages can read it (test/unit/layers.test.ts keeps it so).

export type Lang = "zh" | "en";

/** One message in both languages: zh-CN first, en second. */
export interface Text {
  readonly zh: string;
  readonly en: string;
}

/** A message, or one that takes parameters (a number of seconds, a username) to say it. */
// biome-ignore lint/suspicious/noExplicitAny: a catalogue entry's own parameter type is kept by `satisfies`
export type Message = Text | ((params: any) => Text);

/** The arguments a message needs after its code: none, or its parameters. */
export type ParamsOf<M> = M extends (params: infer P) => Text ? [params: P] : [];

/** The words of a message, its parameters filled in. */
export function say<M extends Message>(message: M, ...params: ParamsOf<M>): Text {
  return typeof message === "function" ? message(params[0]) : (message as Text);
}

/**
 * Both languages in one string, as the API answers staff and machines: "中文 English". A title
 * ("未找到 Not found") is joined with a space; a detail, whose Chinese ends with its own full
 * stop, without one ("请稍后再试。Please try again later.").
 */
export function bilingual(text: Text, sep: "" | " " = " "): string {
  return `${text.zh}${sep}${text.en}`;
}
