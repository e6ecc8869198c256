-- Issue 12 §2–3: the monthly 对账 reads an office's trail events of a month (the sends it made and
-- the cases it wrote events on, whose chain heads it signs), and the 省管干部 summary the few cases
-- about 省管干部. Hand-written (drizzle-kit snapshots stop at 0003).
CREATE INDEX IF NOT EXISTS "case_events_office_at_idx" ON "case_events" USING btree ("office_code","at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_province_level_idx" ON "cases" USING btree ("received_on") WHERE "cases"."subject_level" = 'province';
