import { defineMiddleware } from "astro:middleware";
import type { Deps } from "../api/context";
import { isDatabaseUnavailable, problems } from "../api/errors";
import { astroClientSource } from "../api/http/client-source";
import { isCrossSiteRequest } from "../api/http/origin-check";
import { API_CSP, BASE_HEADERS, pageHeaders, withHeaders } from "../api/http/security-headers";
import { getRuntime } from "../api/runtime";
import { isNoJsToken } from "../api/services/captcha/nojs";
import { problemMessage } from "../messages/errors";
import { type PageFormResult, readPageForm } from "./lib/page-form";

/**
 * Every page request passes here (the API under /api has its own middleware in the Hono app):
 * 1. APP_ROLE: a public process has no staff pages, a staff process no citizen form pages (404);
 * 2. rate limits on the form posts, with the same buckets as the API (buckets.ts);
 *    a form post's body is read once, under its cap (413 past it), into Astro.locals.form;
 * 3. the security headers (api/http/security-headers.ts) on every answer;
 * 4. a page that throws answers an opaque 500 and logs one line without the error's message
 *    (a database error's message carries its parameters: report content).
 */
const CITIZEN_FORM_PAGES = ["/report", "/track", "/en/report", "/en/track"];
const STAFF_PAGES = ["/staff", "/en/staff"];

const clean = (path: string) => path.replace(/\/+$/, "") || "/";
const under = (path: string, prefixes: string[]) =>
  prefixes.some((p) => clean(path) === p || clean(path).startsWith(`${p}/`));

export const onRequest = defineMiddleware(async (context, next) => {
  const path = context.url.pathname;

  const crossSite = isCrossSiteRequest(context.request);
  if (under(path, ["/api"])) {
    // The Hono app set its headers; this covers answers made here or by Astro itself.
    const res = crossSite
      ? new Response(
          JSON.stringify({
            type: "https://qingfeng.invalid/problems/forbidden",
            title: "无权操作 Forbidden",
            status: 403,
            detail: "跨站请求已被拒绝。Cross-site requests are refused.",
          }),
          { status: 403, headers: { "Content-Type": "application/problem+json" } },
        )
      : await next();
    return withHeaders(
      res,
      { ...BASE_HEADERS, "Content-Security-Policy": API_CSP, "Cache-Control": "no-store" },
      [...Object.keys(BASE_HEADERS), "Content-Security-Policy", "Cache-Control"],
    );
  }

  const { config, deps } = await getRuntime();
  const finish = (res: Response) =>
    withHeaders(
      res,
      pageHeaders(path, res.headers.get("content-security-policy"), {
        hcaptcha: config.captcha.provider === "hcaptcha",
      }),
    );

  const lang0 = path === "/en" || path.startsWith("/en/") ? "en" : "zh";
  if (crossSite) {
    const title = lang0 === "en" ? "Cross-site submission refused" : "跨站提交已被拒绝";
    const message =
      lang0 === "en"
        ? "This form can only be sent from this site's own pages. Open the page on this site and send it again."
        : "本表单只能从本网站的页面提交。请在本网站打开页面后重新提交。";
    return finish(
      new Response(htmlPage(lang0, title, message), {
        status: 403,
        headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
      }),
    );
  }

  if (
    (config.role === "public" && under(path, STAFF_PAGES)) ||
    (config.role === "staff" && under(path, CITIZEN_FORM_PAGES))
  ) {
    return finish(await context.rewrite("/404"));
  }

  const source = astroClientSource(context, config.trustProxy);
  // For pages that call a verb which limits by source itself (the staff login).
  context.locals.clientSource = source;

  const lang = path === "/en" || path.startsWith("/en/") ? "en" : "zh";
  const isPost = context.request.method === "POST";
  const isTrack = under(path, ["/track", "/en/track"]);
  if (isPost) {
    // The body is read once, under the page's cap (site/lib/page-form.ts), after the rate limits
    // that need no body; the page gets the parsed form on Astro.locals.form.
    let read: PageFormResult | undefined;
    const form = async () => {
      read ??= await readPageForm(context.request, clean(path), config);
      return read.kind === "form" ? read.form : undefined;
    };
    const refused = await limitFormPost(path, form, source, deps);
    if (refused) return finish(throttledPage(refused, lang));
    context.locals.form = await form();
    if (read?.kind === "too_large") return finish(tooLargePage(lang));
  }

  let res: Response;
  try {
    res = await next();
  } catch (e) {
    const err = e as { name?: string; code?: string };
    deps.log.error(
      { route: clean(path), err: { name: err?.name, code: err?.code } },
      "page: unhandled error",
    );
    const down = isDatabaseUnavailable(e);
    res = new Response(htmlPage(lang, problems.unavailable().title, problemMessage(down ? 503 : 500, lang)), {
      status: down ? 503 : 500,
      headers: { "Content-Type": "text/html; charset=utf-8", ...(down ? { "Retry-After": "5" } : {}) },
    });
  }
  // The tracking page answers 404 for an unknown code: that is a miss (services/ratelimit).
  if (isPost && isTrack && res.status === 404) await deps.rateLimiter.hit("track-miss", source, 1);
  return finish(res);
});

/** Seconds to wait when a form post is over a limit, else undefined. */
async function limitFormPost(
  path: string,
  readForm: () => Promise<FormData | undefined>,
  source: string,
  deps: Deps,
): Promise<number | undefined> {
  const check = async (bucket: string, weight = 1) => {
    const r = await deps.rateLimiter.hit(bucket, source, weight);
    return r.ok ? undefined : r.retryAfter;
  };
  if (under(path, ["/report", "/en/report"])) {
    const wait = await check("reports");
    if (wait) return wait;
    const form = await readForm();
    // Any no-JS token in the post puts it in the stricter bucket, whichever value the page reads.
    if (form?.getAll("captcha").some(isNoJsToken)) return check("reports-nojs");
    return undefined;
  }
  if (under(path, ["/track", "/en/track"])) {
    const wait = (await check("track")) ?? (await check("track-miss", 0));
    if (wait) return wait;
    const form = await readForm();
    if (form?.get("intent") === "message") return check("messages");
    return undefined;
  }
  if (under(path, ["/staff/login", "/en/staff/login"])) {
    // The login verb counts failures per source and per username; here a source already over
    // its limit is turned away before any work.
    return check("staff-login", 0);
  }
  return undefined;
}

/** 413 with the site's error page: the form was over its cap and was not read. */
function tooLargePage(lang: "zh" | "en"): Response {
  return new Response(htmlPage(lang, problems.tooLarge().title, problemMessage(413, lang)), {
    status: 413,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function throttledPage(retryAfter: number, lang: "zh" | "en"): Response {
  return new Response(
    htmlPage(lang, problems.throttled(retryAfter).title, problemMessage(429, lang, retryAfter)),
    {
      status: 429,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Retry-After": String(retryAfter),
        "Cache-Control": "no-store",
      },
    },
  );
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A bare page (no script, no style) for answers the middleware makes itself. */
function htmlPage(lang: "zh" | "en", title: string, message: string): string {
  const back = lang === "en" ? "/en/" : "/";
  return `<!doctype html><html lang="${lang === "en" ? "en" : "zh-CN"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${back}">清风 Qingfeng</a></p></main></body></html>`;
}
