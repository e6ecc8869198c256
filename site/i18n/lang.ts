/** The site's two languages: zh-CN at `/`, English at `/en/`. */
export type Lang = "zh" | "en";

export const LANGS: readonly Lang[] = ["zh", "en"];

/** The value of the `lang` attribute for each language. */
export const HTML_LANG: Record<Lang, string> = { zh: "zh-CN", en: "en" };

export type PageKey = "home" | "report" | "track";

/** The path of a citizen page in a language: `/report` ↔ `/en/report`. */
export function pagePath(page: PageKey, lang: Lang): string {
  const base = lang === "en" ? "/en" : "";
  return page === "home" ? `${base}/` : `${base}/${page}`;
}

const formatters: Record<Lang, Intl.DateTimeFormat> = {
  // Every time a reporter sees is Beijing time, whatever the server's zone (CONVENTIONS.md).
  zh: new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }),
  en: new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }),
};

/** "2025年11月29日 20:30" / "29 November 2025 at 20:30", in Asia/Shanghai. */
export function formatDateTime(at: string | Date, lang: Lang): string {
  return formatters[lang].format(typeof at === "string" ? new Date(at) : at);
}
