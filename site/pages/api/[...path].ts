import type { APIRoute } from "astro";
import { getRuntime } from "../../../api/runtime";

// The one bridge from Astro to the Hono app: same module graph, one database handle.
export const prerender = false;

export const ALL: APIRoute = async ({ request }) => {
  const { app } = await getRuntime();
  return app.fetch(request);
};
