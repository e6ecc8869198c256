/**
 * What one claim → register sends to PostgreSQL: `npx tsx bench/queue/stages.ts`. Not a benchmark
 * with a goal; the count behind the advice in RESULTS.md. (pg-boss sends one statement for fetch
 * and one for complete: plans.fetchNextJob and plans.completeJobs in node_modules/pg-boss.)
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type Db, schema } from "../../db/client";
import { createBenchDb, dropOnExit, openMigrated } from "../lib/db";
import { createBenchRig } from "../lib/rig";
import { claimOneStatement, registerOneStatement } from "./one-statement";
import { drainWithQueueVerbs } from "./ours";
import { seedCases, seedStaff } from "./seed";

async function main() {
  const bdb = await createBenchDb();
  dropOnExit(bdb);
  try {
    const handle = await openMigrated(bdb.url, 2);
    try {
      const { deps } = await createBenchRig(handle, bdb.url);
      const sent: { text: string; params: number }[] = [];
      const counting = postgres(bdb.url, {
        max: 1,
        onnotice: () => {},
        debug: (_conn: number, text: string, params: unknown[]) => sent.push({ text, params: params.length }),
      });
      const cdeps = { ...deps, db: drizzle({ client: counting, schema }) as unknown as Db };
      const [actor] = await seedStaff(deps, "430112", 1, ["intake"]);
      const show = (label: string, prepared: boolean) => {
        // drizzle's unnamed statements cost 2 round-trips when they carry parameters (postgres.js
        // describes them first); a prepared statement costs 1 once the connection has it.
        const trips = sent.reduce((n, q) => n + (q.params > 0 && !prepared ? 2 : 1), 0);
        console.log(`${label}: ${sent.length} statements, ~${trips} round-trips`);
        for (const q of sent) console.log(`  ${q.text.replace(/\s+/g, " ").trim().slice(0, 110)}`);
        sent.length = 0;
      };

      await seedCases(deps, "430112", 3, "s");
      await drainWithQueueVerbs(cdeps, [actor]); // warm: statements known to the connection
      await seedCases(deps, "430112", 1, "t");
      sent.length = 0;
      await drainWithQueueVerbs(cdeps, [actor]);
      show(
        "claimNext → actOnCase register (and the claim that finds the queue empty), prepared statements",
        true,
      );

      await seedCases(deps, "430103", 2, "p");
      const [pActor] = await seedStaff(deps, "430103", 1, ["intake"]);
      for (let i = 0; i < 2; i++) {
        sent.length = 0;
        const c = await claimOneStatement(cdeps, counting, pActor);
        await registerOneStatement(cdeps, counting, pActor, c!.caseId, c!.leaseToken);
      }
      show("prototype claim → register (prepared statements)", true);
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
