// The cleaning worker's entry when the app runs from source (tsx, vitest): TypeScript is loaded
// through tsx. The built server uses dist/server/clean-worker.mjs instead (bundled at build
// time by scripts/build-clean-worker.mjs); ./pool.ts picks whichever exists.
import { tsImport } from "tsx/esm/api";

const mod = await tsImport("./worker.ts", import.meta.url);
export default mod.default;
