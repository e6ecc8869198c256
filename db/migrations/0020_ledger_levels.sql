-- The 书记阅批件 ledger's membership as one index range (bench/RESULTS.md "scale: the 书记阅批件
-- ledger"). Hand-written (drizzle-kit snapshots stop at 0003).
--
-- An office's ledger is the cases numbered at the office that were marked by hand or whose
-- subject's level the office's rules name (every 市管干部 case, api/domain/leaders.ts). The
-- level lived on `cases` only, so the ledger read every case the office ever numbered through
-- cases_pkey to test it (a city: 5,871 cases read for 838 in its ledger). The level is now written
-- beside the number when the number is given, by a trigger (every path that numbers a case takes
-- it from the case, none can set another), and indexed with the office.
--
-- The subject's level is set at intake and never changed (no path updates it); a change after a
-- case was numbered would leave the numbers' copy stale, so it is refused.
ALTER TABLE "case_numbers" ADD COLUMN "subject_level" text;--> statement-breakpoint
ALTER TABLE "case_numbers" DISABLE TRIGGER "case_numbers_append_only";--> statement-breakpoint
UPDATE "case_numbers" n SET "subject_level" = c."subject_level" FROM "cases" c WHERE c."id" = n."case_id";--> statement-breakpoint
ALTER TABLE "case_numbers" ENABLE TRIGGER "case_numbers_append_only";--> statement-breakpoint
CREATE OR REPLACE FUNCTION qf_number_subject_level() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  NEW.subject_level := (SELECT c.subject_level FROM cases c WHERE c.id = NEW.case_id);
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER case_numbers_subject_level
  BEFORE INSERT ON case_numbers
  FOR EACH ROW EXECUTE FUNCTION qf_number_subject_level();--> statement-breakpoint
CREATE OR REPLACE FUNCTION qf_refuse_numbered_level_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM case_numbers n WHERE n.case_id = NEW.id) THEN
    RAISE EXCEPTION 'the subject''s level of a numbered case is fixed' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER cases_numbered_level_fixed
  BEFORE UPDATE OF subject_level ON cases
  FOR EACH ROW WHEN (OLD.subject_level IS DISTINCT FROM NEW.subject_level)
  EXECUTE FUNCTION qf_refuse_numbered_level_change();--> statement-breakpoint
CREATE INDEX "case_numbers_office_level_idx" ON "case_numbers" USING btree ("office_code", "subject_level");
