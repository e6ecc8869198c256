// Starts the built portal (dist/server/entry.mjs) after making sure ./data exists, and turns the
// runtime on before the first request so a newcomer sees where the demo logins are.
import fs from "node:fs";
import path from "node:path";

process.env.HOST ??= "127.0.0.1";
process.env.PORT ??= "4321";
if (!process.env.DATABASE_URL)
  fs.mkdirSync(path.resolve(process.env.DATA_DIR ?? "./data"), { recursive: true });
const entry = path.resolve("dist/server/entry.mjs");
if (!fs.existsSync(entry)) {
  console.error("dist/server/entry.mjs not found: run `npm run build` first (npm start does).");
  process.exit(1);
}
await import(entry);
const res = await fetch(`http://${process.env.HOST}:${process.env.PORT}/api/v1/healthz`).catch(
  () => undefined,
);
console.log(
  res?.ok
    ? `清风 is running at http://${process.env.HOST}:${process.env.PORT}/`
    : "清风 started, but the health check did not answer yet",
);
