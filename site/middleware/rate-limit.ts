import { defineMiddleware } from "astro:middleware";
import { getRuntime } from "../../api/runtime";
import { limitAfter, limitBefore, pageLimits } from "../../api/services/ratelimit/policies";
import { throttledPage } from "../lib/edge-page";
import { readPageFormOnce } from "../lib/page-form";
import { cleanPath, isApiPath } from "./paths";

/**
 * The page side of the one rate-limit table (api/services/ratelimit/policies.ts, PAGE_LIMITS):
 * a form post passes its path's limits in order, keyed on the client source. Limits that need
 * the form's content read it (once, under its cap: site/lib/page-form.ts) only after the ones
 * that need no body; over a limit the answer is the 429 page with Retry-After. A `miss` limit
 * counts a 404 answer afterwards (the tracking page's unknown code).
 */
export const rateLimit = defineMiddleware(async (context, next) => {
  const path = context.url.pathname;
  if (context.request.method !== "POST" || isApiPath(path)) return next();
  const limits = pageLimits(path);
  if (limits.length === 0) return next();
  const { config, deps } = await getRuntime();
  const source = context.locals.clientSource;
  for (const limit of limits) {
    if (limit.when) {
      const read = await readPageFormOnce(context.request, cleanPath(path), config);
      if (read.kind !== "form" || !limit.when(read.form)) continue;
    }
    const wait = await limitBefore(deps.rateLimiter, limit.policy, limit.use, source);
    if (wait !== undefined) return throttledPage(wait, context.locals.lang);
  }
  const res = await next();
  for (const limit of limits) await limitAfter(deps.rateLimiter, limit.policy, limit.use, source, res.status);
  return res;
});
