import fs from "node:fs";
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

/**
 * CPU time (user + system, ms) used so far by process `pid` and every process below it (a
 * cluster's workers), from /proc: beside a throughput on a shared machine, CPU per request is
 * the figure other processes disturb least.
 */
export function processTreeCpuMs(pid: number): number {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const stat = (p: number) => {
    try {
      const s = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      // after the name: state(0) ppid(1) … utime(11) stime(12)
      return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * tick };
    } catch {
      return undefined;
    }
  };
  const all = new Map<number, { ppid: number; cpu: number }>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s) all.set(Number(d), s);
  }
  let total = 0;
  const walk = (p: number) => {
    total += all.get(p)?.cpu ?? 0;
    for (const [c, s] of all) if (s.ppid === p) walk(c);
  };
  walk(pid);
  return total;
}
