import { defineMiddleware } from "astro:middleware";
import { astroClientSource } from "../../api/http/client-source";
import { getRuntime } from "../../api/runtime";

/**
 * The client source (api/http/client-source.ts: the peer, or behind TRUST_PROXY hops the entry
 * the trusted proxy appended to X-Forwarded-For), once, for the page limits and the verbs that
 * limit by it themselves (staff login, identity unseal). The API resolves its own with the same
 * function from the peer the bridge hands it.
 */
export const clientSource = defineMiddleware(async (context, next) => {
  const { config } = await getRuntime();
  context.locals.clientSource = astroClientSource(context, config.trustProxy);
  return next();
});
