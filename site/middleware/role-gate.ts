import { defineMiddleware } from "astro:middleware";
import { getRuntime } from "../../api/runtime";
import { CITIZEN_FORM_PAGES, STAFF_PAGES, under } from "./paths";

/** APP_ROLE: a public process has no staff pages, a staff process no citizen form pages (404). */
export const roleGate = defineMiddleware(async (context, next) => {
  const path = context.url.pathname;
  const { config } = await getRuntime();
  if (
    (config.role === "public" && under(path, STAFF_PAGES)) ||
    (config.role === "staff" && under(path, CITIZEN_FORM_PAGES))
  ) {
    return context.rewrite("/404");
  }
  return next();
});
