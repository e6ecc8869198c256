import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { Db } from "../../db/client";

/** The baseline's table: one row per request, the body kept as it came. */
export async function createBareTable(db: Db): Promise<void> {
  await db.execute(
    sql`create table bench_rows (id bigint generated always as identity primary key, title text, payload jsonb not null, created_at timestamptz not null default now())`,
  );
}

/**
 * The baseline: a Hono endpoint that validates nothing and inserts one row (one round-trip,
 * one commit) through the same postgres.js pool the full pipeline uses.
 */
export function bareApp(db: Db) {
  const app = new Hono();
  app.post("/api/v1/reports", async (c) => {
    const body = (await c.req.json()) as { title?: unknown };
    const rows = await db.execute<{ id: string }>(
      sql`insert into bench_rows (title, payload) values (${String(body.title)}, ${JSON.stringify(body)}::jsonb) returning id`,
    );
    return c.json({ id: rows[0].id }, 201);
  });
  return app;
}
