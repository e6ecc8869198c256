/**
 * The baseline of `npm run bench:intake`, in a process of its own: a bare node:http server that
 * reads the JSON body, inserts one row with postgres.js (one round-trip, one commit) and answers
 * 201 with the row's id. It validates, seals and logs nothing: the least any intake can do.
 *
 * Env: BENCH_BARE_URL (the database, with a `bench_rows` table: ./bare.ts), BENCH_POOL (10, the
 * app's default pool), HOST (127.0.0.1). Listens on a free port and prints {"listening": port}.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";

const sql = postgres(process.env.BENCH_BARE_URL ?? "", {
  max: Number(process.env.BENCH_POOL ?? 10),
  onnotice: () => {},
});

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/api/v1/reports") {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let body: { title?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    sql<
      { id: string }[]
    >`insert into bench_rows (title, payload) values (${String(body.title)}, ${sql.json(body as postgres.JSONValue)}) returning id`.then(
      (rows) => {
        const out = JSON.stringify({ id: rows[0].id });
        res.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(out) });
        res.end(out);
      },
      () => {
        res.writeHead(500).end();
      },
    );
  });
});

server.listen(0, process.env.HOST ?? "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ listening: (server.address() as AddressInfo).port })}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  sql.end({ timeout: 1 }).finally(() => process.exit(0));
});
