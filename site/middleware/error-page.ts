import { defineMiddleware } from "astro:middleware";
import { isDatabaseUnavailable } from "../../api/errors";
import { getRuntime } from "../../api/runtime";
import { failedPage } from "../lib/edge-page";
import { cleanPath, isApiPath } from "./paths";

/**
 * Around everything that can throw on a page (the limits, the form, the session, the page): an
 * opaque 500 (503 when the database is out of reach), and one line naming the error's class
 * only: a database error's message carries its parameters, which are report content.
 */
export const errorPage = defineMiddleware(async (context, next) => {
  if (isApiPath(context.url.pathname)) return next(); // the Hono app answers problem+json itself
  try {
    return await next();
  } catch (e) {
    const err = e as { name?: string; code?: string };
    // The runtime itself may be what failed (no database at start): then there is no logger.
    const rt = await getRuntime().catch(() => undefined);
    rt?.deps.log.error(
      {
        reqId: context.locals.requestId,
        route: context.routePattern || cleanPath(context.url.pathname),
        err: { name: err?.name, code: err?.code },
      },
      "page: unhandled error",
    );
    return failedPage(context.locals.lang, isDatabaseUnavailable(e));
  }
});
