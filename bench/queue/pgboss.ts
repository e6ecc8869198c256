import { randomUUID } from "node:crypto";
import { PgBoss } from "pg-boss";

export const QUEUE = "bench-intake";

/** pg-boss on the same database (its own schema), with the same pool size and no background work. */
export async function startBoss(url: string, max: number): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max,
    schema: "pgboss",
    supervise: false,
    schedule: false,
    migrate: true,
    createSchema: true,
  });
  boss.on("error", (e: unknown) => console.error("pg-boss:", e));
  await boss.start();
  await boss.createQueue(QUEUE);
  return boss;
}

/** `n` jobs, each carrying what a queue entry would: the case id and office. */
export async function insertJobs(boss: PgBoss, n: number, office: string): Promise<void> {
  const chunk = 1000;
  for (let from = 0; from < n; from += chunk) {
    const jobs = Array.from({ length: Math.min(chunk, n - from) }, () => ({
      data: { caseId: randomUUID(), office },
    }));
    await boss.insert(QUEUE, jobs);
  }
}

/** `workers` concurrent loops of fetch (one job) → complete, until fetch comes back empty. */
export async function drainWithPgBoss(boss: PgBoss, workers: number): Promise<number> {
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const [job] = await boss.fetch(QUEUE, { batchSize: 1 });
        if (!job) return;
        await boss.complete(QUEUE, job.id);
        done++;
      }
    }),
  );
  return done;
}
