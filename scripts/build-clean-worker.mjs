// Bundles the attachment-cleaning worker (api/services/attachments/worker.ts) into
// dist/server/clean-worker.mjs after `astro build`: a worker thread needs a file of its own,
// which Astro's server bundle does not make. Packages stay external (resolved from
// node_modules at run time, like the server's). api/services/attachments/pool.ts finds it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function buildCleanWorker(serverDir) {
  await build({
    entryPoints: [path.join(root, "api/services/attachments/worker.ts")],
    outfile: path.join(serverDir, "clean-worker.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    logLevel: "warning",
  });
}

/** The Astro integration that runs it once the server is built. */
export function cleanWorkerIntegration() {
  let serverDir;
  return {
    name: "qingfeng-clean-worker",
    hooks: {
      "astro:config:done": ({ config }) => {
        serverDir = fileURLToPath(config.build.server);
      },
      "astro:build:done": async () => {
        await buildCleanWorker(serverDir);
      },
    },
  };
}
