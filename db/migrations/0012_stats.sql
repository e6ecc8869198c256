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
CREATE TABLE "case_stats_monthly" (
	"office_code" text NOT NULL REFERENCES "public"."offices"("code"),
	"month" date NOT NULL,
	"dim" text NOT NULL,
	"value" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "case_stats_monthly_pk" PRIMARY KEY ("office_code", "month", "dim", "value")
);--> statement-breakpoint
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
  -- OLD is null on INSERT and NEW on DELETE: a null row counts as nothing.
  INSERT INTO case_stats_monthly AS s (office_code, month, dim, value, n)
  SELECT d.office_code, d.month, d.dim, d.value, sum(d.delta)::int
  FROM (
    SELECT OLD.office_code, date_trunc('month', OLD.received_on)::date, f.dim, f.value, -1
      FROM qf_case_stat_facts(OLD) f
    UNION ALL
    SELECT NEW.office_code, date_trunc('month', NEW.received_on)::date, f.dim, f.value, 1
      FROM qf_case_stat_facts(NEW) f
  ) AS d(office_code, month, dim, value, delta)
  GROUP BY d.office_code, d.month, d.dim, d.value
  HAVING sum(d.delta) <> 0
  ORDER BY d.office_code, d.month, d.dim, d.value
  ON CONFLICT (office_code, month, dim, value) DO UPDATE SET n = s.n + excluded.n;
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
  INSERT INTO case_stats_monthly (office_code, month, dim, value, n)
  SELECT c.office_code, date_trunc('month', c.received_on)::date, f.dim, f.value, count(*)::int
  FROM cases c CROSS JOIN LATERAL qf_case_stat_facts(c) f
  GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_stats_rebuild() FROM PUBLIC;--> statement-breakpoint
SELECT qf_case_stats_rebuild();--> statement-breakpoint
-- 超期: counted live (it changes with the date, not with a write), over the cases still being
-- handled; the predicate is ACTIVE_STAGES (api/domain/workflow.ts), as the query writes it.
CREATE INDEX "cases_stats_overdue_idx" ON "cases" USING btree ("office_code", "received_on", "next_due_on")
  WHERE "stage" IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected');
