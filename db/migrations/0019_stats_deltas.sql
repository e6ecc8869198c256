-- 形势分析's summary without a hot row (bench/RESULTS.md "queue", docs/notes-stats.md).
-- Hand-written (drizzle-kit snapshots stop at 0003).
--
-- Migration 0012's triggers added each case's facts to the summary rows in place (INSERT … ON
-- CONFLICT DO UPDATE), in the writer's transaction. Every case of the province counts in the
-- province's subtree rows of its month, so every writer of the province updated the same few rows
-- and held their locks until its commit: concurrent intake and handling queued behind one another
-- (bench:queue, 20 handlers of one office: 630 → 210 claims and registers a second with the
-- triggers on). Now the triggers only INSERT the netted changes into case_stats_delta, which
-- nobody updates (inserts never wait on one another), and qf_case_stats_compact() folds the
-- changes into case_stats_monthly now and then (the server every few seconds, one compaction at
-- a time). A reader adds the summary and the changes not folded yet, in one statement: one
-- snapshot sees a change either as a delta or in the summary, never both and never neither.
CREATE TABLE "case_stats_delta" (
	"office_code" text NOT NULL,
	"scope" text NOT NULL,
	"month" date NOT NULL,
	"dim" text NOT NULL,
	"value" text NOT NULL,
	"n" integer NOT NULL
);--> statement-breakpoint
CREATE INDEX "case_stats_delta_key_idx" ON "case_stats_delta" USING btree ("office_code", "scope", "month");--> statement-breakpoint
CREATE OR REPLACE FUNCTION qf_case_stats_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- OLD is null on INSERT and NEW on DELETE: a null row counts as nothing. Each fact goes to the
  -- subtree rows of the office and of every office above it; ('all', 'all') to its own row too.
  INSERT INTO case_stats_delta (office_code, scope, month, dim, value, n)
  SELECT d.office_code, d.scope, d.month, d.dim, d.value, sum(d.delta)::int
  FROM (
    SELECT l.office_code, 'subtree', date_trunc('month', OLD.received_on)::date, f.dim, f.value, -1
      FROM qf_case_stat_facts(OLD) f CROSS JOIN qf_office_lineage(OLD.office_code) l
    UNION ALL
    SELECT OLD.office_code, 'own', date_trunc('month', OLD.received_on)::date, 'all', 'all', -1
      WHERE OLD.id IS NOT NULL
    UNION ALL
    SELECT l.office_code, 'subtree', date_trunc('month', NEW.received_on)::date, f.dim, f.value, 1
      FROM qf_case_stat_facts(NEW) f CROSS JOIN qf_office_lineage(NEW.office_code) l
    UNION ALL
    SELECT NEW.office_code, 'own', date_trunc('month', NEW.received_on)::date, 'all', 'all', 1
      WHERE NEW.id IS NOT NULL
  ) AS d(office_code, scope, month, dim, value, delta)
  GROUP BY d.office_code, d.scope, d.month, d.dim, d.value
  HAVING sum(d.delta) <> 0;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Folds the committed changes into the summary: one compaction at a time (a second caller
-- returns at once); changes of transactions still open are not visible to it and wait for the
-- next. Returns how many summary rows it changed. Owner's rights; the staff app calls it.
CREATE OR REPLACE FUNCTION qf_case_stats_compact() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  folded bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('qf_case_stats_compact')) THEN
    RETURN 0;
  END IF;
  WITH d AS (
    DELETE FROM case_stats_delta RETURNING office_code, scope, month, dim, value, n
  )
  INSERT INTO case_stats_monthly AS s (office_code, scope, month, dim, value, n)
  SELECT d.office_code, d.scope, d.month, d.dim, d.value, sum(d.n)::int
  FROM d
  GROUP BY d.office_code, d.scope, d.month, d.dim, d.value
  HAVING sum(d.n) <> 0
  ORDER BY d.office_code, d.scope, d.month, d.dim, d.value
  ON CONFLICT (office_code, scope, month, dim, value) DO UPDATE SET n = s.n + excluded.n;
  GET DIAGNOSTICS folded = ROW_COUNT;
  RETURN folded;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_stats_compact() FROM PUBLIC;--> statement-breakpoint
-- The recount starts from nothing: the changes waiting are part of what it counts again. Writers
-- wait for it (SHARE lock on cases), so no change lands between the count and the clearing.
CREATE OR REPLACE FUNCTION qf_case_stats_rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  written bigint;
BEGIN
  LOCK TABLE cases IN SHARE MODE;
  DELETE FROM case_stats_delta;
  DELETE FROM case_stats_monthly;
  -- Counted once per office, then rolled up the tree: the same rows the triggers keep.
  WITH own AS MATERIALIZED (
    SELECT c.office_code, date_trunc('month', c.received_on)::date AS month, f.dim, f.value, count(*)::int AS n
    FROM cases c CROSS JOIN LATERAL qf_case_stat_facts(c) f
    GROUP BY 1, 2, 3, 4
  ), lineage AS MATERIALIZED (
    SELECT h.office_code AS holder, l.office_code
    FROM (SELECT DISTINCT office_code FROM own) h CROSS JOIN LATERAL qf_office_lineage(h.office_code) l
  )
  INSERT INTO case_stats_monthly (office_code, scope, month, dim, value, n)
  SELECT o.office_code, 'own', o.month, o.dim, o.value, o.n FROM own o WHERE o.dim = 'all'
  UNION ALL
  SELECT l.office_code, 'subtree', o.month, o.dim, o.value, sum(o.n)::int
  FROM own o JOIN lineage l ON l.holder = o.office_code
  GROUP BY l.office_code, o.month, o.dim, o.value;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_stats_rebuild() FROM PUBLIC;
