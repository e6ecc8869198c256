import process from "node:process";

// The login load generator of bench/login/run.ts, in its own process: `concurrency` loops, each
// posting wrong-password logins back to back for `seconds`. Every request carries a fresh
// username (nobody's: it is checked against the dummy hash at the real Argon2id cost) and a fresh
// X-Forwarded-For address, which the server (TRUST_PROXY=1) takes as the client: so neither the
// per-source limit nor the per-username back-off turns the attempts away before the password
// check, and each one costs a full Argon2id. Prints one JSON line with the answers it got.
const origin = process.env.BENCH_ORIGIN ?? "";
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

const statuses: Record<string, number> = {};
let n = 0;
const end = Date.now() + seconds * 1000;

async function loop(id: number): Promise<void> {
  while (Date.now() < end) {
    const i = n++;
    const addr = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    try {
      const res = await fetch(`${origin}/api/v1/staff/session`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin,
          // A forged leftmost entry, then the one the (simulated) proxy appended.
          "x-forwarded-for": `203.0.113.${id}, ${addr}`,
        },
        body: JSON.stringify({ username: `bench.${id}.${i}`, password: "not-the-password-123" }),
      });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    } catch {
      statuses.error = (statuses.error ?? 0) + 1;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, id) => loop(id)));
process.stdout.write(`${JSON.stringify({ attempts: n, statuses })}\n`);
