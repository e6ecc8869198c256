import { defineMiddleware } from "astro:middleware";
import { getRuntime } from "../../api/runtime";
import { tooLargePage } from "../lib/edge-page";
import { readPageFormOnce } from "../lib/page-form";
import { cleanPath, isApiPath } from "./paths";

/**
 * A page form post's body is read once, here, under the path's cap (site/lib/page-form.ts), and
 * handed to the page on Astro.locals.form: pages never read the body. Past the cap: 413.
 */
export const form = defineMiddleware(async (context, next) => {
  const path = context.url.pathname;
  if (context.request.method !== "POST" || isApiPath(path)) return next();
  const { config } = await getRuntime();
  const read = await readPageFormOnce(context.request, cleanPath(path), config);
  if (read.kind === "too_large") return tooLargePage(context.locals.lang);
  if (read.kind === "form") context.locals.form = read.form;
  return next();
});
