import { sequence } from "astro:middleware";
import { clientSource } from "./client-source";
import { crossSite } from "./cross-site";
import { verbCtx } from "./ctx";
import { errorPage } from "./error-page";
import { form } from "./form";
import { headers } from "./headers";
import { language } from "./language";
import { rateLimit } from "./rate-limit";
import { requestLog } from "./request-log";
import { roleGate } from "./role-gate";
import { staffActor } from "./staff-actor";

/**
 * The edge every request passes, pages and the /api bridge (Astro resolves `<srcDir>/middleware`
 * to this folder's index). Outside in: the request line sees the final answer; the security
 * headers cover every answer, the error page's too; the error page wraps everything that can
 * throw. Then the cheap refusals (another site, a page this APP_ROLE lacks), the rate limits
 * (before the body is read where they can be), the form, the staff session, and the verbs' ctx.
 */
export const onRequest = sequence(
  requestLog,
  language,
  headers,
  errorPage,
  clientSource,
  crossSite,
  roleGate,
  rateLimit,
  form,
  staffActor,
  verbCtx,
);
