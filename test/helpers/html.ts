// Reading server-rendered HTML in page tests that use plain fetch (no browser, no DOM).

/** A tracking code as a page shows it. */
export const TRACKING_CODE = /[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/;

/** The visible text of a page: tags dropped, entities decoded, white space folded. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** The opening tag of the element with this id. */
export function tagWithId(html: string, id: string): string {
  const m = html.match(new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*>`));
  if (!m) throw new Error(`no element #${id}`);
  return m[0];
}

/** The inner HTML of the element with this id (no nesting of the same tag inside). */
export function innerOf(html: string, id: string): string {
  const m = html.match(new RegExp(`<([a-z]+)\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`));
  if (!m) throw new Error(`no element #${id}`);
  return m[2];
}

/** The visible text of the element with this id. */
export function innerText(html: string, id: string): string {
  return textOf(innerOf(html, id)).trim();
}
