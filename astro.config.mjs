// @ts-check
import node from "@astrojs/node";
import { defineConfig } from "astro/config";

// Hosts the portal answers for behind a reverse proxy (X-Forwarded-Host is trusted only for
// these). Read at build time: ALLOWED_HOSTS=jubao.example.gov.cn,... npm run build
const allowedDomains = (process.env.ALLOWED_HOSTS ?? "")
  .split(",")
  .map((h) => h.trim())
  .filter(Boolean)
  .map((hostname) => ({ hostname }));

export default defineConfig({
  srcDir: "./site",
  output: "server",
  adapter: node({ mode: "standalone", bodySizeLimit: 64 * 1024 * 1024 }),
  // A same-origin form post works; a cross-site one gets 403 (Astro's origin check).
  security: { checkOrigin: true, allowedDomains },
  server: { host: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT ?? 4321) },
  devToolbar: { enabled: false },
  vite: {
    ssr: { external: ["@electric-sql/pglite", "libsodium-wrappers-sumo", "sharp", "postgres", "pino"] },
  },
});
