import { defineMiddleware } from "astro:middleware";
import { getRuntime } from "../../api/runtime";
import { getStaffSession } from "../lib/staff-session";
import { isApiPath, STAFF_PAGES, under } from "./paths";

/**
 * The staff member signed in with the qf_staff cookie (the API middleware's validation:
 * idle timeout, disabled account), on staff pages only, resolved once per request. The API
 * resolves its own (api/http/staff-auth.ts).
 */
export const staffActor = defineMiddleware(async (context, next) => {
  const path = context.url.pathname;
  if (isApiPath(path) || !under(path, STAFF_PAGES)) return next();
  const { config } = await getRuntime();
  if (config.role !== "public") context.locals.staff = (await getStaffSession(context))?.actor;
  return next();
});
