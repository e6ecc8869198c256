import type { APIRoute } from "astro";
import { getRuntime } from "../../../api/runtime";

// The one bridge from Astro to the Hono app: same module graph, one database handle.
// The peer address goes along as c.env.clientAddress, for rate limiting only (never stored).
export const prerender = false;

export const ALL: APIRoute = async (context) => {
  const { app } = await getRuntime();
  let clientAddress: string | undefined;
  try {
    clientAddress = context.clientAddress;
  } catch {
    clientAddress = undefined;
  }
  return app.fetch(context.request, { clientAddress });
};
