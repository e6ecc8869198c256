-- The staff queue overview (GET /api/v1/staff/queue, api/services/queue/counts.ts) read without
-- visiting the office's queue: before, it read every active case of every office in view (a
-- 50,000-case backlog: 50,000 heap rows on every call). Hand-written (drizzle-kit snapshots stop
-- at 0003). docs/notes-counts.md.
--
-- 1. case_queue_counts: how many active cases an office holds, per stage and per deadline
--    (cases.next_due_on; 'infinity' for none), kept by triggers in the same transaction as every
--    write to a case, whatever path writes it (intake, the act statement, batch, merges, seeding
--    by hand), through case_queue_delta (below). Waiting + leased = the sum; overdue = the sum of
--    the rows due before today (the register's overdue filter: an active stage and
--    next_due_on < today). The rows are few (an office × its active stages × the deadlines its
--    cases have) whatever the backlog, and a row that falls to 0 is deleted when changes are folded. Room left on its pages: a count changing (n only, not in the
--    key) is a HOT update.
-- 2. case_lease_marks: one row per case whose lease columns are set (lease_expires_at not null),
--    with the office that holds the case. A claim stays a HOT update of cases (no lease column is
--    indexed: 0016_queue); the live leases of an office are found from its marks and checked on
--    the case rows themselves (few: a lease is live for LEASE_MINUTES, one per staff at work).
--    The trigger fires only when a lease appears on a case without one or goes away (a renewal,
--    or the take-over of an expired lease, writes no mark), or when a leased case changes office.
--
-- The active stages are ACTIVE_STAGES (api/domain/workflow.ts), written here as in 0012's
-- cases_stats_overdue_idx.
CREATE TABLE "case_queue_counts" (
	"office_code" text NOT NULL REFERENCES "public"."offices"("code"),
	"stage" text NOT NULL,
	"due_on" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "case_queue_counts_pk" PRIMARY KEY ("office_code", "stage", "due_on")
) WITH (fillfactor = 70);--> statement-breakpoint
CREATE TABLE "case_lease_marks" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"office_code" text NOT NULL
);--> statement-breakpoint
CREATE INDEX "case_lease_marks_office_idx" ON "case_lease_marks" USING btree ("office_code", "case_id");--> statement-breakpoint
-- The changes to case_queue_counts not folded in yet (as 0019 does for the 形势分析 summary): the
-- triggers only INSERT here, so two writers of one office never wait on each other's count row
-- (bench:queue, 20 handlers of one office: 425 → 270–350 jobs/s when the triggers updated the
-- counts in place); qf_case_queue_compact() folds them in, the staff server every few seconds. The
-- overview adds both in one statement.
CREATE TABLE "case_queue_delta" (
	"office_code" text NOT NULL,
	"stage" text NOT NULL,
	"due_on" date NOT NULL,
	"n" integer NOT NULL
);--> statement-breakpoint
CREATE INDEX "case_queue_delta_office_idx" ON "case_queue_delta" USING btree ("office_code");--> statement-breakpoint
-- OLD's row out, NEW's in, as changes (case_queue_delta): the trigger fires only when (office,
-- stage, deadline) changes. Owner's rights: the app roles read the counts and never write them
-- (db/roles.ts), and intake's public role needs no grant.
CREATE OR REPLACE FUNCTION qf_case_queue_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- OLD is null on INSERT and NEW on DELETE: a null row counts nowhere.
  INSERT INTO case_queue_delta (office_code, stage, due_on, n)
  SELECT d.office_code, d.stage, d.due_on, d.n FROM (
    SELECT OLD.office_code, OLD.stage, coalesce(OLD.next_due_on, 'infinity'::date), -1
      WHERE OLD.stage IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')
    UNION ALL
    SELECT NEW.office_code, NEW.stage, coalesce(NEW.next_due_on, 'infinity'::date), 1
      WHERE NEW.stage IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')
  ) AS d(office_code, stage, due_on, n);
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_queue_apply() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER cases_tally_queue_insert_delete
  AFTER INSERT OR DELETE ON cases
  FOR EACH ROW EXECUTE FUNCTION qf_case_queue_apply();--> statement-breakpoint
