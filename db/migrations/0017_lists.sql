-- The staff lists in keyset pages (超期, 督办; docs/notes-lists.md): each list's page is read
-- from an index in the list's own order, the unique tie-breaker included, so a page reads its
-- 50 rows instead of sorting every row of the scope. Hand-written (drizzle-kit snapshots stop at
-- 0003). None of the indexes names a lease column: a claim stays a HOT update.
--
-- 超期 (api/services/cases/list-overdue.ts): active cases past their deadline in the order
-- (next_due_on, received_at, serial), of one office (county) or across offices (the province; a
-- city reads the province-wide order and keeps its offices'). 0015_scale's indexes of the same
-- names held every case with a deadline, finished ones too, and no serial: the planner sorted
-- the office's whole overdue backlog for each page. Same names, so bench/scale/run.ts's
-- baseline round still drops and rebuilds them.
DROP INDEX IF EXISTS "cases_overdue_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "cases_overdue_all_idx";--> statement-breakpoint
CREATE INDEX "cases_overdue_idx" ON "cases" USING btree ("office_code", "next_due_on", "received_at", "serial") WHERE "next_due_on" IS NOT NULL AND "stage" IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected');--> statement-breakpoint
CREATE INDEX "cases_overdue_all_idx" ON "cases" USING btree ("next_due_on", "received_at", "serial") WHERE "next_due_on" IS NOT NULL AND "stage" IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected');--> statement-breakpoint
-- 督办 received and made (api/services/ledgers/supervisions.ts): pending first, then newest, then id.
CREATE INDEX "case_supervisions_to_list_idx" ON "case_supervisions" USING btree ("to_office", ("replied_at" IS NULL), "at", "id");--> statement-breakpoint
CREATE INDEX "case_supervisions_by_list_idx" ON "case_supervisions" USING btree ("by_office", ("replied_at" IS NULL), "at", "id");--> statement-breakpoint
-- The 转送/交办 ledger (api/services/ledgers/list-sent.ts) reads its overdue items first: they are
-- among the office's open sends (not the closed ones of years past), newest first, then id;
-- `?open=1` pages the same index. Without it an office with few overdue sends read all of its
-- sends for the first page.
CREATE INDEX "case_transfers_open_from_idx" ON "case_transfers" USING btree ("from_office", "sent_at", "id") WHERE "closed_at" IS NULL;
