/**
 * Where an intake request's time goes: `npx tsx bench/intake/stages.ts`. Not a benchmark with a
 * goal; the profile behind the advice in RESULTS.md. Times each CPU stage of submitReport alone
 * (serial loop), then submitReport and the bare insert in-process (no HTTP) at 1 and 20
 * concurrent callers, and the transaction's round-trips at the wire.
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { canonicalJson } from "../../api/crypto/canonical-json";
import { eventHash } from "../../api/crypto/event-chain";
import { keyedHash } from "../../api/crypto/keyed-hash";
import { sealJson } from "../../api/crypto/seal";
import {
  generateTrackingCode,
  hashTrackingCode,
  normalizeTrackingCode,
} from "../../api/crypto/tracking-code";
import { redactOwnIdentifiers } from "../../api/domain/redact";
import { routeCase } from "../../api/domain/routing";
import { submitReport } from "../../api/services/intake/submit";
import { validateReport } from "../../api/services/intake/validate";
import { type Db, schema } from "../../db/client";
import { realNameReport } from "../../test/helpers/reports";
import { createBenchDb, dropOnExit, openMigrated, rawClient } from "../lib/db";
import { createBenchRig } from "../lib/rig";
import { createBareTable } from "./bare";
import { submitOneStatement } from "./one-statement";

const POOL = Number(process.env.BENCH_POOL ?? 10);

function timeIt(label: string, n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(200, n); i++) fn(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const us = ((performance.now() - t) * 1000) / n;
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(9)} µs`);
  return us;
}

async function closedLoop(
  label: string,
  workers: number,
  seconds: number,
  fn: (i: number) => Promise<unknown>,
) {
  let n = 0;
  const lat: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await fn(n++);
        lat.push(performance.now() - t);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  const rps = lat.length / seconds;
  console.log(
    `${label.padEnd(44)} ${rps.toFixed(0).padStart(6)} /s  p50 ${lat[Math.floor(lat.length / 2)].toFixed(1)} ms  p99 ${lat[Math.floor(lat.length * 0.99)].toFixed(1)} ms`,
  );
  return rps;
}

async function main() {
  const bdb = await createBenchDb();
  dropOnExit(bdb);
  try {
    const handle = await openMigrated(bdb.url, POOL);
    try {
      const rig = await createBenchRig(handle, bdb.url);
      await createBareTable(handle.db);
      const { deps } = rig;
      const report = realNameReport();
      const checked = validateReport(report, deps.offices);
      if (!checked.ok) throw new Error("invalid report");
      const v = checked.value;
      const ids = { name: v.reporter!.name, phone: v.reporter!.phone, idNumber: v.reporter!.idNumber };

      console.log("CPU stages of one submission (serial):");
      timeIt("JSON.parse of the body", 5000, () => JSON.parse(JSON.stringify(report)));
      timeIt("validateReport (zod + ID checksum + phone)", 5000, () => validateReport(report, deps.offices));
      timeIt("redact title + body", 5000, () => {
        redactOwnIdentifiers(v.title, ids);
        redactOwnIdentifiers(v.body, ids);
      });
      timeIt("routeCase", 5000, () => routeCase(deps.offices, "county", "430112"));
      timeIt("sealJson (sealed box: WASM, node:crypto seed)", 5000, () =>
        sealJson(deps.keys.vaultPublicKey, { reporter: v.reporter, title: v.title, body: v.body }),
      );
      timeIt("request hash (canonicalJson + keyed BLAKE2b)", 5000, () =>
        keyedHash(deps.keys.idempotency, "idempotency-request", canonicalJson({ body: report, files: [] })),
      );
      timeIt("tracking code + keyed hash", 5000, () =>
        hashTrackingCode(deps.keys.trackingKey, normalizeTrackingCode(generateTrackingCode())!),
      );
      timeIt("event hash (canonicalJson + BLAKE2b)", 5000, () =>
        eventHash(null, {
          caseId: "00000000-0000-0000-0000-000000000000",
          seq: 1,
          at: new Date().toISOString(),
          kind: "received",
          actor: "system:intake",
          officeCode: "430112",
          isPublic: true,
          data: { routedTo: "430112", managementLevel: "county" },
        }),
      );
      timeIt("one pino log line", 5000, () => deps.log.info({ reqId: "x", status: 201, ms: 1 }, "request"));

      const ctx = { deps, requestId: "bench", actor: { kind: "reporter" as const } };
      const submit = (i: number) =>
        submitReport({ ctx, input: { body: { ...report, title: `${report.title}（s${i}）` } } });
      const bare = (i: number) =>
        handle.db.execute(
          sql`insert into bench_rows (title, payload) values (${`t${i}`}, ${JSON.stringify(report)}::jsonb) returning id`,
        );
      const oneStatement = (i: number) =>
        submitOneStatement(deps, rawClient(handle), { ...report, title: `${report.title}（o${i}）` });
      const begin = async () => {
        await handle.db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
        });
      };

      const cpu = async (label: string, fn: (i: number) => Promise<unknown>) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < 300; i++) await fn(i);
        const c = process.cpuUsage(c0);
        console.log(
          `${label.padEnd(44)} wall ${((performance.now() - t0) / 300).toFixed(2)} ms, Node CPU ${((c.user + c.system) / 1000 / 300).toFixed(2)} ms per request`,
        );
      };
      console.log("\nSerial, in-process, wall and Node CPU per request:");
      await cpu("bare insert", bare);
      await cpu("submitReport", submit);
      await cpu("one-statement prototype", oneStatement);

      console.log(`\nIn-process, no HTTP (pool ${POOL}):`);
      for (const w of [1, 20]) {
        await closedLoop(`bare insert, ${w} callers`, w, 3, bare);
        await closedLoop(`submitReport, ${w} callers`, w, 3, submit);
        await closedLoop(`one-statement prototype, ${w} callers`, w, 3, oneStatement);
        await closedLoop(`empty transaction (BEGIN; select 1; COMMIT), ${w}`, w, 3, begin);
      }

      // What one submission sends: every statement postgres.js writes, through a counting client.
      const sent: { text: string; params: number }[] = [];
      const counting = postgres(bdb.url, {
        max: 1,
        onnotice: () => {},
        debug: (_conn: number, text: string, params: unknown[]) => sent.push({ text, params: params.length }),
      });
      const countingDeps = { ...deps, db: drizzle({ client: counting, schema }) as unknown as Db };
      const once = async (label: string, fn: () => Promise<unknown>, prepared = false) => {
        await fn(); // the first call on a connection may add describe round-trips of its own
        sent.length = 0;
        await fn();
        // drizzle runs unnamed statements (prepare: false), for which postgres.js sends
        // Parse/Describe and waits for the parameter types before Bind/Execute: 2 round-trips.
        const trips = sent.reduce((n, q) => n + (q.params > 0 && !prepared ? 2 : 1), 0);
        console.log(`${label}: ${sent.length} statements, ~${trips} round-trips`);
        for (const q of sent) console.log(`  ${q.text.replace(/\s+/g, " ").slice(0, 100)}`);
      };
      console.log("");
      await once(
        "submitReport (a prepared statement)",
        () =>
          submitReport({
            ctx: { ...ctx, deps: countingDeps },
            input: { body: { ...report, title: `${report.title}（c${Math.random()}）` } },
          }),
        true,
      );
      await once(
        "one-statement prototype (a prepared statement)",
        () =>
          submitOneStatement(countingDeps, counting, {
            ...report,
            title: `${report.title}（p${Math.random()}）`,
          }),
        true,
      );
      await counting.end();
    } finally {
      await handle.close();
    }
  } finally {
    await bdb.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
