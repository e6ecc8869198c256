import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { getRuntime, peekRuntime, type Runtime } from "../runtime";
import { BASE_HEADERS, pageCsp } from "./security-headers";

/**
 * The production server's one request listener (scripts/start.mjs serves it; built into
 * dist/server/edge.mjs from the same bundle as the pages, so both share one runtime: one
 * database handle, one rate limiter, one logger).
 *
 * - `/api` and everything under it goes straight to the Hono app (api/app.ts) through
 *   @hono/node-server: no Astro page pipeline in front. The Hono app answers, limits, logs and
 *   sets its security headers itself, and refuses cross-site writes (originGuard); its peer is
 *   the TCP peer, from which api/http/client-source.ts resolves the client source.
 * - Everything else goes to Astro's handler (@astrojs/node: the static files under dist/client,
 *   then the pages with their middleware, site/middleware/). The base security headers and a
 *   page policy are set on the answer first, so the files Astro serves before any middleware
 *   (`/_astro/*`, `/favicon.svg`) carry them too; a page's own headers (its CSP with Astro's
 *   hashes, Cache-Control) replace them as before.
 *
 * EDGE_API_VIA_ASTRO=1 sends /api through Astro too (a diagnostic: bench:intake measures the
 * difference). Until the runtime has started (it starts on the first request, and again after a failed
 * start: api/runtime.ts), an API request goes through Astro's bridge (site/pages/api/[...path].ts),
 * which answers exactly as it did before this listener existed.
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** True for `/api`, `/api/…`, `/api?…` as sent: the literal prefix; anything else is Astro's. */
export function isApiUrl(url: string): boolean {
  if (!url.startsWith("/api")) return false;
  const c = url.charCodeAt(4);
  // end, "/", "?" or "#"
  return Number.isNaN(c) || c === 47 || c === 63 || c === 35;
}

/** The methods Astro's handler is given; the pages and static files take GET, HEAD and POST. */
const PAGE_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The headers set before Astro answers: the pages' base set and their policy without hashes. */
export const STATIC_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ...Object.entries(BASE_HEADERS),
  ["Content-Security-Policy", pageCsp(null)] as const,
]);

/** Starts this process's runtime now rather than on the first request (a cluster worker). */
export async function startEdgeRuntime(): Promise<void> {
  await getRuntime();
}

/**
 * Closes this process's runtime if it started (timers, worker pools, then the database: the
 * embedded one is closed cleanly, not cut off mid-write) and flushes the log, so the last
 * request's line is out before the process exits. For scripts/start.mjs on SIGTERM/SIGINT.
 */
export async function stopEdgeRuntime(): Promise<void> {
  const rt = await peekRuntime();
  if (!rt) return;
  await rt.close();
  await new Promise<void>((resolve) => rt.deps.log.flush(() => resolve()));
}

export function createEdgeHandler(astro: NodeHandler): NodeHandler {
  let api: NodeHandler | undefined;
  let starting: Promise<Runtime> | undefined;

  const apiListener = (rt: Runtime): NodeHandler =>
    getRequestListener(
      (request, env) =>
        rt.app.fetch(request, { clientAddress: env.incoming.socket?.remoteAddress, socketPeer: true }),
      // Global Request/Response stay Node's own: Astro renders the pages in this process too.
      { overrideGlobalObjects: false },
    );

  const toAstro: NodeHandler = (req, res) => {
    for (const [k, v] of STATIC_HEADERS) res.setHeader(k, v);
    // A method no page takes (TRACE, CONNECT, an invented one): 405 here, with the headers,
    // rather than the adapter's 500 and a stack trace on stdout.
    if (!PAGE_METHODS.has(req.method ?? "")) {
      res.statusCode = 405;
      res.setHeader("Allow", "GET, HEAD, POST");
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end("405 Method Not Allowed\n");
      return;
    }
    astro(req, res);
  };

  // A diagnostic for bench:intake: every request through Astro, /api by the bridge, as before.
  const viaAstro = process.env.EDGE_API_VIA_ASTRO === "1";
  return (req, res) => {
    const url = req.url ?? "/";
    if (viaAstro || !isApiUrl(url)) return toAstro(req, res);
    if (api) return api(req, res);
    starting ??= getRuntime();
    starting.then(
      (rt) => {
        api ??= apiListener(rt);
        api(req, res);
      },
      () => {
        starting = undefined;
        toAstro(req, res);
      },
    );
  };
}
