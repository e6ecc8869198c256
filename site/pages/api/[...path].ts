import type { APIRoute } from "astro";
import { astroPeer } from "../../../api/http/client-source";
import { getRuntime } from "../../../api/runtime";

// The one bridge from Astro to the Hono app: same module graph, one database handle.
// The peer address goes along as c.env.clientAddress, for rate limiting only (never stored), and
// the edge's request id as c.env.requestId: the Hono app writes this request's one log line
// (api/http/logging.ts) under it, so the edge does not write another.
export const prerender = false;

export const ALL: APIRoute = async (context) => {
  const { app } = await getRuntime();
  context.locals.apiLogged = true;
  return app.fetch(context.request, {
    clientAddress: astroPeer(context),
    requestId: context.locals.requestId,
  });
};
