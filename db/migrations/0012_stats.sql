-- Issue 12 §1, 形势分析: the statistics supervisors look at (docs/notes-stats.md).
-- Hand-written (drizzle-kit snapshots stop at 0003).
--
-- A per-office, per-month summary (case_stats_monthly) kept by triggers in the same transaction
-- as every write to a case, whatever path writes it (intake, the act statement, batch work,
-- leaders, seeding by hand): one row per office × month received × (dimension, value) with its
-- count. A case counts at the office that holds it now (cases.office_code, as the register
-- scopes) and in the month it was received (cases.received_on). What a case counts as is one
-- function, qf_case_stat_facts, which the page's partial-month reading of cases uses too, so the
-- summary and a direct count can never mean different things.
--
-- Three facts come from the trail, not from the case row: the day of the first 受理, and the
-- latest 办结 (its date and its finding). An AFTER INSERT trigger on case_events copies them onto
-- the case (registered_on, concluded_on, finding), so the summary follows the case row alone.
ALTER TABLE "cases" ADD COLUMN "registered_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "concluded_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "finding" text;--> statement-breakpoint
-- Backfill what the trail already says (before the triggers exist; the summary is counted at the end).
UPDATE cases c SET registered_on = r.day FROM (
  SELECT case_id, min((at AT TIME ZONE 'Asia/Shanghai')::date) AS day FROM case_events
  WHERE kind = 'registered' GROUP BY case_id
) r WHERE r.case_id = c.id;--> statement-breakpoint
UPDATE cases c SET concluded_on = e.day FROM (
  SELECT DISTINCT ON (case_id) case_id,
    coalesce((data ->> 'concludedOn')::date, (at AT TIME ZONE 'Asia/Shanghai')::date) AS day
  FROM case_events WHERE kind IN ('concluded', 'approved') ORDER BY case_id, seq DESC
) e WHERE e.case_id = c.id;--> statement-breakpoint
UPDATE cases c SET finding = e.finding FROM (
  SELECT DISTINCT ON (case_id) case_id, data ->> 'finding' AS finding
  FROM case_events WHERE kind IN ('concluded', 'reported') AND data ? 'finding' ORDER BY case_id, seq DESC
) e WHERE e.case_id = c.id;--> statement-breakpoint
-- Two scopes of rows (rolled up, so that any view reads one office's rows whatever its size):
--   'subtree': every fact of the cases held by the office or any office below it (a county's own
--              cases, a city's and its counties', the province's and all 137 offices'): the view
--              of an office reads only its own subtree rows;
--   'own':     only the ('all', 'all') count of the cases the office itself holds (the per-office
--              table and the city chart).
CREATE TABLE "case_stats_monthly" (
	"office_code" text NOT NULL REFERENCES "public"."offices"("code"),
	"scope" text NOT NULL CHECK ("scope" IN ('own', 'subtree')),
	"month" date NOT NULL,
	"dim" text NOT NULL,
	"value" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "case_stats_monthly_pk" PRIMARY KEY ("office_code", "scope", "month", "dim", "value")
);--> statement-breakpoint
-- An office and every office above it (the subtrees a case held by it counts in). Depth-capped:
-- a cycle in the tree could not loop. PL/pgSQL so the recursive statement's plan is cached per
-- session (an SQL function's is planned on every call: 2–3 ms a case in a trigger).
CREATE OR REPLACE FUNCTION qf_office_lineage(code text) RETURNS TABLE (office_code text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  WITH RECURSIVE up(office_code, parent_code, depth) AS (
    SELECT o.code, o.parent_code, 1 FROM offices o WHERE o.code = qf_office_lineage.code
    UNION ALL
    SELECT o.code, o.parent_code, up.depth + 1 FROM offices o JOIN up ON o.code = up.parent_code
    WHERE up.depth < 16
  )
  SELECT up.office_code FROM up;
END;
$$;--> statement-breakpoint
-- The facts one case counts as: (dimension, value) pairs. Days are calendar days from the day
-- received, capped at 999. A null row (a trigger's OLD on INSERT) counts as nothing.
CREATE OR REPLACE FUNCTION qf_case_stat_facts(c cases) RETURNS TABLE (dim text, value text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT v.dim, v.value FROM (VALUES
    ('all', 'all'),
    ('channel', c.channel),
    ('type', c.type),
    ('category', c.category),
    ('level', coalesce(c.subject_level, 'none')),
    ('real_name', CASE WHEN c.real_name THEN 'yes' ELSE 'no' END),
    ('repeat', CASE WHEN c.merged_into IS NOT NULL OR c.stage IN ('merged', 'kept') THEN 'yes' ELSE 'no' END),
    ('stage', c.stage),
    ('disposition', coalesce(c.disposition, 'none')),
    ('finding', coalesce(c.finding, 'none')),
    ('days_register', CASE WHEN c.registered_on IS NOT NULL
      THEN least(greatest(c.registered_on - c.received_on, 0), 999)::text END),
    ('days_conclude', CASE WHEN c.concluded_on IS NOT NULL
      THEN least(greatest(c.concluded_on - c.received_on, 0), 999)::text END)
  ) AS v(dim, value)
  WHERE c.id IS NOT NULL AND v.value IS NOT NULL
$$;--> statement-breakpoint
-- OLD's facts out, NEW's in, netted per key and written in key order (two transactions touching
-- the same rows lock them in the same order: no deadlock). Owner's rights: the app roles read the
-- summary and never write it (db/roles.ts).
CREATE OR REPLACE FUNCTION qf_case_stats_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- OLD is null on INSERT and NEW on DELETE: a null row counts as nothing. Each fact goes to the
  -- subtree rows of the office and of every office above it; ('all', 'all') to its own row too.
  INSERT INTO case_stats_monthly AS s (office_code, scope, month, dim, value, n)
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
  HAVING sum(d.delta) <> 0
  ORDER BY d.office_code, d.scope, d.month, d.dim, d.value
  ON CONFLICT (office_code, scope, month, dim, value) DO UPDATE SET n = s.n + excluded.n;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_stats_apply() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER cases_stats_insert_delete
  AFTER INSERT OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION qf_case_stats_apply();--> statement-breakpoint
-- Most updates (leases, clocks, updated_at) change no fact: they skip the trigger entirely.
CREATE TRIGGER cases_stats_update
  AFTER UPDATE ON cases
  FOR EACH ROW
  WHEN ((OLD.office_code, OLD.received_on, OLD.channel, OLD.type, OLD.category, OLD.subject_level,
         OLD.real_name, OLD.merged_into, OLD.stage, OLD.disposition, OLD.finding, OLD.registered_on,
         OLD.concluded_on)
    IS DISTINCT FROM
        (NEW.office_code, NEW.received_on, NEW.channel, NEW.type, NEW.category, NEW.subject_level,
         NEW.real_name, NEW.merged_into, NEW.stage, NEW.disposition, NEW.finding, NEW.registered_on,
         NEW.concluded_on))
  EXECUTE FUNCTION qf_case_stats_apply();--> statement-breakpoint
-- The trail's facts onto the case: the first 受理 (registered), the latest 办结 — concluded here,
-- or 销号 (approved) of an assigned case's result — and the latest finding (办结, or 报结 of an
-- assigned office: reported).
CREATE OR REPLACE FUNCTION qf_case_stats_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  day date := (NEW.at AT TIME ZONE 'Asia/Shanghai')::date;
BEGIN
  IF NEW.kind = 'registered' THEN
    UPDATE cases SET registered_on = day WHERE id = NEW.case_id AND registered_on IS NULL;
  ELSIF NEW.kind = 'concluded' THEN
    UPDATE cases SET concluded_on = coalesce((NEW.data ->> 'concludedOn')::date, day),
      finding = coalesce(NEW.data ->> 'finding', finding)
      WHERE id = NEW.case_id;
  ELSIF NEW.kind = 'approved' THEN
    UPDATE cases SET concluded_on = coalesce((NEW.data ->> 'concludedOn')::date, day) WHERE id = NEW.case_id;
  ELSIF NEW.kind = 'reported' THEN
    UPDATE cases SET finding = coalesce(NEW.data ->> 'finding', finding) WHERE id = NEW.case_id;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_stats_event() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER case_events_stats
  AFTER INSERT ON case_events
  FOR EACH ROW
  WHEN (NEW.kind IN ('registered', 'concluded', 'approved', 'reported'))
  EXECUTE FUNCTION qf_case_stats_event();--> statement-breakpoint
-- Recounts the whole summary from the cases (the migration's backfill; a bulk load that ran with
-- the triggers off; the check that the summary still agrees). Owner only.
CREATE OR REPLACE FUNCTION qf_case_stats_rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  written bigint;
BEGIN
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
REVOKE ALL ON FUNCTION qf_case_stats_rebuild() FROM PUBLIC;--> statement-breakpoint
SELECT qf_case_stats_rebuild();--> statement-breakpoint
-- The subtree rows follow the office tree: if an office moves (its parent changes, on a start that
-- syncs the division data), the summary is counted again in that transaction. Rare; owner's rights.
CREATE OR REPLACE FUNCTION qf_case_stats_offices() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM qf_case_stats_rebuild();
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_stats_offices() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER offices_stats_parent
  AFTER UPDATE OF parent_code ON offices
  FOR EACH ROW
  WHEN (OLD.parent_code IS DISTINCT FROM NEW.parent_code)
  EXECUTE FUNCTION qf_case_stats_offices();--> statement-breakpoint
-- 超期: counted live (it changes with the date, not with a write), over the cases still being
-- handled; the predicate is ACTIVE_STAGES (api/domain/workflow.ts), as the query writes it.
CREATE INDEX "cases_stats_overdue_idx" ON "cases" USING btree ("office_code", "received_on", "next_due_on")
  WHERE "stage" IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected');
