// @ts-check

import { fileURLToPath } from "node:url";
import node from "@astrojs/node";
import { defineConfig } from "astro/config";
import { cleanWorkerIntegration } from "./scripts/build-clean-worker.mjs";

// Hosts the portal answers for behind a reverse proxy (X-Forwarded-Host is trusted only for
// these). Read at build time: ALLOWED_HOSTS=jubao.example.gov.cn,... npm run build
const allowedDomains = (process.env.ALLOWED_HOSTS ?? "")
  .split(",")
  .map((h) => h.trim())
  .filter(Boolean)
  .map((hostname) => ({ hostname }));

/**
 * Builds api/http/edge-server.ts into dist/server/edge.mjs as a second entry of the same server
 * bundle as the pages, so that the production server (scripts/start.mjs) and the pages share one
 * copy of every module: one runtime (api/runtime.ts), one database handle.
 */
function edgeEntry() {
  const file = fileURLToPath(new URL("./api/http/edge-server.ts", import.meta.url));
  return {
    name: "qingfeng-edge-entry",
    apply: "build",
    /** @param {{ name: string }} env */
    applyToEnvironment: (env) => env.name === "ssr",
    /** @param {{ input?: string | string[] | Record<string, string> }} opts */
    options(opts) {
      const input = opts.input;
      if (typeof input === "string") opts.input = { index: input, edge: file };
      else if (Array.isArray(input)) opts.input = [...input, file];
      else opts.input = { ...input, edge: file };
      return opts;
    },
  };
}

export default defineConfig({
  srcDir: "./site",
  output: "server",
  adapter: node({ mode: "standalone", bodySizeLimit: 64 * 1024 * 1024 }),
  // The attachment-cleaning worker thread's own file (dist/server/clean-worker.mjs).
  integrations: [cleanWorkerIntegration()],
  security: {
    // Cross-site posts are refused by site/middleware/cross-site.ts (api/http/origin-check.ts) instead of
    // Astro's check, which runs before the middleware: its 403 had no security headers, was not
    // problem+json on the API, and refused non-browser API clients that send no Origin.
    checkOrigin: false,
    allowedDomains,
    // Astro hashes the scripts and styles it inlines and puts them in a CSP header;
    // site/middleware/headers.ts merges them into the full policy (api/http/security-headers.ts).
    csp: { algorithm: "SHA-256" },
  },
  // Astro's own log lines go through a filter that drops request details and error parameters.
  logger: { entrypoint: "./site/astro-logger.mjs" },
  server: { host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 4321) },
  devToolbar: { enabled: false },
  vite: {
    plugins: [edgeEntry()],
    ssr: {
      // piscina starts its threads from files next to its own code; mupdf loads its .wasm the same way.
      external: [
        "@electric-sql/pglite",
        "libsodium-wrappers-sumo",
        "sharp",
        "postgres",
        "pino",
        "hcaptcha",
        "piscina",
        "mupdf",
      ],
    },
  },
});
