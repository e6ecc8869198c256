// `trail verify` timed on a seeded database (bench/scale/seed.ts): the real-chain office's cases,
// then every chain. npx tsx bench/scale/verify-trail.ts <database url> [office]
import fs from "node:fs";
import { getSodium } from "../../api/crypto/sodium";
import { verifyTrail } from "../../api/services/trail/verify";
import { openDb } from "../../db/client";

async function main(): Promise<void> {
  const url = process.argv[2];
  const office = process.argv[3] ?? "430112";
  if (!url) throw new Error("usage: verify-trail.ts <database url> [office]");
  await getSodium();
  const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const handle = await openDb({ url, max: 2 });
  try {
    let t = performance.now();
    const own = await verifyTrail(handle.db, { office });
    console.log(
      `office ${office}: ${own.cases} cases, ${own.events} events, ok=${own.ok}, ${((performance.now() - t) / 1000).toFixed(1)} s, load ${load()}`,
    );
    t = performance.now();
    const all = await verifyTrail(handle.db, { maxBreaks: 100 });
    const s = (performance.now() - t) / 1000;
    console.log(
      `all: ${all.cases} cases, ${all.events} events, ${all.breaks.length} breaks listed, ${s.toFixed(1)} s (${((s * 1e6) / all.events).toFixed(1)} µs/event), load ${load()}`,
    );
  } finally {
    await handle.close();
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
