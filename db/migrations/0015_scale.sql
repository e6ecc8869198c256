-- Issue 13 (scale): the staff lists on indexes at 1,000,000 cases (bench/scale, docs/notes-scale.md).
-- Hand-written. Found with EXPLAIN ANALYZE on a province seeded by bench/scale/seed.ts and guarded
-- by test/integration/explain-guard.test.ts. The claim's own order indexes are migration 0016_queue's.
-- No index here names a lease column (lease_token, lease_holder_id, lease_expires_at): a claim,
-- which sets only those, stays a HOT update.
--
-- 超期 (GET /api/v1/staff/overdue, the queue's overdue count, the register's overdue filter): the
-- cases with a running clock past due, most overdue first. Office-led for one office or a few
-- (a range per office, in due order); the second for a supervisor who sees many offices, read in
-- due order until the page is full. Only cases with a deadline are in them.
CREATE INDEX "cases_overdue_idx" ON "cases" USING btree ("office_code", "next_due_on", "received_at") WHERE "next_due_on" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_overdue_all_idx" ON "cases" USING btree ("next_due_on", "received_at") WHERE "next_due_on" IS NOT NULL;--> statement-breakpoint
-- 我的案件 (GET /api/v1/staff/cases/mine): a handler's active cases among the thousands they were
-- assigned over the years, found by (assignee, stage) without reading the finished ones.
DROP INDEX IF EXISTS "cases_assignee_idx";--> statement-breakpoint
CREATE INDEX "cases_assignee_idx" ON "cases" USING btree ("assignee_id", "stage");--> statement-breakpoint
-- The last 督办 of each case of a page (overdue list): a few rows among millions of events.
CREATE INDEX "case_events_supervised_idx" ON "case_events" USING btree ("case_id", "seq") WHERE "kind" = 'supervised';
