// Starts the built portal (dist/server/entry.mjs) after making sure ./data exists, and turns the
// runtime on before the first request so a newcomer sees where the demo logins are.
import fs from "node:fs";
import path from "node:path";

process.env.HOST ??= "127.0.0.1";
process.env.PORT ??= "4321";
if (!process.env.DATABASE_URL) {
  // ./data holds the embedded database and the key files: the operator's alone.
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}
const entry = path.resolve("dist/server/entry.mjs");
if (!fs.existsSync(entry)) {
  console.error("dist/server/entry.mjs not found: run `npm run build` first (npm start does).");
  process.exit(1);
}
await import(entry);
const base = `http://${process.env.HOST}:${process.env.PORT}`;
const res = await fetch(`${base}/api/v1/healthz`).catch(() => undefined);
if (!res?.ok) {
  console.log("清风 started, but the health check did not answer yet");
} else {
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
  const logins = path.join(dataDir, "DEMO-LOGINS.txt");
  const custodian = path.join(dataDir, "DEMO-CUSTODIAN.txt");
  const lines = [
    "",
    `清风 is running at ${base}/`,
    `  citizens:  ${base}/report (file a report)   ${base}/track (follow it with the tracking code)`,
    `  staff:     ${base}/staff/login`,
  ];
  if (!process.env.DATABASE_URL && fs.existsSync(logins)) {
    lines.push(`  demo staff logins (e.g. wangcheng.intake for 望城区): ${logins}`);
  }
  if (!process.env.DATABASE_URL && fs.existsSync(custodian)) {
    lines.push(`  demo custodian vault passphrase: ${custodian}`);
  }
  lines.push("");
  console.log(lines.join("\n"));
}
