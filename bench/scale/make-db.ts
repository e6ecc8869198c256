// A seeded province database that stays (for EXPLAIN and for reading plans by hand): migrated,
// offices loaded, bench/scale/seed.ts's cases and trails, analysed. bench:scale makes and drops
// its own; this one is kept until dropped.
//
//   npx tsx bench/scale/make-db.ts qf_scale_dev [cases] [cases-only]
//   (cases-only: the cases alone, as bench:register seeds them)
//   npx tsx bench/scale/explain.ts postgres://postgres@127.0.0.1:5432/qf_scale_dev
import postgres from "postgres";
import { prepareDatabase, seedProvince } from "./seed";

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error("usage: make-db.ts <database name> [cases] [cases-only]");
  const cases = Number(process.argv[3] ?? 1_000_000);
  const base = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  await prepareDatabase(u.toString());
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  if (process.argv[4] === "cases-only") await seedProvince(sql, { cases, extras: false });
  else
    await seedProvince(sql, { cases, backlog: 50_000, backlogOffice: "430112", realChainOffice: "430112" });
  // NO_VACUUM=1: analysed only, as bench:register and bench:scale leave theirs (no visibility map).
  await sql.unsafe(process.env.NO_VACUUM === "1" ? "analyze" : "vacuum analyze");
  await sql.end();
  console.log(u.toString());
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
