import os from "node:os";
import postgres from "postgres";

export interface MachineFacts {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  postgres: string;
}

/** What the numbers were measured on; goes into RESULTS.md beside them. */
export async function machineFacts(url: string): Promise<MachineFacts> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let pg = "unknown";
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
    const [sync] = await sql<{ v: string }[]>`select current_setting('synchronous_commit') as v`;
    const [fsync] = await sql<{ v: string }[]>`select current_setting('fsync') as v`;
    pg = `PostgreSQL ${row.v} (synchronous_commit=${sync.v}, fsync=${fsync.v})`;
  } finally {
    await sql.end();
  }
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: pg,
  };
}

export function describeMachine(m: MachineFacts): string {
  return `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.postgres}, ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join("/")} load average at the start (machine shared with other engineers' test runs)`;
}
