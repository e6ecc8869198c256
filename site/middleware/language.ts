import { defineMiddleware } from "astro:middleware";
import { under } from "./paths";

/** English under /en, Chinese everywhere else: for the answers the edge makes itself. */
export const language = defineMiddleware((context, next) => {
  context.locals.lang = under(context.url.pathname, ["/en"]) ? "en" : "zh";
  return next();
});
