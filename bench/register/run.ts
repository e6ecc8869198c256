import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { loadKeys } from "../../api/bootstrap/keys";
import type { Deps, Role } from "../../api/context";
import { cheapestLimits, hashPassword } from "../../api/crypto/password";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { openDb } from "../../db/client";
import { staff } from "../../db/schema/index";
import { pct, runChild } from "../lib/child";
import { createBenchDb, dropOnExit } from "../lib/db";
import { describeMachine, machineFacts } from "../lib/machine";
import { benchServerSettings, type ProductionServer, startProductionServer } from "../lib/production-server";
import { commandLine, today, writeSection } from "../lib/results";
import { seedProvince } from "../scale/seed";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TOTAL = Number(process.env.BENCH_CASES ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 2);
const GOAL_MS = 50;

const runProbe = <T>(env: Record<string, string>) => runChild<T>(ROOT, "bench/register/probe.ts", env);

const ms = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  const entry = path.join(ROOT, "dist/server/entry.mjs");
  if (!fs.existsSync(entry)) throw new Error("dist/server/entry.mjs is missing: run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-bench-register-"));
  const db = await createBenchDb("qf_bench_register");
  dropOnExit(db);
  let server: ProductionServer | undefined;
  const stopServer = async () => server?.stop();
  try {
    const { origin, env, config } = await benchServerSettings(dataDir, db.url);
    const start = async () => {
      server = await startProductionServer(ROOT, origin, env, 120_000);
    };
    // The first start migrates and fills the office tree; then the bulk load, then the bench.
    await start();
    await stopServer();
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    // The province's cases only (bench/scale/seed.ts; bench:scale adds trails, clocks and the rest).
    const seeded = await seedProvince(sql, { cases: TOTAL, extras: false });
    const perOffice = await sql<{ code: string; n: number }[]>`
      select office_code as code, count(*)::int as n from cases group by 1 order by 1`;
    // Names that are there: a two-character one in the city's offices, a three-character one anywhere.
    const [two] = await sql<{ name: string }[]>`select subject_name as name from cases
      where office_code = '430100' and char_length(subject_name) = 2 limit 1`;
    const [three] = await sql<{ name: string }[]>`select subject_name as name from cases
      where char_length(subject_name) = 3 offset 1000 limit 1`;
    const [own] = await sql<{ name: string }[]>`select subject_name as name from cases
      where office_code = '430112' and char_length(subject_name) = 3 offset 100 limit 1`;
    await sql.end();
    const handle = await openDb({ url: db.url, max: 2 });
    const keys = await loadKeys(config);
    const deps = { db: handle.db, keys, now: () => new Date(), config } as unknown as Deps;
    const member = async (username: string, office: string, roles: Role[]) => {
      const [row] = await handle.db
        .insert(staff)
        .values({
          username,
          displayName: username,
          officeCode: office,
          roles,
          passwordHash: hashPassword(`pw-${username}-0123456789`, cheapestLimits()),
        })
        .returning({ id: staff.id });
      return `${SESSION_COOKIE}=${await createSession(deps, row.id)}`;
    };
    const county = await member("wc.bench", "430112", ["intake", "handler"]);
    const citySup = await member("cs.bench", "430100", ["supervisor"]);
    const provSup = await member("hn.bench", "430000", ["supervisor"]);
    await handle.close();
    await start();

    // A page two deep: the cursor of the first.
    const first = (await (
      await fetch(`${origin}/api/v1/staff/cases?sort=newest`, { headers: { cookie: citySup } })
    ).json()) as { nextCursor: string };
    const e = encodeURIComponent;
    const queries = [
      { name: "county handler: first page (newest)", path: "/api/v1/staff/cases", cookie: county },
      {
        name: `county handler: q=${"挪用扶贫资金"}`,
        path: `/api/v1/staff/cases?q=${e("挪用扶贫资金")}`,
        cookie: county,
      },
      {
        name: "county handler: unit=交通运输局",
        path: `/api/v1/staff/cases?unit=${e("交通运输局")}`,
        cookie: county,
      },
      {
        name: `county handler: subject=${own.name} (3 characters)`,
        path: `/api/v1/staff/cases?subject=${e(own.name)}`,
        cookie: county,
      },
      { name: "city supervisor (13 offices): first page", path: "/api/v1/staff/cases", cookie: citySup },
      {
        name: "city supervisor: q=挪用扶贫资金",
        path: `/api/v1/staff/cases?q=${e("挪用扶贫资金")}`,
        cookie: citySup,
      },
      {
        name: "city supervisor: unit=交通运输局",
        path: `/api/v1/staff/cases?unit=${e("交通运输局")}`,
        cookie: citySup,
      },
      {
        name: "city supervisor: second page (cursor)",
        path: `/api/v1/staff/cases?sort=newest&cursor=${e(first.nextCursor)}`,
        cookie: citySup,
      },
      {
        name: `city supervisor: subject=${two.name} (2 characters)`,
        path: `/api/v1/staff/cases?subject=${e(two.name)}`,
        cookie: citySup,
      },
      {
        name: "province supervisor (all 137 offices): first page",
        path: "/api/v1/staff/cases",
        cookie: provSup,
      },
      {
        name: `province supervisor: q=${three.name} (a 3-character name)`,
        path: `/api/v1/staff/cases?q=${e(three.name)}`,
        cookie: provSup,
      },
      {
        name: "province supervisor: q=违规审批 (common phrase)",
        path: `/api/v1/staff/cases?q=${e("违规审批")}`,
        cookie: provSup,
      },
      {
        name: "province supervisor: unit=交通运输局&channel=letter&realName=1",
        path: `/api/v1/staff/cases?unit=${e("交通运输局")}&channel=letter&realName=1`,
        cookie: provSup,
      },
      {
        name: "province supervisor: stage=handling&overdue=1&sort=due",
        path: "/api/v1/staff/cases?stage=handling&overdue=1&sort=due",
        cookie: provSup,
      },
      {
        name: "city supervisor: from/to one month, category=integrity, sort=oldest",
        path: "/api/v1/staff/cases?from=2024-03-01&to=2024-03-31&category=integrity&sort=oldest",
        cookie: citySup,
      },
    ];
    const results = await runProbe<Record<string, { latencies: number[]; failures: number; items: number }>>({
      BENCH_ORIGIN: origin,
      BENCH_QUERIES: JSON.stringify(queries),
      BENCH_REQUESTS: String(REQUESTS),
      BENCH_CONCURRENCY: String(CONCURRENCY),
    });
    const machine = describeMachine(await machineFacts(db.url));
    const all = Object.values(results).flatMap((r) => r.latencies);
    const worst = Math.max(...Object.values(results).map((r) => pct(r.latencies, 95)));
    const rows = queries.map((q) => {
      const r = results[q.name];
      return `| ${q.name} | ${r.items} | ${r.latencies.length} | ${ms(pct(r.latencies, 50))} | ${ms(pct(r.latencies, 95))} | ${ms(Math.max(...r.latencies))} | ${r.failures} |`;
    });
    const countyRows = perOffice.find((o) => o.code === "430112")?.n ?? 0;
    const command = commandLine("bench:register", [
      "BENCH_DATABASE_URL",
      "BENCH_CASES",
      "BENCH_REQUESTS",
      "BENCH_CONCURRENCY",
    ]);
    const body = `Date: ${today()}
Command: \`npm run build && ${command}\`
Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}; database: ${machine}

Goal: a filtered register page (\`GET /api/v1/staff/cases\`, 50 rows) answers in ≤ ${GOAL_MS} ms p95 at
${TOTAL.toLocaleString("en")} cases. **${worst <= GOAL_MS ? "Met" : "Missed"}: the slowest query's p95 is ${ms(worst)} ms; all queries together p50 ${ms(pct(all, 50))} ms, p95 ${ms(pct(all, 95))} ms.**

Setup: ${TOTAL.toLocaleString("en")} cases seeded set-based (bench/scale/seed.ts, generate_series; about 2% active) across the ${perOffice.length} offices
(${countyRows.toLocaleString("en")} at 望城区), five years of received dates, names from 100+ surnames and common given
names (two and three characters), units of 20 departments in every division, titles and narratives from recurring
phrases; the indexes built after the load (${ms(seeded.insertSeconds)} s to insert, ${ms(seeded.indexSeconds)} s to index
and analyse). The production server (\`node scripts/start.mjs\`, built \`dist/\`) on that database; the load generator in
its own process, ${REQUESTS} timed requests per query (after 10 untimed) by ${CONCURRENCY} clients at once, each with a
staff session cookie. Case numbers are not seeded (each row still looks its number up).

| query | rows | requests | p50 ms | p95 ms | max ms | failed |
|---|---|---|---|---|---|---|
${rows.join("\n")}
| **all** | | ${all.length} | **${ms(pct(all, 50))}** | **${ms(pct(all, 95))}** | ${ms(Math.max(...all))} | |`;
    const file = writeSection("register", body);
    console.log(body);
    console.log(`\nwritten to ${file}`);
  } finally {
    await stopServer();
    await db.drop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
