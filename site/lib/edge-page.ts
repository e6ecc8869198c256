import { problems } from "../../api/errors";
import { problemMessage } from "../../messages/errors";
import type { Lang } from "../i18n/lang";

/**
 * The answers the edge (site/middleware/) makes itself, before or instead of a page: a bare
 * page with no script and no style, which the headers middleware gives the full policy.
 */

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function htmlPage(lang: Lang, title: string, message: string): string {
  const back = lang === "en" ? "/en/" : "/";
  return `<!doctype html><html lang="${lang === "en" ? "en" : "zh-CN"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${back}">清风 Qingfeng</a></p></main></body></html>`;
}

const HTML = "text/html; charset=utf-8";

/** 403: a state-changing request from another site (api/http/origin-check.ts). */
export function crossSitePage(lang: Lang): Response {
  const title = lang === "en" ? "Cross-site submission refused" : "跨站提交已被拒绝";
  const message =
    lang === "en"
      ? "This form can only be sent from this site's own pages. Open the page on this site and send it again."
      : "本表单只能从本网站的页面提交。请在本网站打开页面后重新提交。";
  return new Response(htmlPage(lang, title, message), {
    status: 403,
    headers: { "Content-Type": HTML, "Cache-Control": "no-store" },
  });
}

/** 413: the form was over its cap and was not read. */
export function tooLargePage(lang: Lang): Response {
  return new Response(htmlPage(lang, problems.tooLarge().title, problemMessage(413, lang)), {
    status: 413,
    headers: { "Content-Type": HTML, "Cache-Control": "no-store" },
  });
}

/** 429 with Retry-After: a form post over a rate limit. */
export function throttledPage(retryAfter: number, lang: Lang): Response {
  return new Response(
    htmlPage(lang, problems.throttled(retryAfter).title, problemMessage(429, lang, retryAfter)),
    {
      status: 429,
      headers: { "Content-Type": HTML, "Retry-After": String(retryAfter), "Cache-Control": "no-store" },
    },
  );
}

/** 500, or 503 with Retry-After when the database is out of reach: a page that threw. */
export function failedPage(lang: Lang, down: boolean): Response {
  return new Response(htmlPage(lang, problems.unavailable().title, problemMessage(down ? 503 : 500, lang)), {
    status: down ? 503 : 500,
    headers: { "Content-Type": HTML, ...(down ? { "Retry-After": "5" } : {}) },
  });
}