-- Leases, clocks that keep their date, updated_at: no change of office, stage or deadline, no call.
CREATE TRIGGER cases_tally_queue_update
  AFTER UPDATE ON cases
  FOR EACH ROW
  WHEN ((OLD.office_code, OLD.stage, OLD.next_due_on) IS DISTINCT FROM (NEW.office_code, NEW.stage, NEW.next_due_on))
  EXECUTE FUNCTION qf_case_queue_apply();--> statement-breakpoint
-- A mark while the case's lease columns are set, at the case's office.
CREATE OR REPLACE FUNCTION qf_case_lease_mark() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.id IS NULL OR NEW.lease_expires_at IS NULL THEN
    DELETE FROM case_lease_marks WHERE case_id = OLD.id;
  ELSE
    INSERT INTO case_lease_marks AS m (case_id, office_code) VALUES (NEW.id, NEW.office_code)
      ON CONFLICT (case_id) DO UPDATE SET office_code = excluded.office_code
      WHERE m.office_code IS DISTINCT FROM excluded.office_code;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_lease_mark() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER cases_tally_lease_insert
  AFTER INSERT ON cases
  FOR EACH ROW
  WHEN (NEW.lease_expires_at IS NOT NULL)
  EXECUTE FUNCTION qf_case_lease_mark();--> statement-breakpoint
CREATE TRIGGER cases_tally_lease_delete
  AFTER DELETE ON cases
  FOR EACH ROW
  WHEN (OLD.lease_expires_at IS NOT NULL)
  EXECUTE FUNCTION qf_case_lease_mark();--> statement-breakpoint
CREATE TRIGGER cases_tally_lease_update
  AFTER UPDATE ON cases
  FOR EACH ROW
  WHEN ((OLD.lease_expires_at IS NULL) <> (NEW.lease_expires_at IS NULL)
    OR (NEW.lease_expires_at IS NOT NULL AND OLD.office_code IS DISTINCT FROM NEW.office_code))
  EXECUTE FUNCTION qf_case_lease_mark();--> statement-breakpoint
-- Recounts both from the cases (this migration's backfill; a bulk load that ran with the triggers
-- off, e.g. session_replication_role = replica; the check that they still agree). Owner only.
CREATE OR REPLACE FUNCTION qf_case_queue_rebuild() RETURNS bigint
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  written bigint;
BEGIN
  -- Writers wait for it: no change lands between the count and the clearing.
  LOCK TABLE cases IN SHARE MODE;
  DELETE FROM case_queue_delta;
  DELETE FROM case_queue_counts;
  DELETE FROM case_lease_marks;
  INSERT INTO case_queue_counts (office_code, stage, due_on, n)
  SELECT office_code, stage, coalesce(next_due_on, 'infinity'::date), count(*)::int
  FROM cases
  WHERE stage IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected')
  GROUP BY 1, 2, 3;
  GET DIAGNOSTICS written = ROW_COUNT;
  INSERT INTO case_lease_marks (case_id, office_code)
  SELECT id, office_code FROM cases WHERE lease_expires_at IS NOT NULL;
  RETURN written;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_queue_rebuild() FROM PUBLIC;--> statement-breakpoint
-- Folds the committed changes into case_queue_counts (one caller at a time; a second returns at
-- once), deleting the rows that fall to 0. Owner's rights; the staff app calls it.
CREATE OR REPLACE FUNCTION qf_case_queue_compact() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  folded bigint;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('qf_case_queue_compact')) THEN
    RETURN 0;
  END IF;
  WITH d AS (
    DELETE FROM case_queue_delta RETURNING office_code, stage, due_on, n
  )
  INSERT INTO case_queue_counts AS q (office_code, stage, due_on, n)
  SELECT d.office_code, d.stage, d.due_on, sum(d.n)::int FROM d
  GROUP BY d.office_code, d.stage, d.due_on
  HAVING sum(d.n) <> 0
  ORDER BY d.office_code, d.stage, d.due_on
  ON CONFLICT (office_code, stage, due_on) DO UPDATE SET n = q.n + excluded.n;
  GET DIAGNOSTICS folded = ROW_COUNT;
  DELETE FROM case_queue_counts WHERE n = 0;
  RETURN folded;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_case_queue_compact() FROM PUBLIC;--> statement-breakpoint
SELECT qf_case_queue_rebuild();
