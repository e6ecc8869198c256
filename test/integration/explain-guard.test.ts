// The EXPLAIN guard (CONVENTIONS: "hot queries are guarded by an EXPLAIN test that fails on a
// sequential scan of a big table"). A database of its own (qf_explain_<pid>) is seeded as a
// province by bench/scale/seed.ts, large enough that the planner's choice is the one it makes at
// scale (EXPLAIN_CASES, 100,000 by default, with a backlog of a fifteenth of them in one office),
// vacuumed and analysed. Each hot path (bench/scale/hot-paths.ts: claim for each role's queue, the
// queue counts, my cases, overdue, register filters, the case page, the tracking lookup, the
// ledgers and 督办 lists, intake) then runs through the app with a postgres.js debug hook that
// records every statement the code sent and its parameters: the SQL is the code's own, so the
// guard follows code changes. Each recorded statement is planned with EXPLAIN (FORMAT JSON) and
// its parameters; a Seq Scan of cases, case_events or case_clocks fails the path.
import postgres, { type Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HotRig,
  hotPaths,
  NOT_PLANNED,
  oneLine,
  openHotRig,
  type PlanNode,
  type Statement,
  seqScans,
} from "../../bench/scale/hot-paths";
import { prepareDatabase, seedProvince } from "../../bench/scale/seed";
import { dbKinds, onPostgres } from "../helpers/db";
import { anonymousReport } from "../helpers/reports";

const SIZE = Number(process.env.EXPLAIN_CASES ?? 100_000);
const OFFICE = "430112"; // 望城区: the backlog office
const where = { office: OFFICE, city: "430100", province: "430000" };

if (dbKinds().includes("pglite"))
  console.warn(
    "EXPLAIN guard: PostgreSQL only (it plans on a seeded database of its own); not run on PGlite.",
  );

describe.runIf(onPostgres("the EXPLAIN guard", "it plans the hot queries on a seeded PostgreSQL database"))(
  "the hot queries on a seeded province (EXPLAIN)",
  () => {
    const base = process.env.TEST_DATABASE_URL ?? "";
    const name = `qf_explain_${process.pid}`;
    let url = "";
    let admin: Sql;
    let plan: Sql;
    let rig: HotRig;

    beforeAll(async () => {
      // Here, not at collection: without TEST_DATABASE_URL the suite is collected (and skipped).
      const u = new URL(base);
      u.pathname = `/${name}`;
      url = u.toString();
      admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.unsafe(`CREATE DATABASE ${name}`);
      await prepareDatabase(url);
      const seed = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await seedProvince(seed, {
          cases: SIZE,
          backlog: Math.round(SIZE / 15),
          backlogOffice: OFFICE,
          realChainOffice: null,
          log: () => {},
        });
        // As autovacuum leaves the tables: the visibility map set, so index-only scans are priced
        // as in production.
        await seed.unsafe("vacuum analyze cases, case_events, case_clocks, case_messages");
      } finally {
        await seed.end();
      }
      plan = postgres(url, { max: 1, onnotice: () => {} });
      rig = await openHotRig(url, where);
    }, 600_000);

    afterAll(async () => {
      await rig?.close();
      await plan?.end();
      await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin?.end();
    });

    /** Plans every statement; returns the ones that scan a big table sequentially. */
    async function sequentialScans(statements: Statement[]): Promise<string[]> {
      const bad: string[] = [];
      for (const s of statements) {
        if (NOT_PLANNED.test(s.query)) continue;
        const [row] = await plan.unsafe(`explain (format json) ${s.query}`, s.parameters as never[]);
        const scans = seqScans((row["QUERY PLAN"] as [{ Plan: PlanNode }])[0].Plan);
        if (scans.length > 0) bad.push(`Seq Scan on ${scans.join(", ")}: ${oneLine(s.query)}`);
      }
      return bad;
    }

    // The list is built per test (the rig exists only once beforeAll ran); names are fixed here.
    const names = hotPaths({} as HotRig, {}).map((p) => p.name);

    it.each(names)("%s: no sequential scan of cases, case_events or case_clocks", async (pathName) => {
      const path = hotPaths(rig, anonymousReport()).find((p) => p.name === pathName)!;
      const { status, statements } = await rig.record(path.call);
      if (path.mayBeAbsent && status === 404 && statements.every((st) => /staff_sessions/.test(st.query))) {
        console.warn(
          `EXPLAIN guard: ${pathName} answers 404 in this build (the route is not there yet): not planned.`,
        );
        return;
      }
      expect(path.ok).toContain(status);
      expect(statements.length).toBeGreaterThan(0);
      expect(await sequentialScans(statements)).toEqual([]);
    });

    it("catches a statement that does scan a big table (the guard itself)", async () => {
      const bad = await sequentialScans([
        { query: "select count(*) from case_events where data ? $1", parameters: ["x"] },
      ]);
      expect(bad).toHaveLength(1);
      expect(bad[0]).toContain("Seq Scan on case_events");
    });
  },
);
